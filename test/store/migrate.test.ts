import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { dialects, openTestDatabase } from '../helpers/db.js';

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`store migrations on ${label}`, () => {
    it('migrates an empty database and is a no-op the second time', async () => {
      const t = await openTestDatabase(dialect);
      try {
        expect(await migrateToLatest(t.database.db)).toEqual([]);
        const rows = await t.database.db.selectFrom('tenants').selectAll().execute();
        expect(rows).toEqual([]);
      } finally {
        await t.drop();
      }
    });

    it('cascades a tenant delete to its credentials', async () => {
      const t = await openTestDatabase(dialect);
      const db = t.database.db;
      try {
        const now = new Date().toISOString();
        await db.insertInto('tenants').values({ id: 'acme', name: 'Acme', domain: null, status: 'active', plan: 'free', timezone: 'UTC', config: '{}', config_version: 1, created_at: now, updated_at: now }).execute();
        await db.insertInto('credentials').values({ id: 'cred_1', tenant_id: 'acme', kind: 'live_key', public_id: null, key_hash: 'h', sealed_secret: null, display_prefix: 'fd_live_x', created_at: now, revoked_at: null }).execute();
        await db.deleteFrom('tenants').where('id', '=', 'acme').execute();
        const left = await db.selectFrom('credentials').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
        expect(Number(left.n)).toBe(0);
        expect(await t.database.ping()).toBeGreaterThanOrEqual(0);
      } finally {
        await t.drop();
      }
    });
  });
}
