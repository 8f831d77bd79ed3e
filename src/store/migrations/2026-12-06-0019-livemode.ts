import { sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Rows written under a tenant's test key carry `livemode = false`, so live analytics, exports and
// outbound webhooks can leave them out while they stay readable. Every existing row was live.
// A test lead with a live lead's e-mail is a lead of its own: the one-lead-per-e-mail rule holds per
// mode, and so does an Idempotency-Key (the dedupe key of an ingestion request).
const TABLES = [
  'leads',
  'batches',
  'ingestion_requests',
  'chat_sessions',
  'conversations',
  'messages',
  'appointment_requests',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES)
    await db.schema
      .alterTable(table)
      .addColumn('livemode', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
  await db.schema.dropIndex('leads_tenant_email').execute();
  await db.schema
    .createIndex('leads_tenant_mode_email')
    .unique()
    .on('leads')
    .columns(['tenant_id', 'livemode', 'email'])
    .where(sql.ref('email'), 'is not', null)
    .execute();
  await db.schema.dropIndex('ingestion_requests_dedupe').execute();
  await db.schema
    .createIndex('ingestion_requests_mode_dedupe')
    .unique()
    .on('ingestion_requests')
    .columns(['tenant_id', 'livemode', 'dedupe_key'])
    .where(sql.ref('dedupe_key'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('ingestion_requests_mode_dedupe').execute();
  await db.schema
    .createIndex('ingestion_requests_dedupe')
    .unique()
    .on('ingestion_requests')
    .columns(['tenant_id', 'dedupe_key'])
    .where(sql.ref('dedupe_key'), 'is not', null)
    .execute();
  await db.schema.dropIndex('leads_tenant_mode_email').execute();
  await db.schema
    .createIndex('leads_tenant_email')
    .unique()
    .on('leads')
    .columns(['tenant_id', 'email'])
    .where(sql.ref('email'), 'is not', null)
    .execute();
  for (const table of TABLES) await db.schema.alterTable(table).dropColumn('livemode').execute();
}
