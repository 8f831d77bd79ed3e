import { sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// The intake stores a request without its first job; the relay queues it later and sets `queued_at`
// (src/domain/ingestion/intake-relay.ts). Only requests still waiting for the relay are in the
// partial index, so finding them stays cheap however many requests are stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ingestion_requests').addColumn('queued_at', 'varchar(32)').execute();
  // Older versions queued the first job at intake. A pending request may still lack one (a process
  // that died in between); the relay looks at those again, and a job already queued keeps its dedupe key.
  await sql`UPDATE ingestion_requests SET queued_at = created_at WHERE status <> 'pending'`.execute(db);
  await db.schema
    .createIndex('ingestion_requests_unqueued')
    .on('ingestion_requests')
    .column('created_at')
    .where(sql.ref('queued_at'), 'is', null)
    .execute();
  // Only requests that have finished carry `processed_at`; leaving the others out spares every intake one index write.
  await db.schema.dropIndex('ingestion_requests_tenant_status_processed').execute();
  await db.schema
    .createIndex('ingestion_requests_tenant_processed')
    .on('ingestion_requests')
    .columns(['tenant_id', 'status', 'processed_at'])
    .where(sql.ref('processed_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ingestion_requests_tenant_processed').execute();
  await db.schema
    .createIndex('ingestion_requests_tenant_status_processed')
    .on('ingestion_requests')
    .columns(['tenant_id', 'status', 'processed_at'])
    .execute();
  await db.schema.dropIndex('ingestion_requests_unqueued').execute();
  await db.schema.alterTable('ingestion_requests').dropColumn('queued_at').execute();
}
