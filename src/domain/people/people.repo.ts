import type { Db } from '../../store/db.js';
import type { AppSessionsTable } from '../../store/tables.js';

/** A stored web-app session, found by the hash of the id its cookie carries. */
export interface StoredSession {
  idHash: string;
  tenantId: string | null;
  kind: SessionKind;
  userId: string | null;
  createdAt: string;
  expiresAt: string;
}

/** A team member (`user`), the tenant's owner through the owner-token link (`owner`), or the platform admin. */
export type SessionKind = 'user' | 'owner' | 'admin';

export interface StoredMagicLink {
  tokenHash: string;
  tenantId: string;
  userId: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface PeopleRepo {
  passwordHashOf(tenantId: string, userId: string): Promise<string | undefined>;
  setPassword(tenantId: string, userId: string, hash: string, at: string): Promise<void>;
  insertMagicLink(
    tenantId: string,
    link: { tokenHash: string; userId: string; createdAt: string; expiresAt: string },
  ): Promise<void>;
  findMagicLink(tokenHash: string): Promise<StoredMagicLink | undefined>;
  /** Spends the link once: false when another request spent it first. */
  useMagicLink(tenantId: string, tokenHash: string, at: string): Promise<boolean>;
  insertSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: string): Promise<void>;
}

export function createPeopleRepo(db: Db): PeopleRepo {
  return {
    async passwordHashOf(tenantId, userId) {
      const row = await db
        .selectFrom('user_passwords')
        .select('password_hash')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.password_hash;
    },

    async setPassword(tenantId, userId, hash, at) {
      await db
        .insertInto('user_passwords')
        .values({ tenant_id: tenantId, user_id: userId, password_hash: hash, updated_at: at })
        .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ password_hash: hash, updated_at: at }))
        .execute();
    },

    async insertMagicLink(tenantId, link) {
      await db
        .insertInto('magic_links')
        .values({
          token_hash: link.tokenHash,
          tenant_id: tenantId,
          user_id: link.userId,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
          used_at: null,
        })
        .execute();
    },

    async findMagicLink(tokenHash) {
      const row = await db.selectFrom('magic_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return (
        row && {
          tokenHash: row.token_hash,
          tenantId: row.tenant_id,
          userId: row.user_id,
          expiresAt: row.expires_at,
          usedAt: row.used_at,
        }
      );
    },

    async useMagicLink(tenantId, tokenHash, at) {
      const result = await db
        .updateTable('magic_links')
        .set({ used_at: at })
        .where('tenant_id', '=', tenantId)
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async insertSession(s) {
      await db
        .insertInto('app_sessions')
        .values({
          id_hash: s.idHash,
          tenant_id: s.tenantId,
          kind: s.kind,
          user_id: s.userId,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },

    async findSession(idHash) {
      const row = await db.selectFrom('app_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row && toSession(row);
    },

    async deleteSession(idHash) {
      await db.deleteFrom('app_sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteExpiredSessions(now) {
      await db.deleteFrom('app_sessions').where('expires_at', '<=', now).execute();
    },
  };
}

function toSession(r: AppSessionsTable): StoredSession {
  return {
    idHash: r.id_hash,
    tenantId: r.tenant_id,
    kind: r.kind as SessionKind,
    userId: r.user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}
