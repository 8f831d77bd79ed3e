/** Leads: qualifying a lead (one, in batches, or from a call or chat analysis) and its score history. */
import type { Clock } from '../../lib/clock.js';
import type { AuditService } from '../audit/index.js';
import type { Queue } from '../../queue/queue.js';
import type { TenantAiService } from '../ai/index.js';
import type { ConversionBlender } from '../conversion/index.js';
import type { EventSink } from '../events.js';
import type { ContactsService } from '../identity/index.js';
import type { LiveBus } from '../live/index.js';
import type { UsageService } from '../usage/index.js';
import { registerBatchJobs } from './batches.jobs.js';
import type { BatchCallback, BatchFinished } from './batches.records.js';
import { createBatchesRepo } from './batches.repo.js';
import { createBatchesService, type BatchesService } from './batches.service.js';
import type { LeadEvent } from './leads.records.js';
import { createLeadDirectoryRepo } from './lead-directory.repo.js';
import { createLeadsRepo, type LeadsDb, type LeadsTx } from './leads.repo.js';
import { createLeadsService, type LeadsService } from './leads.service.js';
import { createLeadTimelineRepo } from './lead-timeline.repo.js';
import type { OwnerAlerts } from '../notifications/index.js';

export { registerBatchJobs } from './batches.jobs.js';
export { BATCH_PRIORITIES } from './batches.records.js';
export type { BatchCallback, BatchFinished, BatchPriority, BatchResult, BatchStatus } from './batches.records.js';
export type { BatchesService } from './batches.service.js';
export type {
  AnnouncedLead,
  Lead,
  LeadEvent,
  LeadIdentity,
  Qualification,
  RecordedLead,
  ScoreHistoryEntry,
} from './leads.records.js';
export type { LeadsTx } from './leads.repo.js';
export {
  LEAD_OUTCOMES,
  LEAD_SOURCES,
  LEAD_STATUSES,
  e164PhoneSchema,
  listedLeadSchema,
  qualifyLeadSchema,
} from './leads.schema.js';
export type { LeadOutcome, LeadStatus, ListedLeadInput, QualifyLeadInput } from './leads.schema.js';
export type { LeadEdit } from './lead-directory.js';
export type { LeadFilter } from './lead-directory.repo.js';
export type { LeadsService } from './leads.service.js';
export type { LeadCrmState, LeadTimelineEvent } from './lead-timeline.js';

export interface LeadsModule {
  leads: LeadsService;
  batches: BatchesService;
  /** Declares the batch chunk job on the queue. */
  registerJobs(queue: Queue): void;
}

export function createLeadsModule(ports: {
  db: LeadsDb;
  clock: Clock;
  queue: Queue;
  ai: TenantAiService;
  /** The tenant's own conversion model, blended into a qualification's score once it beat the rules. */
  conversion: ConversionBlender;
  events: EventSink<LeadEvent | BatchFinished>;
  usage: UsageService;
  /** Records each status edit (who, from, to), which the lead's timeline reads back. */
  audit: Pick<AuditService, 'record'>;
  /** Where a stored or re-scored lead is published for the tenant's open screens. */
  live: Pick<LiveBus, 'publish'>;
  /** Identity's contacts: every recorded lead is attached to the person its phone or e-mail names. */
  identity: Pick<ContactsService, 'resolveByKeys'>;
  callback: BatchCallback;
  /** Tells the owner of a lead that turned HOT. */
  ownerAlerts?: Pick<OwnerAlerts, 'raiseIn'>;
}): LeadsModule {
  const leadsRepo = createLeadsRepo(ports.db);
  const leads = createLeadsService({
    ...ports,
    repo: leadsRepo,
    directory: createLeadDirectoryRepo(ports.db),
    trails: createLeadTimelineRepo(ports.db),
  });
  const batches = createBatchesService({ ...ports, repo: createBatchesRepo(ports.db), leadsRepo, leads });
  return { leads, batches, registerJobs: (queue) => registerBatchJobs(queue, batches) };
}

/** Moves `fromContactId`'s leads to `toContactId` in the caller's transaction (two contacts found to be one person). */
export function reassignLeadsContactIn(
  tx: LeadsTx,
  tenantId: string,
  fromContactId: string,
  toContactId: string,
): Promise<void> {
  return createLeadsRepo(tx).reassignContact(tenantId, fromContactId, toContactId);
}

export { createSourcedLeads, type CallVerdict, type SourcedLead, type SourcedLeads } from './sourced-leads.js';
