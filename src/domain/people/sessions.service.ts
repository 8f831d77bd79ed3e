import type { Clock } from '../../lib/clock.js';
import { newToken } from '../../lib/ids.js';
import { hashKey } from '../../lib/secrets.js';
import type { TenantsService, User, UsersService } from '../tenants/index.js';
import { rolePermissions } from '../tenants/index.js';
import type { PeopleRepo, SessionKind } from './people.repo.js';

/**
 * A session lasts 12 hours from sign-in, whatever is done with it: a working day, after which the
 * person signs in again. Not renewed on use, so a stolen cookie is worth at most that long.
 */
export const SESSION_HOURS = 12;

/** Who a session signs in, read afresh on every request so a changed role or a suspension applies at once. */
export interface SignedIn {
  kind: SessionKind;
  /** Null for the platform admin. */
  tenantId: string | null;
  /** The team member; null for the owner link and the admin. */
  user: User | null;
  /** The user's role; `owner` for the owner link, `platform_admin` for the admin. */
  role: string;
  permissions: string[];
  expiresAt: string;
}

export interface StartedSession {
  /** The cookie's value: shown once, only its hash is stored. */
  sessionId: string;
  expiresAt: string;
  signedIn: SignedIn;
}

export interface SessionsService {
  start(kind: SessionKind, tenantId: string | null, user: User | null): Promise<StartedSession>;
  /** Who the session id signs in; undefined when it is unknown, expired, or its person or tenant is gone. */
  identify(sessionId: string): Promise<SignedIn | undefined>;
  end(sessionId: string): Promise<void>;
}

export interface SessionsDeps {
  repo: PeopleRepo;
  clock: Clock;
  users: Pick<UsersService, 'get'>;
  tenants: Pick<TenantsService, 'statusOf'>;
}

const PLATFORM_ADMIN = 'platform_admin';

function signedInAs(kind: SessionKind, tenantId: string | null, user: User | null, expiresAt: string): SignedIn {
  if (kind === 'user' && user)
    return { kind, tenantId, user, role: user.role, permissions: user.permissions, expiresAt };
  if (kind === 'owner')
    return { kind, tenantId, user: null, role: 'owner', permissions: [...rolePermissions.owner], expiresAt };
  return { kind, tenantId: null, user: null, role: PLATFORM_ADMIN, permissions: [], expiresAt };
}

export function createSessionsService(deps: SessionsDeps): SessionsService {
  return {
    async start(kind, tenantId, user) {
      const now = deps.clock.now();
      const sessionId = newToken('fd_sess_', 32);
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
      // Sign-ins are rare next to requests: clearing expired sessions here needs no timer.
      await deps.repo.deleteExpiredSessions(now.toISOString());
      await deps.repo.insertSession({
        idHash: hashKey(sessionId),
        tenantId,
        kind,
        userId: user?.id ?? null,
        createdAt: now.toISOString(),
        expiresAt,
      });
      return { sessionId, expiresAt, signedIn: signedInAs(kind, tenantId, user, expiresAt) };
    },

    async identify(sessionId) {
      const session = await deps.repo.findSession(hashKey(sessionId));
      if (!session || Date.parse(session.expiresAt) <= deps.clock.now().getTime()) return undefined;
      if (session.kind === 'admin') return signedInAs('admin', null, null, session.expiresAt);
      if (!session.tenantId) return undefined;
      const status = await deps.tenants.statusOf(session.tenantId);
      if (status === 'missing' || status === 'suspended') return undefined;
      if (session.kind === 'owner') return signedInAs('owner', session.tenantId, null, session.expiresAt);
      const user = session.userId ? await deps.users.get(session.tenantId, session.userId) : undefined;
      if (!user || user.status !== 'active') return undefined;
      return signedInAs('user', session.tenantId, user, session.expiresAt);
    },

    end: (sessionId) => deps.repo.deleteSession(hashKey(sessionId)),
  };
}
