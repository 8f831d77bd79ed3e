import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A booking a conversation asked for; staff (or a calendar integration) confirms it later.
  await db.schema
    .createTable('appointment_requests')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(48)', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'varchar(40)')
    .addColumn('lead_id', 'varchar(40)')
    .addColumn('preferred_time', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    /** `requested`, `confirmed`, `cancelled`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('appointment_requests_tenant_conversation')
    .on('appointment_requests')
    .columns(['tenant_id', 'conversation_id'])
    .execute();
  await db.schema
    .createIndex('appointment_requests_tenant_created')
    .on('appointment_requests')
    .columns(['tenant_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('appointment_requests').ifExists().execute();
}
