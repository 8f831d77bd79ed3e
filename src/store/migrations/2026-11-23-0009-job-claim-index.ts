import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// A worker's claim takes a type's ready jobs in priority, run_at, id order; in this index's order the
// claim reads only the jobs it takes instead of sorting the whole backlog (src/queue/sqlite-claim.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_claim')
    .on('jobs')
    .columns(['type', 'status', 'priority desc', 'run_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_claim').execute();
}
