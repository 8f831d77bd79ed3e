import type { Db } from '../../store/db.js';

/** One signing key as stored: the public JWK in the clear, the private one sealed with the master key. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  publicJwk: string;
  privateSealed: string;
  createdAt: string;
  /** Set when a newer key replaced this one: it verifies until then, then is retired. */
  retiresAt: string | null;
}

/** Signing keys are the platform's, not a tenant's: no tenant filter applies. */
export interface SigningKeysRepo {
  /** Newest first: the first key signs. */
  listAll(): Promise<StoredSigningKey[]>;
  insert(key: StoredSigningKey): Promise<void>;
  /** Schedules the retirement of every key but `kid` that has none scheduled yet. */
  retireOthers(kid: string, retiresAt: string): Promise<void>;
  deleteRetired(now: string): Promise<void>;
}

export function createSigningKeysRepo(db: Db): SigningKeysRepo {
  return {
    async listAll() {
      const rows = await db
        .selectFrom('signing_keys')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('kid', 'desc')
        .execute();
      return rows.map((r) => ({
        kid: r.kid,
        alg: r.alg,
        publicJwk: r.public_jwk,
        privateSealed: r.private_sealed,
        createdAt: r.created_at,
        retiresAt: r.retires_at,
      }));
    },

    async insert(key) {
      await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          public_jwk: key.publicJwk,
          private_sealed: key.privateSealed,
          created_at: key.createdAt,
          retires_at: key.retiresAt,
        })
        .execute();
    },

    async retireOthers(kid, retiresAt) {
      await db
        .updateTable('signing_keys')
        .set({ retires_at: retiresAt })
        .where('kid', '!=', kid)
        .where('retires_at', 'is', null)
        .execute();
    },

    async deleteRetired(now) {
      await db.deleteFrom('signing_keys').where('retires_at', '<=', now).execute();
    },
  };
}
