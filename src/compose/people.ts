import type { Config } from '../config.js';
import { createPeopleModule } from '../domain/people/index.js';
import type { Accounts } from './accounts.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';

/** Signing people in to the web app: the team of `tenants`, the owner token, the admin key, the mailer for links. */
export function composePeople(config: Config, p: Platform, a: Accounts, l: LeadsAndCalls) {
  return createPeopleModule({
    db: p.database.db,
    clock: p.clock,
    users: a.users,
    tenants: a.tenants,
    credentials: a.credentials,
    mailer: l.mailer,
    adminKey: p.admin.key,
    publicBaseUrl: config.http.publicBaseUrl,
  });
}
