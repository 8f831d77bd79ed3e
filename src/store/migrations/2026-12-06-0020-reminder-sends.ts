import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Every reminder, follow-up and retention message is claimed here before it is sent: the primary
// key (tenant, kind, subject) lets exactly one process insert the row, so no appointment, lead or
// campaign step is messaged twice, whichever process or schedule runs first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reminder_sends')
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    /** `upcoming`, `followup` or `retention`. */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    /** What was reminded of: the appointment id, the contact id, or the contact id and the visit it follows. */
    .addColumn('subject_id', 'varchar(120)', (c) => c.notNull())
    .addColumn('contact_id', 'varchar(40)', (c) => c.notNull())
    /** The stored outbound message, once it exists. */
    .addColumn('message_id', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('reminder_sends_pk', ['tenant_id', 'kind', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reminder_sends').execute();
}
