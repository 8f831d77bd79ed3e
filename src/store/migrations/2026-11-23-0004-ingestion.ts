import { sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ingestion_requests')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('external_id', 'varchar(128)')
    .addColumn('dedupe_key', 'varchar(200)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('original_payload', 'text', (c) => c.notNull())
    .addColumn('call_data', 'text', (c) => c.notNull())
    .addColumn('enriched_data', 'text', (c) => c.notNull())
    .addColumn('ai_analysis', 'text')
    .addColumn('lead_id', 'varchar(40)')
    .addColumn('lead_score', 'integer')
    .addColumn('project_type', 'varchar(64)')
    .addColumn('error_message', 'text')
    .addColumn('retry_scheduled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_at', 'varchar(32)')
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('ack_ms', 'integer')
    .addColumn('processing_time_ms', 'integer')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('processed_at', 'varchar(32)')
    .execute();
  // The same CallRail call or Idempotency-Key again finds the first request instead of a second one.
  await db.schema
    .createIndex('ingestion_requests_dedupe')
    .unique()
    .on('ingestion_requests')
    .columns(['tenant_id', 'dedupe_key'])
    .where(sql.ref('dedupe_key'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('ingestion_requests_tenant_created')
    .on('ingestion_requests')
    .columns(['tenant_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ingestion_requests_tenant_status')
    .on('ingestion_requests')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('ingestion_steps')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('request_id', 'varchar(40)', (c) => c.notNull().references('ingestion_requests.id').onDelete('cascade'))
    .addColumn('step', 'varchar(32)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('duration_ms', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('error', 'text')
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('output', 'text')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ingestion_steps_request_step')
    .unique()
    .on('ingestion_steps')
    .columns(['request_id', 'step'])
    .execute();
  await db.schema
    .createIndex('ingestion_steps_tenant')
    .on('ingestion_steps')
    .columns(['tenant_id', 'request_id'])
    .execute();

  await db.schema
    .createTable('exports')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('format', 'varchar(8)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text')
    .addColumn('content_type', 'varchar(100)')
    .addColumn('record_count', 'integer')
    .addColumn('file_size_bytes', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exports_tenant_created').on('exports').columns(['tenant_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('exports').execute();
  await db.schema.dropTable('ingestion_steps').execute();
  await db.schema.dropTable('ingestion_requests').execute();
}
