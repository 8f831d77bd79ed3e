import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson, toJson } from '../../store/json.js';
import type { UsersTable } from '../../store/tables.js';

/** A person of a tenant's team. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: string;
  permissions: string[];
  status: string;
  department: string | null;
  /** Their own mobile in E.164, where notices reach them by SMS. */
  phone: string | null;
  invitationExpiresAt: string | null;
  createdAt: string;
}

/** What is stored besides the record: only the hash of an invitation token. */
export type NewUser = Omit<User, 'tenantId'> & { invitationTokenHash: string | null; updatedAt: string };

export interface UserChange {
  role?: string;
  permissions?: string[];
  status?: string;
  invitationTokenHash?: string | null;
  invitationExpiresAt?: string | null;
}

export interface UsersRepo {
  insert(tenantId: string, user: NewUser): Promise<void>;
  findByEmail(tenantId: string, email: string): Promise<User | undefined>;
  listByTenant(
    tenantId: string,
    opts: { limit: number; offset: number; role?: string },
  ): Promise<{ users: User[]; total: number }>;
  findById(tenantId: string, id: string): Promise<User | undefined>;
  /** Invitation tokens are looked up by their hash before the tenant is known. */
  findByInvitationHash(hash: string): Promise<User | undefined>;
  /** The users of every tenant with this e-mail: the same person may work for several. */
  listByEmailEverywhere(email: string): Promise<User[]>;
  /** Changes a user's role, permissions, status or invitation; false when the user is not there. */
  change(tenantId: string, id: string, to: UserChange, at: string): Promise<boolean>;
  /** Active users with the `owner` role. */
  countActiveOwners(tenantId: string): Promise<number>;
  /** Removes a user still invited (never signed in, so nothing else names them); false otherwise. */
  removeInvited(tenantId: string, id: string): Promise<boolean>;
  /** Marks an invitation accepted: the user is active and the token is spent. */
  activate(
    tenantId: string,
    id: string,
    names: { firstName: string; lastName: string | null },
    at: string,
  ): Promise<boolean>;
  /** Sets or clears the user's own mobile; false when no such user is in the tenant. */
  setPhone(tenantId: string, id: string, phone: string | null, at: string): Promise<boolean>;
}

export function createUsersRepo(db: Db): UsersRepo {
  const findBy = async (tenantId: string, column: 'id' | 'email', value: string) => {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(column, '=', value)
      .executeTakeFirst();
    return row && toUser(row);
  };

  return {
    ...teamWrites(db),
    async insert(tenantId, u) {
      await db.insertInto('users').values(rowOf(tenantId, u)).execute();
    },

    findByEmail: (tenantId, email) => findBy(tenantId, 'email', email),

    async listByTenant(tenantId, opts) {
      let q = db.selectFrom('users').where('tenant_id', '=', tenantId);
      if (opts.role) q = q.where('role', '=', opts.role);
      const { rows, total } = await pageWithTotal(q, (p) =>
        p.selectAll().orderBy('created_at').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      );
      return { users: rows.map(toUser), total };
    },

    findById: (tenantId, id) => findBy(tenantId, 'id', id),

    async findByInvitationHash(hash) {
      const row = await db.selectFrom('users').selectAll().where('invitation_token_hash', '=', hash).executeTakeFirst();
      return row && toUser(row);
    },

    async listByEmailEverywhere(email) {
      const rows = await db.selectFrom('users').selectAll().where('email', '=', email).orderBy('created_at').execute();
      return rows.map(toUser);
    },

    async activate(tenantId, id, names, at) {
      const result = await db
        .updateTable('users')
        .set({
          status: 'active',
          first_name: names.firstName,
          last_name: names.lastName,
          invitation_token_hash: null,
          invitation_expires_at: null,
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'invited')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async setPhone(tenantId, id, phone, at) {
      const result = await db
        .updateTable('users')
        .set({ phone, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

function rowOf(tenantId: string, u: NewUser): UsersTable {
  return {
    id: u.id,
    tenant_id: tenantId,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    permissions: toJson(u.permissions),
    status: u.status,
    department: u.department,
    phone: u.phone,
    invitation_token_hash: u.invitationTokenHash,
    invitation_expires_at: u.invitationExpiresAt,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

function toUser(r: UsersTable): User {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    permissions: fromJson<string[]>(r.permissions, []),
    status: r.status,
    department: r.department,
    phone: r.phone,
    invitationExpiresAt: r.invitation_expires_at,
    createdAt: r.created_at,
  };
}

/** Role, status and invitation changes after a user is created. */
function teamWrites(db: Db): Pick<UsersRepo, 'change' | 'countActiveOwners' | 'removeInvited'> {
  return {
    async change(tenantId, id, to, at) {
      const result = await db
        .updateTable('users')
        .set({
          ...(to.role !== undefined ? { role: to.role } : {}),
          ...(to.permissions !== undefined ? { permissions: toJson(to.permissions) } : {}),
          ...(to.status !== undefined ? { status: to.status } : {}),
          ...(to.invitationTokenHash !== undefined ? { invitation_token_hash: to.invitationTokenHash } : {}),
          ...(to.invitationExpiresAt !== undefined ? { invitation_expires_at: to.invitationExpiresAt } : {}),
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async countActiveOwners(tenantId) {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async removeInvited(tenantId, id) {
      const result = await db
        .deleteFrom('users')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'invited')
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
