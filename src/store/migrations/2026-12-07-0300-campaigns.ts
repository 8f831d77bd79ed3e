import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Spec B's outbound campaigns: the campaign with its daily dial counter (one row a worker updates
// under a condition, so two workers never pass the daily limit together), one target per number
// it may call (the lead lives in `leads`; the dialling state lives here, claimed row by row), and
// the tenant's do-not-call list.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('niche', 'varchar(80)', (c) => c.notNull())
    .addColumn('client_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('client_service', 'varchar(200)', (c) => c.notNull())
    /** JSON array of city names. */
    .addColumn('target_cities', 'text', (c) => c.notNull())
    .addColumn('target_lead_count', 'integer', (c) => c.notNull())
    .addColumn('daily_call_limit', 'integer', (c) => c.notNull())
    /** `draft`, `running`, `paused` or `completed`. */
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    /** The local day (`YYYY-MM-DD`, tenant's zone) `dials_today` counts. */
    .addColumn('dials_day', 'varchar(10)')
    .addColumn('dials_today', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaigns_tenant_created')
    .on('campaigns')
    .columns(['tenant_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('campaign_targets')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('campaign_id', 'varchar(40)', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('lead_id', 'varchar(40)', (c) => c.notNull())
    /** E.164. */
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    /** The IANA zone calling hours are held in. */
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    /** `pending` (waiting for next_dial_at), `dialing` (claimed, call under way), `done`, or `blocked` (opted out, do-not-call). */
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_dial_at', 'varchar(32)', (c) => c.notNull())
    /** The latest call's outcome. */
    .addColumn('outcome', 'varchar(32)')
    /** The dialer's id of the latest call (Twilio CallSid, Exotel Sid, simulator id). */
    .addColumn('call_ref', 'varchar(64)')
    /** What the callee said on the latest call, one line each (read to judge its outcome). */
    .addColumn('transcript', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('campaign_targets_phone', ['tenant_id', 'campaign_id', 'phone'])
    .execute();
  await db.schema
    .createIndex('campaign_targets_due')
    .on('campaign_targets')
    .columns(['tenant_id', 'campaign_id', 'state', 'next_dial_at'])
    .execute();
  await db.schema
    .createIndex('campaign_targets_call')
    .on('campaign_targets')
    .columns(['tenant_id', 'call_ref'])
    .execute();

  await db.schema
    .createTable('campaign_dnc')
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    /** E.164. */
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_dnc_pk', ['tenant_id', 'phone'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_dnc').execute();
  await db.schema.dropTable('campaign_targets').execute();
  await db.schema.dropTable('campaigns').execute();
}
