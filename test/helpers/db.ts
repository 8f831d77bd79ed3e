import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type Db, type Dialect } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

/** Dialects every store/service suite runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const dialects: { dialect: Dialect; label: string; skip: boolean }[] = [
  { dialect: 'sqlite', label: 'SQLite', skip: false },
  {
    dialect: 'postgres',
    label: TEST_DATABASE_URL ? 'PostgreSQL' : 'PostgreSQL (skipped: set TEST_DATABASE_URL to run)',
    skip: !TEST_DATABASE_URL,
  },
];

export interface TestDatabase {
  database: Database;
  /** For PostgreSQL, the private schema; pass it to other processes that must share the data. */
  url: string;
  schema?: string;
  drop(): Promise<void>;
}

/**
 * Migrates a test database. Kysely's migrator reads every schema's tables first, and a scan of the
 * catalogue fails with 3F000 when another test drops its own schema mid-scan; the migrations run
 * in one transaction, so reading again is safe.
 */
export async function migrateAmidOtherTests(db: Db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db);
      return;
    } catch (err) {
      if (attempt >= 5 || (err as { code?: unknown }).code !== '3F000') throw err;
    }
  }
}

/** A migrated, empty database of the given dialect, private to the caller (a fresh schema on PostgreSQL). */
export async function openTestDatabase(dialect: Dialect, file = ':memory:'): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const database = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(database.db);
    return { database, url: file === ':memory:' ? ':memory:' : `sqlite:${file}`, drop: () => database.close() };
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `fd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const database = openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema });
  await migrateAmidOtherTests(database.db);
  return {
    database,
    url: withSearchPath(TEST_DATABASE_URL, schema),
    schema,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** A connection URL whose sessions use the given schema (libpq `options`), for child processes. */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * A tenant row as the tenants service stores it, for domain suites that build one module without the
 * tenants concept; `config` is the stored (already sealed) JSON text.
 */
export async function insertTenantRow(
  db: Db,
  id: string,
  row: { plan?: string; config?: string; createdAt?: string } = {},
): Promise<void> {
  const at = row.createdAt ?? new Date().toISOString();
  await db
    .insertInto('tenants')
    .values({
      id,
      name: id,
      domain: null,
      status: 'active',
      plan: row.plan ?? 'free',
      timezone: 'UTC',
      config: row.config ?? '{}',
      config_version: 1,
      created_at: at,
      updated_at: at,
    })
    .execute();
}
