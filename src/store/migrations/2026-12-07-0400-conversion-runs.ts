import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Each training of a tenant's conversion model is one row: its progress, the outcome counts it
// read, and, once it succeeded, the model and its held-out figures as JSON. The newest succeeded
// row is the tenant's model, so a failed retrain never takes a working model away.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversion_runs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    /** `queued`, `running`, `succeeded`, `insufficient_data` or `failed`. */
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('requested_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('finished_at', 'varchar(32)')
    /** JSON: labeled, positives, negatives, train and held-out counts, once read. */
    .addColumn('counts', 'text')
    /** JSON: how many more outcomes of each kind a run with too few needed. */
    .addColumn('shortfall', 'text')
    .addColumn('message', 'text')
    /** JSON: the fitted model (features, weights, bias, vocabulary). */
    .addColumn('model', 'text')
    /** JSON: the held-out comparison of the model with the rule score. */
    .addColumn('performance', 'text')
    /** 1 when the model beat the rules on the held-out split, so scoring blends it in. */
    .addColumn('blending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('conversion_runs_tenant_requested')
    .on('conversion_runs')
    .columns(['tenant_id', 'requested_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversion_runs').execute();
}
