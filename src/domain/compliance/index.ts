import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { TenantsService } from '../tenants/index.js';
import { createConsentRepo } from './consent.repo.js';
import { createComplianceService, type ComplianceService } from './compliance.service.js';

/**
 * Compliance: consent to be messaged (opt-out and opt-in keywords and phrasings, HELP, every change
 * kept) and the hours outbound SMS may reach a recipient. Every outbound path asks `mayContact`.
 */

export type { ComplianceService, ConsentState, ContactDecision, KeywordOutcome } from './compliance.service.js';
export type { ConsentChange, ConsentEvent, ConsentSource } from './consent.repo.js';
export { readConsentIntent, type ConsentIntent, type KeywordMatch } from './keywords.js';
export { nextOpening, type AllowedHours } from './quiet-hours.js';
export { recipientZone } from './recipient-zone.js';

export interface CompliancePorts {
  db: Db;
  clock: Clock;
  tenants: Pick<TenantsService, 'get'>;
}

export function createComplianceModule(ports: CompliancePorts): { compliance: ComplianceService } {
  return {
    compliance: createComplianceService({
      clock: ports.clock,
      tenants: ports.tenants,
      repo: createConsentRepo(ports.db),
    }),
  };
}
