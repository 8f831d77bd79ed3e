import type { Db } from '../../store/db.js';
import type { CredentialsTable } from '../../store/tables.js';

export type CredentialRow = CredentialsTable;

export async function insert(db: Db, row: CredentialRow): Promise<void> {
  await db.insertInto('credentials').values(row).execute();
}

export async function findActiveByHash(db: Db, keyHash: string): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findActiveByPublicId(db: Db, publicId: string): Promise<CredentialRow | undefined> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('public_id', '=', publicId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** The kind's rows that still verify at `now`: live ones, then revoked ones within their grace window; newest first. */
export async function findVerifyingByKind(
  db: Db,
  tenantId: string,
  kind: string,
  now: string,
): Promise<CredentialRow[]> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('retires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
}

export async function listByTenant(db: Db, tenantId: string): Promise<CredentialRow[]> {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('kind')
    .execute();
}

export async function revokeKind(db: Db, tenantId: string, kind: string, at: string): Promise<void> {
  await db
    .updateTable('credentials')
    .set({ revoked_at: at })
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Revokes the kind's live rows at `at` but lets them verify until `retiresAt`; a row still within an
 * earlier grace window retires at `at`, so only the one just replaced is kept.
 */
export async function retireKind(db: Db, tenantId: string, kind: string, at: string, retiresAt: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('credentials')
      .set({ retires_at: at })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('retires_at', '>', at)
      .execute();
    await trx
      .updateTable('credentials')
      .set({ revoked_at: at, retires_at: retiresAt })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .execute();
  });
}
