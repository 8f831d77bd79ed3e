import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// An appointment request keeps the window the customer's words named (ISO 8601 with the tenant's
// offset), so the business can book it without re-reading "Tuesday morning".
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appointment_requests').addColumn('requested_start', 'varchar(40)').execute();
  await db.schema.alterTable('appointment_requests').addColumn('requested_end', 'varchar(40)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appointment_requests').dropColumn('requested_end').execute();
  await db.schema.alterTable('appointment_requests').dropColumn('requested_start').execute();
}
