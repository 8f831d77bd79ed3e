import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
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
        await db
          .insertInto('tenants')
          .values({
            id: 'acme',
            name: 'Acme',
            domain: null,
            status: 'active',
            plan: 'free',
            timezone: 'UTC',
            config: '{}',
            config_version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await db
          .insertInto('credentials')
          .values({
            id: 'cred_1',
            tenant_id: 'acme',
            kind: 'live_key',
            public_id: null,
            key_hash: 'h',
            sealed_secret: null,
            display_prefix: 'fd_live_x',
            created_at: now,
            revoked_at: null,
          })
          .execute();
        await db.deleteFrom('tenants').where('id', '=', 'acme').execute();
        const left = await db
          .selectFrom('credentials')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(left.n)).toBe(0);
        expect(await t.database.ping()).toBeGreaterThanOrEqual(0);
      } finally {
        await t.drop();
      }
    });
  });
}

describe('SQLite connection settings', () => {
  it('opens a file database in WAL mode with foreign keys on and a busy timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-sqlite-'));
    const database = openDatabase({ kind: 'sqlite', file: path.join(dir, 'nested', 'frontdesk.db') });
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw<Record<string, unknown>>(`PRAGMA ${name}`).execute(database.db)).rows[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
