import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One outbound message on a messaging platform: what was (or would be) sent, and what became of it.
  await db.schema
    .createTable('channel_deliveries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('message_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('conversation_id', 'varchar(48)', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('quick_replies', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    /** `pending`, `sending`, `sent`, `inline` (answered in the webhook's response), `outbox`, `held`, `failed`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    /** `text` or `template` (WhatsApp outside the 24-hour window). */
    .addColumn('kind', 'varchar(16)')
    /** JSON: the platform request as sent, or as it would have been (outbox). */
    .addColumn('request', 'text')
    .addColumn('external_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('channel_deliveries_message')
    .unique()
    .on('channel_deliveries')
    .columns(['tenant_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('channel_deliveries_tenant_status')
    .on('channel_deliveries')
    .columns(['tenant_id', 'channel', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_deliveries').execute();
}
