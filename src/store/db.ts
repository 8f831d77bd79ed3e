import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
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

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: handle }) });
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
