import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Credential rotation revokes the JWTs minted before it: a tenant's token generation is stamped into
// every JWT it is issued and moves forward when its OAuth client or API key is rotated; a tenant
// without a row is at generation 0. A signing key being rotated out keeps verifying until
// `retires_at`, then is retired.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_generations')
    .addColumn('tenant_id', 'varchar(64)', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('signing_keys').addColumn('retires_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('signing_keys').dropColumn('retires_at').execute();
  await db.schema.dropTable('token_generations').execute();
}
