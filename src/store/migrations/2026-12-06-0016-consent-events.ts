import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Every change of a person's consent to be messaged (STOP, START, an operator's change) is kept,
// newest last; the current state is the latest row for the tenant, phone and channel. A delivery
// that quiet hours hold back records when it is due, so an operator can see why it waits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consent_events')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    /** E.164. */
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    /** `opt_out` or `opt_in`. */
    .addColumn('change', 'varchar(16)', (c) => c.notNull())
    /** What caused it: `keyword`, `phrase`, `operator`. */
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    /** The words that caused it, when a message did. */
    .addColumn('evidence', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_events_tenant_phone')
    .on('consent_events')
    .columns(['tenant_id', 'phone', 'channel', 'created_at'])
    .execute();
  await db.schema.alterTable('channel_deliveries').addColumn('due_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_deliveries').dropColumn('due_at').execute();
  await db.schema.dropTable('consent_events').execute();
}
