import type { Kysely } from 'kysely';

// Frozen: append a new migration instead of editing this one.
// Log-in to the web app: people's password hashes, one-time sign-in links and sessions. Every
// secret (session id, link token) is kept as its SHA-256 only, so a copy of the database signs nobody in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_passwords')
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(40)', (c) => c.notNull())
    /** An argon2id PHC string. */
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_passwords_pk', ['tenant_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('magic_links')
    /** SHA-256 of the link's token. */
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('magic_links_tenant_idx').on('magic_links').column('tenant_id').execute();
  await db.schema
    .createTable('app_sessions')
    /** SHA-256 of the session id the cookie carries. */
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    /** Null only for the platform admin's sessions, which belong to no tenant. */
    .addColumn('tenant_id', 'varchar(64)', (c) => c.references('tenants.id').onDelete('cascade'))
    /** `user`, `owner` (the owner-token link) or `admin`. */
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_sessions_tenant_idx').on('app_sessions').column('tenant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_sessions').execute();
  await db.schema.dropTable('magic_links').execute();
  await db.schema.dropTable('user_passwords').execute();
}
