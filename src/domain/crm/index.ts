import type { Fetch } from '../../providers/http/guarded-fetch.js';
import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { EventSink } from '../events.js';
import type { UsageService } from '../usage/index.js';
import type { CrmConfig } from './crm.config.js';
import { createCrmSyncsRepo } from './crm.repo.js';
import { createCrmService, type CrmService, type LeadRouted } from './crm.service.js';

export { crmConfigSection, type CrmConfig } from './crm.config.js';
export type { CrmKind, CrmService, CrmSyncRecord, LeadRouted, SyncOptions } from './crm.service.js';

/** Pushing leads to the tenant's CRM (HubSpot, Salesforce, or none), with a record of every attempt. */
export function createCrmModule(ports: {
  db: Db;
  clock: Clock;
  tenants: { getConfigWithSecrets(tenantId: string): Promise<{ crm_config?: CrmConfig }> };
  events: EventSink<LeadRouted>;
  usage: Pick<UsageService, 'add'>;
  fetch: Fetch;
}): { crm: CrmService } {
  const { db, ...rest } = ports;
  return { crm: createCrmService({ repo: createCrmSyncsRepo(db), ...rest }) };
}
