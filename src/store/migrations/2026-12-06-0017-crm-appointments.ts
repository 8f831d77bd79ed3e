import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Spec C's CRM books appointments by hand, with no conversation behind them, and keeps the fields a
// dispatcher works with. They are the same appointments a chat requests, so the one table grows
// instead of a parallel one: conversation_id becomes optional, and status widens to hold
// `reschedule_requested`. SQLite cannot drop a NOT NULL, so there the table is rebuilt (nothing
// references it).

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table appointment_requests alter column conversation_id drop not null`.execute(db);
    await sql`alter table appointment_requests alter column status type varchar(32)`.execute(db);
    for (const [name, type, fill] of NEW_COLUMNS) {
      await db.schema
        .alterTable('appointment_requests')
        .addColumn(name, type, (c) => (fill === undefined ? c : c.notNull().defaultTo(fill)))
        .execute();
    }
  } else {
    await rebuildOnSqlite(db);
  }
  await db.schema
    .createIndex('appointment_requests_tenant_contact')
    .on('appointment_requests')
    .columns(['tenant_id', 'contact_id'])
    .execute();
  await db.schema
    .createIndex('appointment_requests_tenant_start')
    .on('appointment_requests')
    .columns(['tenant_id', 'start_time'])
    .execute();
}

/** Drops the new columns; conversation_id stays optional (rows booked through the CRM have none). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('appointment_requests_tenant_start').execute();
  await db.schema.dropIndex('appointment_requests_tenant_contact').execute();
  for (const [name] of [...NEW_COLUMNS].reverse()) {
    await db.schema.alterTable('appointment_requests').dropColumn(name).execute();
  }
}

type ColumnType = 'varchar(32)' | 'varchar(120)' | 'varchar(16)' | 'text' | 'integer' | 'double precision';

/** Name, type, and the value existing rows take (undefined: nullable, no default). */
const NEW_COLUMNS: [string, ColumnType, string | number | undefined][] = [
  ['start_time', 'varchar(32)', undefined],
  ['end_time', 'varchar(32)', undefined],
  ['service_type', 'varchar(120)', undefined],
  ['description', 'text', undefined],
  ['is_emergency', 'integer', 0],
  ['estimated_value', 'double precision', undefined],
  ['technician', 'varchar(120)', undefined],
  ['tags', 'text', '[]'],
  /** `chat` (a conversation requested it) or `crm` (booked through the CRM API). */
  ['source', 'varchar(16)', 'chat'],
];

async function rebuildOnSqlite(db: Kysely<unknown>): Promise<void> {
  let create = db.schema
    .createTable('appointment_requests_next')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('conversation_id', 'varchar(48)', (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'varchar(40)')
    .addColumn('lead_id', 'varchar(40)')
    .addColumn('preferred_time', 'text')
    .addColumn('requested_start', 'varchar(40)')
    .addColumn('requested_end', 'varchar(40)')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull());
  for (const [name, type, fill] of NEW_COLUMNS) {
    create = create.addColumn(name, type, (c) => (fill === undefined ? c : c.notNull().defaultTo(fill)));
  }
  await create.execute();
  const kept = sql.raw(
    'id, tenant_id, conversation_id, contact_id, lead_id, preferred_time, requested_start, requested_end, fields, status, created_at, updated_at',
  );
  await sql`insert into appointment_requests_next (${kept}) select ${kept} from appointment_requests`.execute(db);
  await db.schema.dropTable('appointment_requests').execute();
  await db.schema.alterTable('appointment_requests_next').renameTo('appointment_requests').execute();
  await db.schema
    .createIndex('appointment_requests_tenant_conversation')
    .on('appointment_requests')
    .columns(['tenant_id', 'conversation_id'])
    .execute();
  await db.schema
    .createIndex('appointment_requests_tenant_created')
    .on('appointment_requests')
    .columns(['tenant_id', 'created_at'])
    .execute();
}
