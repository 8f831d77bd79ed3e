import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// A webhook secret rotated out keeps verifying until `retires_at` (the tenant's grace window), so a
// retry signed before the rotation is not lost; other credentials stop at `revoked_at`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('credentials').addColumn('retires_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('credentials').dropColumn('retires_at').execute();
}
