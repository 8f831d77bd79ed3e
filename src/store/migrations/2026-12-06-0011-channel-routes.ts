import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Which tenant an inbound webhook is for, by what the platform puts in it (a phone number id, a
// Page, a workspace, a CallRail company, a fingerprint of a token): one indexed lookup instead of
// reading every tenant's configuration. The rows are derived from the configurations and rewritten
// with them; existing tenants get theirs from the start-up reconciliation (src/domain/routing), because
// some keys are fingerprints of sealed secrets that only the running service can open.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_routes')
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('external_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // A key routes to one tenant at most.
  await db.schema
    .createIndex('channel_routes_key')
    .unique()
    .on('channel_routes')
    .columns(['channel', 'external_key'])
    .execute();
  await db.schema.createIndex('channel_routes_tenant').on('channel_routes').column('tenant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_routes').execute();
}
