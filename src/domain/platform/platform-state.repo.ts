import type { Db } from '../../store/db.js';

export async function get(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('platform_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Sets the key only if absent; true when this call set it (so one process of a fleet wins). */
export async function setIfAbsent(db: Db, key: string, value: string): Promise<boolean> {
  const result = await db
    .insertInto('platform_state')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
