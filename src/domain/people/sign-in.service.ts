import type { Clock } from '../../lib/clock.js';
import { safeEqual } from '../../lib/crypto.js';
import { newToken } from '../../lib/ids.js';
import { hashPassword, verifyPassword } from '../../lib/passwords.js';
import { hashKey } from '../../lib/secrets.js';
import type { MailMessage } from '../../providers/notify/email.js';
import { AppError } from '../errors.js';
import type { CredentialsService, TenantsService, User, UsersService } from '../tenants/index.js';
import type { PeopleRepo } from './people.repo.js';
import type { SessionsService, StartedSession } from './sessions.service.js';

/** A sign-in link is good for 15 minutes and once. */
export const MAGIC_LINK_MINUTES = 15;

export interface SignInService {
  /** Spends an invitation: sets the password and name, activates the user and signs them in. */
  acceptInvitation(
    token: string,
    input: { password: string; firstName: string; lastName: string | null },
  ): Promise<StartedSession>;
  /** E-mail and password; `tenantId` chooses when the person works for several tenants. */
  signInWithPassword(email: string, password: string, tenantId?: string): Promise<StartedSession>;
  /** Mails a one-time sign-in link to each active user with this e-mail; silent when there is none. */
  sendMagicLink(email: string): Promise<void>;
  redeemMagicLink(token: string): Promise<StartedSession>;
  /** The owner token as a one-click log-in: a session as the tenant's owner. */
  signInAsOwner(ownerToken: string): Promise<StartedSession>;
  signInAsAdmin(adminKey: string): Promise<StartedSession>;
}

export interface SignInDeps {
  repo: PeopleRepo;
  clock: Clock;
  sessions: SessionsService;
  users: Pick<UsersService, 'get' | 'findInvited' | 'acceptInvitation' | 'listActiveByEmail'>;
  tenants: Pick<TenantsService, 'get'>;
  credentials: Pick<CredentialsService, 'authenticate'>;
  mailer: { send(message: MailMessage): Promise<unknown> };
  adminKey: string;
  /** Links in mail point here (`PUBLIC_BASE_URL`). */
  publicBaseUrl: string;
}

const wrongPassword = () => new AppError('UNAUTHENTICATED', 'The e-mail or password is wrong');
// Verified against when nobody has the e-mail, so a miss takes as long as a wrong password.
let decoy: Promise<string> | undefined;

async function matchPassword(deps: SignInDeps, users: User[], password: string): Promise<User[]> {
  const matched: User[] = [];
  for (const user of users) {
    const stored = await deps.repo.passwordHashOf(user.tenantId, user.id);
    if (stored && (await verifyPassword(stored, password))) matched.push(user);
  }
  if (users.length === 0) await verifyPassword(await (decoy ??= hashPassword('decoy')), password);
  return matched;
}

function invitationGone(): AppError {
  return new AppError('GONE', 'This invitation has expired or was already accepted; ask for a new one');
}

export function createSignInService(deps: SignInDeps): SignInService {
  return {
    async acceptInvitation(token, input) {
      const user = await deps.users.findInvited(token);
      if (!user) throw invitationGone();
      await deps.repo.setPassword(
        user.tenantId,
        user.id,
        await hashPassword(input.password),
        deps.clock.now().toISOString(),
      );
      if (!(await deps.users.acceptInvitation(user, { firstName: input.firstName, lastName: input.lastName })))
        throw invitationGone();
      const active = await deps.users.get(user.tenantId, user.id);
      return deps.sessions.start('user', user.tenantId, active ?? user);
    },

    async signInWithPassword(email, password, tenantId) {
      const users = (await deps.users.listActiveByEmail(email)).filter((u) => !tenantId || u.tenantId === tenantId);
      const matched = await matchPassword(deps, users, password);
      const [only, second] = matched;
      if (!only) throw wrongPassword();
      if (second)
        throw new AppError('CONFLICT', 'This e-mail signs in to several tenants: name one in tenant_id', {
          details: { tenant_ids: matched.map((u) => u.tenantId) },
        });
      return deps.sessions.start('user', only.tenantId, only);
    },

    sendMagicLink: (email) => sendMagicLinks(deps, email),

    async redeemMagicLink(token) {
      const tokenHash = hashKey(token);
      const link = await deps.repo.findMagicLink(tokenHash);
      const now = deps.clock.now();
      const gone = new AppError('GONE', 'This sign-in link has expired or was already used; ask for a new one');
      if (!link || link.usedAt !== null || Date.parse(link.expiresAt) <= now.getTime()) throw gone;
      if (!(await deps.repo.useMagicLink(link.tenantId, tokenHash, now.toISOString()))) throw gone;
      const user = await deps.users.get(link.tenantId, link.userId);
      if (!user || user.status !== 'active') throw gone;
      return deps.sessions.start('user', link.tenantId, user);
    },

    async signInAsOwner(ownerToken) {
      const principal = await deps.credentials.authenticate(ownerToken);
      if (principal?.kind !== 'owner' || !principal.tenantId)
        throw new AppError('UNAUTHENTICATED', 'This owner link is not valid (the token is unknown or was rotated)');
      return deps.sessions.start('owner', principal.tenantId, null);
    },

    async signInAsAdmin(adminKey) {
      if (!safeEqual(adminKey, deps.adminKey)) throw new AppError('UNAUTHENTICATED', 'The admin key is wrong');
      return deps.sessions.start('admin', null, null);
    },
  };
}

async function sendMagicLinks(deps: SignInDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  for (const user of await deps.users.listActiveByEmail(email)) {
    const token = newToken('fd_ml_', 32);
    const expiresAt = new Date(now.getTime() + MAGIC_LINK_MINUTES * 60_000).toISOString();
    await deps.repo.insertMagicLink(user.tenantId, {
      tokenHash: hashKey(token),
      userId: user.id,
      createdAt: now.toISOString(),
      expiresAt,
    });
    const tenant = await deps.tenants.get(user.tenantId);
    const link = `${deps.publicBaseUrl}/app/api/magic-link/${encodeURIComponent(token)}`;
    await deps.mailer.send({
      to: user.email,
      subject: `Your sign-in link for ${tenant.name}`,
      text: `Open this link to sign in to ${tenant.name} on Frontdesk:\n\n${link}\n\nIt works once, for ${MAGIC_LINK_MINUTES} minutes. If you did not ask for it, ignore this message.`,
    });
  }
}
