import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { CredentialsTable } from '../../store/tables.js';

/** A credential as stored: never its plain secret, only a hash or (for secrets we sign with) a sealed copy. */
export interface StoredCredential {
  id: string;
  tenantId: string;
  kind: string;
  /** Public half where a credential has one (OAuth client_id). */
  publicId: string | null;
  keyHash: string | null;
  sealedSecret: string | null;
  displayPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  retiresAt: string | null;
}

export interface CredentialsRepo {
  insert(tenantId: string, credential: Omit<StoredCredential, 'tenantId'>): Promise<void>;
  /** Across tenants: the hash of the presented secret is what finds the tenant. */
  findActiveByHash(keyHash: string): Promise<StoredCredential | undefined>;
  /** Across tenants: an OAuth client id is what finds the tenant. */
  findActiveByPublicId(publicId: string): Promise<StoredCredential | undefined>;
  /**
   * The kind's rows that still verify at `now`: the live one, then revoked ones within their grace
   * window, newest first; live first even when a rotation made both in the same millisecond.
   */
  findVerifyingByKind(tenantId: string, kind: string, now: string): Promise<StoredCredential[]>;
  /** The tenant's live credentials, by kind. */
  listByTenant(tenantId: string): Promise<StoredCredential[]>;
  /** When each kind was first issued to the tenant, revoked rows included. */
  firstIssuedByKind(tenantId: string): Promise<Map<string, string>>;
  revokeKind(tenantId: string, kind: string, at: string): Promise<void>;
  /**
   * Revokes the kind's live rows at `at` but lets them verify until `retiresAt`; a row still within an
   * earlier grace window retires at `at`, so only the one just replaced is kept.
   */
  retireKind(tenantId: string, kind: string, at: string, retiresAt: string): Promise<void>;
}

function rowOf(tenantId: string, c: Omit<StoredCredential, 'tenantId'>) {
  return {
    id: c.id,
    tenant_id: tenantId,
    kind: c.kind,
    public_id: c.publicId,
    key_hash: c.keyHash,
    sealed_secret: c.sealedSecret,
    display_prefix: c.displayPrefix,
    created_at: c.createdAt,
    revoked_at: c.revokedAt,
    retires_at: c.retiresAt,
  };
}

export function createCredentialsRepo(db: Db): CredentialsRepo {
  const live = () => db.selectFrom('credentials').selectAll().where('revoked_at', 'is', null);
  return {
    async insert(tenantId, c) {
      await db.insertInto('credentials').values(rowOf(tenantId, c)).execute();
    },

    async findActiveByHash(keyHash) {
      const row = await live().where('key_hash', '=', keyHash).executeTakeFirst();
      return row && toStored(row);
    },

    async findActiveByPublicId(publicId) {
      const row = await live().where('public_id', '=', publicId).executeTakeFirst();
      return row && toStored(row);
    },

    async findVerifyingByKind(tenantId, kind, now) {
      const rows = await db
        .selectFrom('credentials')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('retires_at', '>', now)]))
        .orderBy(sql`case when revoked_at is null then 0 else 1 end`)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toStored);
    },

    async listByTenant(tenantId) {
      return (await live().where('tenant_id', '=', tenantId).orderBy('kind').execute()).map(toStored);
    },

    async firstIssuedByKind(tenantId) {
      const rows = await db
        .selectFrom('credentials')
        .select((eb) => ['kind', eb.fn.min('created_at').as('first')])
        .where('tenant_id', '=', tenantId)
        .groupBy('kind')
        .execute();
      return new Map(rows.map((r) => [r.kind, String(r.first)]));
    },

    async revokeKind(tenantId, kind, at) {
      await db
        .updateTable('credentials')
        .set({ revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .where('revoked_at', 'is', null)
        .execute();
    },

    async retireKind(tenantId, kind, at, retiresAt) {
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
    },
  };
}

function toStored(r: CredentialsTable): StoredCredential {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    kind: r.kind,
    publicId: r.public_id,
    keyHash: r.key_hash,
    sealedSecret: r.sealed_secret,
    displayPrefix: r.display_prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    retiresAt: r.retires_at,
  };
}
