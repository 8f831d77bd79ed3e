import type { Clock } from '../../lib/clock.js';
import { newId, newToken } from '../../lib/ids.js';
import { hashKey } from '../../lib/secrets.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError } from '../errors.js';
import { parseInput } from './config-input.js';
import { createUserSchema, rolePermissions, type CreateUserInput } from './tenants.schema.js';
import { changeRole, deactivate, INVITATION_DAYS, reinvite, revokeInvitation, type Role } from './team.js';
import type { User, UsersRepo } from './users.repo.js';

export type { User } from './users.repo.js';

export interface UsersService {
  /** Adds a user; with an invitation, returns its token once (only its hash is kept). */
  create(actor: Actor, tenantId: string, input: CreateUserInput): Promise<User & { invitationToken: string | null }>;
  list(
    tenantId: string,
    opts: { limit: number; offset: number; role?: string },
  ): Promise<{ users: User[]; total: number }>;
  get(tenantId: string, id: string): Promise<User | undefined>;
  /** The invited user an invitation token names, while it is unexpired and unspent. */
  findInvited(token: string): Promise<User | undefined>;
  /** Spends an invitation: the user becomes active under the name they gave; false when it was spent meanwhile. */
  acceptInvitation(user: User, names: { firstName: string; lastName: string | null }): Promise<boolean>;
  /** Every active user with this e-mail, in any tenant. */
  listActiveByEmail(email: string): Promise<User[]>;
  /** Sets (E.164, checked by the caller's schema) or clears a user's own mobile; undefined when no such user is in the tenant. */
  setPhone(tenantId: string, userId: string, phone: string | null): Promise<User | undefined>;
  /**
   * A new role with its permissions, changed by someone of `byRole`: only an owner gives or takes
   * the owner role (FORBIDDEN otherwise); demoting the tenant's last active owner is a CONFLICT.
   */
  changeRole(actor: Actor, tenantId: string, change: { id: string; role: Role; byRole: string }): Promise<User>;
  /** Ends a user's access (their sessions stop at once); only an owner deactivates an owner, and never the last. */
  deactivate(actor: Actor, tenantId: string, id: string, byRole: string): Promise<User>;
  /** A new token for an open invitation, returned once; the previous token stops working. */
  reinvite(actor: Actor, tenantId: string, id: string): Promise<{ user: User; invitationToken: string }>;
  /** Takes back an open invitation: the invited user is removed. */
  revokeInvitation(actor: Actor, tenantId: string, id: string): Promise<void>;
}

export function createUsersService(deps: { repo: UsersRepo; clock: Clock; audit: AuditService }): UsersService {
  return {
    async create(actor, tenantId, rawInput) {
      const input = parseInput(createUserSchema, rawInput);
      const email = input.email.trim().toLowerCase();
      if (await deps.repo.findByEmail(tenantId, email)) {
        throw new AppError('CONFLICT', `A user with e-mail ${email} already exists in this tenant`, {
          fields: [{ field: 'email', issue: 'already exists', type: 'conflict' }],
        });
      }
      const now = deps.clock.now();
      const invitationToken = input.send_invitation ? newToken('fd_inv_') : null;
      const user: User = {
        id: newId('user'),
        tenantId,
        email,
        firstName: input.first_name ?? null,
        lastName: input.last_name ?? null,
        role: input.role,
        permissions: [...(input.permissions ?? rolePermissions[input.role])],
        status: invitationToken ? 'invited' : 'active',
        department: input.department ?? null,
        phone: null,
        invitationExpiresAt: invitationToken
          ? new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString()
          : null,
        createdAt: now.toISOString(),
      };
      await deps.repo.insert(tenantId, {
        ...user,
        invitationTokenHash: invitationToken ? hashKey(invitationToken) : null,
        updatedAt: user.createdAt,
      });
      await deps.audit.record(actor, {
        tenantId,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        after: { email, role: user.role, permissions: user.permissions, status: user.status },
      });
      return { ...user, invitationToken };
    },

    list: (tenantId, opts) => deps.repo.listByTenant(tenantId, opts),

    get: (tenantId, id) => deps.repo.findById(tenantId, id),

    async findInvited(token) {
      const user = await deps.repo.findByInvitationHash(hashKey(token));
      if (!user || user.status !== 'invited') return undefined;
      const expiresAt = user.invitationExpiresAt ? Date.parse(user.invitationExpiresAt) : 0;
      return expiresAt > deps.clock.now().getTime() ? user : undefined;
    },

    async acceptInvitation(user, names) {
      const at = deps.clock.now().toISOString();
      const done = await deps.repo.activate(user.tenantId, user.id, names, at);
      if (done)
        await deps.audit.record(
          { kind: 'user', id: user.id, tenantId: user.tenantId, requestId: null, mode: 'live' },
          { tenantId: user.tenantId, action: 'user.invitation_accepted', targetType: 'user', targetId: user.id },
        );
      return done;
    },

    async listActiveByEmail(email) {
      const users = await deps.repo.listByEmailEverywhere(email.trim().toLowerCase());
      return users.filter((u) => u.status === 'active');
    },

    async setPhone(tenantId, userId, phone) {
      const at = deps.clock.now().toISOString();
      if (!(await deps.repo.setPhone(tenantId, userId, phone, at))) return undefined;
      return deps.repo.findById(tenantId, userId);
    },
    changeRole: (actor, tenantId, change) => changeRole(deps, actor, tenantId, change),
    deactivate: (actor, tenantId, id, byRole) => deactivate(deps, actor, tenantId, id, byRole),
    reinvite: (actor, tenantId, id) => reinvite(deps, actor, tenantId, id),
    revokeInvitation: (actor, tenantId, id) => revokeInvitation(deps, actor, tenantId, id),
  };
}
