import { sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leads')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('name', 'text')
    .addColumn('company', 'text')
    .addColumn('phone', 'varchar(32)')
    .addColumn('message', 'text')
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('tier', 'varchar(8)')
    .addColumn('intent', 'varchar(64)')
    .addColumn('recommended_action', 'varchar(40)')
    .addColumn('analysis', 'text')
    .addColumn('enrichment', 'text')
    .addColumn('processing_time_ms', 'integer')
    .addColumn('qualified_at', 'varchar(32)')
    .addColumn('won_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // One lead per e-mail per tenant: qualifying the same e-mail again updates it.
  await db.schema
    .createIndex('leads_tenant_email')
    .unique()
    .on('leads')
    .columns(['tenant_id', 'email'])
    .where(sql.ref('email'), 'is not', null)
    .execute();
  await db.schema.createIndex('leads_tenant_created').on('leads').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('lead_scores')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('lead_id', 'varchar(40)', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('tier', 'varchar(8)', (c) => c.notNull())
    .addColumn('breakdown', 'text', (c) => c.notNull())
    .addColumn('reasoning', 'text', (c) => c.notNull())
    .addColumn('provider', 'varchar(40)', (c) => c.notNull())
    .addColumn('model', 'varchar(80)', (c) => c.notNull())
    .addColumn('cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lead_scores_lead')
    .on('lead_scores')
    .columns(['tenant_id', 'lead_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('priority', 'varchar(8)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('webhook_url', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('completed_at', 'varchar(32)')
    .addColumn('processing_time_ms', 'integer')
    .execute();
  await db.schema.createIndex('batches_tenant_status').on('batches').columns(['tenant_id', 'status']).execute();

  await db.schema
    .createTable('batch_items')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('batch_id', 'varchar(40)', (c) => c.notNull().references('batches.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('lead_id', 'varchar(40)')
    .addColumn('score', 'integer')
    .addColumn('tier', 'varchar(8)')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('batch_items_batch')
    .on('batch_items')
    .columns(['tenant_id', 'batch_id', 'position'])
    .execute();

  await db.schema
    .createTable('crm_syncs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('lead_id', 'varchar(40)', (c) => c.references('leads.id').onDelete('cascade'))
    .addColumn('request_id', 'varchar(40)')
    .addColumn('crm_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('crm_record_id', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('sync_time_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crm_syncs_tenant_lead').on('crm_syncs').columns(['tenant_id', 'lead_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['crm_syncs', 'batch_items', 'batches', 'lead_scores', 'leads'])
    await db.schema.dropTable(table).ifExists().execute();
}
