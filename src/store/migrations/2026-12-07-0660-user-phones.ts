import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// A team member's own mobile (E.164), where the tenant's notices reach them by SMS. Nobody had one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('phone').execute();
}
