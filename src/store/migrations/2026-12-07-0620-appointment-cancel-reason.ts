import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// The web app cancels an appointment with an optional reason the team reads later; it is the
// appointment's own fact, so it is a column beside the status rather than a tag or a note.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appointment_requests').addColumn('cancel_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('appointment_requests').dropColumn('cancel_reason').execute();
}
