import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Dialect = 'sqlite' | 'postgres';

/** `optimizeEveryMs` overrides SQLITE_OPTIMIZE_EVERY_MS. */
export type DatabaseTarget =
  { kind: 'sqlite'; file: string; optimizeEveryMs?: number } | { kind: 'postgres'; url: string; schema?: string };

export interface Database {
  readonly db: Db;
  readonly dialect: Dialect;
  /** Round-trip time of `SELECT 1` in ms; throws when the database is unreachable. */
  ping(): Promise<number>;
  /** Resolves when the database takes writes; throws the driver's error while it is read-only. */
  writable(): Promise<void>;
  /** Pool figures for health reports (SQLite: one connection). */
  stats(): { active: number; idle: number; total: number };
  close(): Promise<void>;
}

// PostgreSQL returns int8/numeric as strings; every count we keep fits a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openDatabase(target: DatabaseTarget): Database {
  return target.kind === 'sqlite'
    ? openSqlite(target.file, target.optimizeEveryMs)
    : openPostgres(target.url, target.schema);
}

/** Statements kept prepared per SQLite connection, most recently used last. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection behind a prepared-statement cache: Kysely's SQLite driver prepares every query
 * anew, which costs as much as running it. Reuse is safe because the driver runs one query at a
 * time on its single connection (a streamed select holds the connection until it ends).
 */
function withStatementCache(handle: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => handle.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else statement = handle.prepare(text);
      statements.set(text, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

/**
 * How often the SQLite connection refreshes the query planner's statistics. Without them SQLite
 * guesses that `tenant_id = ?` picks out a few rows, so a query such as `tenant_id = ? AND id IN
 * (…250 ids…)` walks the tenant's whole index instead of the primary key: a relay batch took 50 ms
 * instead of 0.5 ms at 100,000 requests. `PRAGMA optimize` is a no-op (about 0.05 ms) unless a
 * table has grown or shrunk about tenfold since its last analysis, and then samples it with a
 * bounded analysis (about 40 ms at 100,000 rows).
 */
export const SQLITE_OPTIMIZE_EVERY_MS = 10_000;
/** Checks every table, not only those this connection has queried, so a fresh connection also refreshes them. */
const OPTIMIZE_ALL_TABLES = sql.raw('PRAGMA optimize = 0x10002');

function openSqlite(file: string, optimizeEveryMs = SQLITE_OPTIMIZE_EVERY_MS): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });
  // Through Kysely, so it waits for a transaction in flight on the one connection instead of joining it.
  const optimize = () =>
    OPTIMIZE_ALL_TABLES.execute(db).catch((error: unknown) => console.error('sqlite optimize:', error));
  const upkeep = setInterval(() => void optimize(), optimizeEveryMs).unref();
  return {
    db,
    dialect: 'sqlite',
    ping: () => timed(db),
    writable: () => assertWritable(db),
    stats: () => ({ active: 0, idle: 1, total: 1 }),
    async close() {
      clearInterval(upkeep);
      await db.destroy();
    },
  };
}

function openPostgres(url: string, schema?: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A per-test schema isolates parallel test files sharing one database.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A restart or failover of the server ends every connection with an 'error' event, on the pool for
  // idle clients and on the client itself for one checked out; unheard, either kills the process.
  // The query that was running fails on its own, and the pool drops a client that is no longer
  // queryable, so the next query opens a new connection once the server is back.
  const ignore = () => undefined;
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: () => timed(db),
    writable: () => assertWritable(db),
    stats: () => ({ active: pool.totalCount - pool.idleCount, idle: pool.idleCount, total: pool.totalCount }),
    close: () => db.destroy(),
  };
}

/**
 * An UPDATE that matches no row: both engines check that the database takes writes before looking
 * for rows (SQLite's write transaction, PostgreSQL's executor start), so it fails while the database
 * is read-only without ever touching a row.
 */
export async function assertWritable(db: Db): Promise<void> {
  await sql`UPDATE platform_state SET value = value WHERE 1 = 0`.execute(db);
}

async function timed(db: Db): Promise<number> {
  const started = performance.now();
  await sql`SELECT 1`.execute(db);
  return Math.round((performance.now() - started) * 100) / 100;
}
