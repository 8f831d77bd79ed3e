import type { Db } from '../../store/db.js';
import type { SigningKeysTable } from '../../store/tables.js';

/** Newest first: the first key signs. */
export async function listAll(db: Db): Promise<SigningKeysTable[]> {
  return db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
}

export async function insert(db: Db, row: SigningKeysTable): Promise<void> {
  await db.insertInto('signing_keys').values(row).execute();
}

/** Schedules the retirement of every key but `kid` that has none scheduled yet. */
export async function retireOthers(db: Db, kid: string, retiresAt: string): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ retires_at: retiresAt })
    .where('kid', '!=', kid)
    .where('retires_at', 'is', null)
    .execute();
}

export async function deleteRetired(db: Db, now: string): Promise<void> {
  await db.deleteFrom('signing_keys').where('retires_at', '<=', now).execute();
}
