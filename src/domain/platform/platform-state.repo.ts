import type { Db } from '../../store/db.js';

/** Facts about the installation itself (not a tenant's): no tenant filter applies. */
export interface PlatformStateRepo {
  /** Sets the key only if absent; true when this call set it (so one process of a fleet wins). */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  /** Sets the key, replacing any value. */
  set(key: string, value: string): Promise<void>;
}

export function createPlatformStateRepo(db: Db): PlatformStateRepo {
  return {
    async setIfAbsent(key, value) {
      const result = await db
        .insertInto('platform_state')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async get(key) {
      const row = await db.selectFrom('platform_state').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(key, value) {
      await db
        .insertInto('platform_state')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
