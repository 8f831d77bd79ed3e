import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Spec B reads and filters leads by where they are and what trade they are in; a lead sourced
// by a campaign or created through `/api/leads` carries them, a call or chat lead may not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('leads').addColumn('city', 'varchar(120)').execute();
  await db.schema.alterTable('leads').addColumn('niche', 'varchar(80)').execute();
  await db.schema.alterTable('leads').addColumn('category', 'varchar(120)').execute();
  await db.schema.createIndex('leads_tenant_city').on('leads').columns(['tenant_id', 'city']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('leads_tenant_city').execute();
  await db.schema.alterTable('leads').dropColumn('category').execute();
  await db.schema.alterTable('leads').dropColumn('niche').execute();
  await db.schema.alterTable('leads').dropColumn('city').execute();
}
