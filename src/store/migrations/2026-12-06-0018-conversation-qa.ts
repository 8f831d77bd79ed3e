import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Spec C's quality review of a conversation (flags, tags, outcome, notes), kept as one JSON object
// on the conversation it judges.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('qa', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('qa').execute();
}
