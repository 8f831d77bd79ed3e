import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import { createAuditRepo } from './audit.repo.js';
import { createAuditService, type AuditService } from './audit.service.js';

export type { AuditEntry } from './audit.repo.js';
export type { AuditRecord, AuditService } from './audit.service.js';

/** The audit log: who changed what, readable by admins. */
export function createAuditModule(ports: { db: Db; clock: Clock }): { audit: AuditService } {
  return { audit: createAuditService({ repo: createAuditRepo(ports.db), clock: ports.clock }) };
}
