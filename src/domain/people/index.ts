import type { Clock } from '../../lib/clock.js';
import type { MailMessage } from '../../providers/notify/email.js';
import type { Db } from '../../store/db.js';
import type { CredentialsService, TenantsService, UsersService } from '../tenants/index.js';
import { createInvitationsService, type InvitationsService } from './invitations.service.js';
import { createPeopleRepo } from './people.repo.js';
import { createSessionsService, type SessionsService } from './sessions.service.js';
import { createSignInService, type SignInService } from './sign-in.service.js';

export type { SessionKind } from './people.repo.js';
export { SESSION_HOURS, type SessionsService, type SignedIn, type StartedSession } from './sessions.service.js';
export { MAGIC_LINK_MINUTES, type SignInService } from './sign-in.service.js';
export type { InvitationsService } from './invitations.service.js';

export interface PeoplePorts {
  db: Db;
  clock: Clock;
  users: UsersService;
  tenants: Pick<TenantsService, 'get' | 'statusOf'>;
  credentials: Pick<CredentialsService, 'authenticate'>;
  mailer: { send(message: MailMessage): Promise<unknown> };
  adminKey: string;
  publicBaseUrl: string;
}

/** People signing in to the web app: passwords, one-time links, the owner link, the admin, their sessions, and invitations by mail. */
export function createPeopleModule(ports: PeoplePorts): {
  appSessions: SessionsService;
  signIn: SignInService;
  invitations: InvitationsService;
} {
  const repo = createPeopleRepo(ports.db);
  const appSessions = createSessionsService({ repo, clock: ports.clock, users: ports.users, tenants: ports.tenants });
  const signIn = createSignInService({ ...ports, repo, sessions: appSessions });
  const invitations = createInvitationsService(ports);
  return { appSessions, signIn, invitations };
}
