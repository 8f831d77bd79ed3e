import type { Db } from '../../store/db.js';
import type { CredentialsTable } from '../../store/tables.js';

export type CredentialRow = CredentialsTable;

export async function insert(db: Db, row: CredentialRow): Promise<void> {
  await db.insertInto('credentials').values(row).execute();
}

export async function findActiveByHash(db: Db, keyHash: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('credentials').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function findActiveByPublicId(db: Db, publicId: string): Promise<CredentialRow | undefined> {
  return db.selectFrom('credentials').selectAll().where('public_id', '=', publicId).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function findActiveByKind(db: Db, tenantId: string, kind: string): Promise<CredentialRow[]> {
  return db.selectFrom('credentials').selectAll().where('tenant_id', '=', tenantId).where('kind', '=', kind).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
}

export async function listByTenant(db: Db, tenantId: string): Promise<CredentialRow[]> {
  return db.selectFrom('credentials').selectAll().where('tenant_id', '=', tenantId).where('revoked_at', 'is', null).orderBy('kind').execute();
}

export async function revokeKind(db: Db, tenantId: string, kind: string, at: string): Promise<void> {
  await db.updateTable('credentials').set({ revoked_at: at }).where('tenant_id', '=', tenantId).where('kind', '=', kind).where('revoked_at', 'is', null).execute();
}
