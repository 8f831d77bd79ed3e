import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Lookups on every webhook that otherwise scan a tenant's rows: the completion estimate reads
// recent completed requests, and a caller's lead is the oldest with its phone (with `created_at`
// in the index that is one seek; without it SQLite prefers walking the tenant's leads by date).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('ingestion_requests_tenant_status_processed')
    .on('ingestion_requests')
    .columns(['tenant_id', 'status', 'processed_at'])
    .execute();
  await db.schema.createIndex('leads_tenant_phone').on('leads').columns(['tenant_id', 'phone', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('leads_tenant_phone').execute();
  await db.schema.dropIndex('ingestion_requests_tenant_status_processed').execute();
}
