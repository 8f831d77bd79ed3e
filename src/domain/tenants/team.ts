import type { Clock } from '../../lib/clock.js';
import { newToken } from '../../lib/ids.js';
import { hashKey } from '../../lib/secrets.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { rolePermissions, type ROLES } from './tenants.schema.js';
import type { User, UserChange, UsersRepo } from './users.repo.js';

/** Changing a tenant's team after it is created: roles, deactivation, invitations sent again or taken back. */

export type Role = (typeof ROLES)[number];

export const INVITATION_DAYS = 7;

export interface TeamPorts {
  repo: UsersRepo;
  clock: Clock;
  audit: AuditService;
}

async function load(ports: TeamPorts, tenantId: string, id: string): Promise<User> {
  const user = await ports.repo.findById(tenantId, id);
  if (!user) throw notFound('user', id);
  return user;
}

/** A tenant keeps at least one active owner: demoting or deactivating the last one is refused. */
async function keepAnOwner(ports: TeamPorts, user: User, what: string): Promise<void> {
  if (user.role !== 'owner' || user.status !== 'active') return;
  if ((await ports.repo.countActiveOwners(user.tenantId)) > 1) return;
  throw new AppError(
    'CONFLICT',
    `${user.email} is the tenant's last owner and cannot be ${what}; make someone else owner first`,
  );
}

/** Only an owner makes or unmakes an owner, so an admin cannot raise themselves above the people who granted them. */
export function checkOwnerRole(byRole: string, roles: readonly string[]): void {
  if (byRole !== 'owner' && roles.includes('owner'))
    throw forbidden('Only an owner can give, change or take away the owner role');
}

async function apply(ports: TeamPorts, actor: Actor, user: User, change: UserChange, action: string): Promise<User> {
  await ports.repo.change(user.tenantId, user.id, change, ports.clock.now().toISOString());
  await ports.audit.record(actor, {
    tenantId: user.tenantId,
    action,
    targetType: 'user',
    targetId: user.id,
    before: { role: user.role, status: user.status },
    after: { ...(change.role ? { role: change.role } : {}), ...(change.status ? { status: change.status } : {}) },
  });
  return load(ports, user.tenantId, user.id);
}

export async function changeRole(
  ports: TeamPorts,
  actor: Actor,
  tenantId: string,
  change: { id: string; role: Role; byRole: string },
) {
  const { id, role } = change;
  const user = await load(ports, tenantId, id);
  checkOwnerRole(change.byRole, [user.role, role]);
  if (user.role === role) return user;
  if (role !== 'owner') await keepAnOwner(ports, user, 'demoted');
  return apply(ports, actor, user, { role, permissions: [...rolePermissions[role]] }, 'user.role_changed');
}

export async function deactivate(ports: TeamPorts, actor: Actor, tenantId: string, id: string, byRole: string) {
  const user = await load(ports, tenantId, id);
  checkOwnerRole(byRole, [user.role]);
  if (user.status === 'deactivated') return user;
  await keepAnOwner(ports, user, 'deactivated');
  const change = { status: 'deactivated', invitationTokenHash: null, invitationExpiresAt: null };
  return apply(ports, actor, user, change, 'user.deactivated');
}

async function loadInvited(ports: TeamPorts, tenantId: string, id: string): Promise<User> {
  const user = await load(ports, tenantId, id);
  if (user.status !== 'invited')
    throw new AppError('CONFLICT', `${user.email} has no open invitation (${user.status})`);
  return user;
}

/** A fresh invitation token (the old one stops working) and a fresh 7 days; the token is returned once. */
export async function reinvite(ports: TeamPorts, actor: Actor, tenantId: string, id: string) {
  const user = await loadInvited(ports, tenantId, id);
  const token = newToken('fd_inv_');
  const expiresAt = new Date(ports.clock.now().getTime() + INVITATION_DAYS * 86_400_000).toISOString();
  const change = { invitationTokenHash: hashKey(token), invitationExpiresAt: expiresAt };
  return { user: await apply(ports, actor, user, change, 'user.invitation_resent'), invitationToken: token };
}

/** Takes an invitation back: the invited user, who never signed in, is removed. */
export async function revokeInvitation(ports: TeamPorts, actor: Actor, tenantId: string, id: string) {
  const user = await loadInvited(ports, tenantId, id);
  if (!(await ports.repo.removeInvited(tenantId, id))) throw notFound('user', id);
  await ports.audit.record(actor, {
    tenantId,
    action: 'user.invitation_revoked',
    targetType: 'user',
    targetId: id,
    before: { email: user.email, status: user.status },
  });
}
