import type { Clock } from '../../lib/clock.js';
import { newId, newToken } from '../../lib/ids.js';
import { hashKey } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, invalid } from '../errors.js';
import { createUserSchema, rolePermissions, type CreateUserInput } from './tenants.schema.js';
import * as repo from './users.repo.js';

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
  invitationExpiresAt: string | null;
  createdAt: string;
}

export interface UsersService {
  /** Adds a user; with an invitation, returns its token once (only its hash is kept). */
  create(actor: Actor, tenantId: string, input: CreateUserInput): Promise<User & { invitationToken: string | null }>;
  list(
    tenantId: string,
    opts: { limit: number; offset: number; role?: string },
  ): Promise<{ users: User[]; total: number }>;
}

const INVITATION_DAYS = 7;

export function createUsersService(deps: { db: Db; clock: Clock; audit: AuditService }): UsersService {
  const toUser = (r: repo.UserRow): User => ({
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    permissions: fromJson<string[]>(r.permissions, []),
    status: r.status,
    department: r.department,
    invitationExpiresAt: r.invitation_expires_at,
    createdAt: r.created_at,
  });

  return {
    async create(actor, tenantId, rawInput) {
      const parsed = createUserSchema.safeParse(rawInput);
      if (!parsed.success)
        throw invalid(
          parsed.error.issues.map((i) => ({
            field: i.path.map(String).join('.') || 'body',
            issue: i.message,
            type: i.code,
          })),
        );
      const input = parsed.data;
      const email = input.email.trim().toLowerCase();
      if (await repo.findByEmail(deps.db, tenantId, email)) {
        throw new AppError('CONFLICT', `A user with e-mail ${email} already exists in this tenant`, {
          fields: [{ field: 'email', issue: 'already exists', type: 'conflict' }],
        });
      }
      const now = deps.clock.now();
      const invitationToken = input.send_invitation ? newToken('fd_inv_') : null;
      const row: repo.UserRow = {
        id: newId('user'),
        tenant_id: tenantId,
        email,
        first_name: input.first_name ?? null,
        last_name: input.last_name ?? null,
        role: input.role,
        permissions: toJson(input.permissions ?? rolePermissions[input.role]),
        status: invitationToken ? 'invited' : 'active',
        department: input.department ?? null,
        invitation_token_hash: invitationToken ? hashKey(invitationToken) : null,
        invitation_expires_at: invitationToken
          ? new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString()
          : null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await repo.insert(deps.db, row);
      await deps.audit.record(actor, {
        tenantId,
        action: 'user.created',
        targetType: 'user',
        targetId: row.id,
        after: { email, role: row.role, permissions: fromJson(row.permissions, []), status: row.status },
      });
      return { ...toUser(row), invitationToken };
    },

    async list(tenantId, opts) {
      const { rows, total } = await repo.listByTenant(deps.db, tenantId, opts);
      return { users: rows.map(toUser), total };
    },
  };
}
