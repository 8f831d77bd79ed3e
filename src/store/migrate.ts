import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Tables } from './tables.js';
import * as foundation from './migrations/2026-11-23-0001-foundation.js';

/** Every migration, in order. Names are date-prefixed; the list is append-only. */
const migrations: Record<string, Migration> = {
  '2026-11-23-0001-foundation': foundation,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Brings the schema up to date; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<Tables>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'frontdesk_migrations', migrationLockTableName: 'frontdesk_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
