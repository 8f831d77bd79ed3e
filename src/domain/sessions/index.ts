import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { Tx } from '../transaction.js';
import { createSessionsRepo } from './sessions.repo.js';
import { createSessionsService, type SessionsService } from './sessions.service.js';

export type { Session, SessionStatus } from './session-view.js';
export type { ContextChange, CreateSessionInput, SessionsService } from './sessions.service.js';

export interface SessionsModule {
  sessions: SessionsService;
}

/** Chat sessions (the one door of the sessions concept). */
export function createSessionsModule(ports: { db: Db; clock: Clock }): SessionsModule {
  return { sessions: createSessionsService({ repo: createSessionsRepo(ports.db), clock: ports.clock }) };
}

/** Moves `fromContactId`'s sessions to `toContactId` in the caller's transaction (two contacts found to be one person). */
export function reassignSessionsContactIn(
  tx: Tx,
  tenantId: string,
  fromContactId: string,
  toContactId: string,
): Promise<void> {
  return createSessionsRepo(tx).reassignContact(tenantId, fromContactId, toContactId);
}
