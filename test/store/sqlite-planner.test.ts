import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

const ROWS = 2_000;
const TENANT = 'acme';

async function seeded(optimizeEveryMs: number): Promise<Database> {
  const database = openDatabase({ kind: 'sqlite', file: ':memory:', optimizeEveryMs });
  await migrateToLatest(database.db);
  const at = '2026-12-06T00:00:00.000Z';
  await database.db
    .insertInto('tenants')
    .values({
      id: TENANT,
      name: 'Acme',
      status: 'active',
      plan: 'pro',
      timezone: 'UTC',
      config: '{}',
      config_version: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO ingestion_requests (id, tenant_id, source_type, status, original_payload, call_data, enriched_data, created_at, updated_at)
    SELECT 'req_' || i, ${TENANT}, 'callrail', 'pending', '{}', '{}', '{}', ${at}, ${at} FROM n`.execute(database.db);
  return database;
}

/** The plan SQLite picks for marking a relay batch queued (pipeline.repo markQueued's shape). */
async function planOfBatchUpdate(database: Database): Promise<string> {
  const ids = Array.from({ length: 250 }, (_, i) => `req_${i + 1}`);
  const update = database.db
    .updateTable('ingestion_requests')
    .set({ queued_at: 'now' })
    .where('tenant_id', '=', TENANT)
    .where('id', 'in', ids)
    .compile();
  const plan = await database.db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`EXPLAIN QUERY PLAN ${update.sql}`, [...update.parameters]),
  );
  return plan.rows.map((r) => r.detail).join('; ');
}

async function analyzed(database: Database): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'ingestion_requests'`
    .execute(database.db)
    .catch(() => ({ rows: [{ n: 0 }] }));
  return rows[0]!.n > 0;
}

describe('SQLite planner statistics', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('without statistics, a batch update by id walks the tenant index', async () => {
    database = await seeded(3_600_000);
    expect(await analyzed(database)).toBe(false);
    expect(await planOfBatchUpdate(database)).toMatch(/ingestion_requests_tenant/);
  });

  it('the connection refreshes its statistics as tables grow, so a batch update by id uses the primary key', async () => {
    database = await seeded(20);
    await expect.poll(() => analyzed(database!), { timeout: 5_000, interval: 25 }).toBe(true);
    expect(await planOfBatchUpdate(database)).toMatch(/sqlite_autoindex_ingestion_requests_1 \(id=\?\)/);
  });

  it('stops refreshing when closed', async () => {
    const closed = await seeded(5);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await closed.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // A refresh after close would fail on the destroyed connection and say so here.
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
