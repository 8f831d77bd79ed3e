import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Dialect = 'sqlite' | 'postgres';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

export interface Database {
  readonly db: Db;
  readonly dialect: Dialect;
  /** Round-trip time of `SELECT 1` in ms; throws when the database is unreachable. */
  ping(): Promise<number>;
  /** Pool figures for health reports (SQLite: one connection). */
  stats(): { active: number; idle: number; total: number };
  close(): Promise<void>;
}

// PostgreSQL returns int8/numeric as strings; every count we keep fits a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function openDatabase(target: DatabaseTarget): Database {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url, target.schema);
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

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });
  return {
    db,
    dialect: 'sqlite',
    ping: () => timed(db),
    stats: () => ({ active: 0, idle: 1, total: 1 }),
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, schema?: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A per-test schema isolates parallel test files sharing one database.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: () => timed(db),
    stats: () => ({ active: pool.totalCount - pool.idleCount, idle: pool.idleCount, total: pool.totalCount }),
    close: () => db.destroy(),
  };
}

async function timed(db: Db): Promise<number> {
  const started = performance.now();
  await sql`SELECT 1`.execute(db);
  return Math.round((performance.now() - started) * 100) / 100;
}
