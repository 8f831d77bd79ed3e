import type { Clock } from '../../lib/clock.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { ComplianceService } from '../compliance/index.js';
import type { ConversationInbox } from '../conversations/index.js';
import type { SourcedLeads } from '../leads/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { UsageService } from '../usage/index.js';
import { registerCampaignJobs } from './campaigns.jobs.js';
import { createCampaignsRepo } from './campaigns.repo.js';
import { createCampaignsService } from './campaigns.service.js';
import { createDialerFactory } from './dialers.js';
import type { DialingPorts } from './dialing.js';

/**
 * Campaigns (spec B): outbound calling of sourced businesses and uploaded people. Sourcing makes
 * leads through the leads door; a durable schedule dials them within calling hours, the daily
 * limit, consent and the do-not-call list; each call's outcome is recorded from the simulator or
 * the vendor's status webhook.
 */

export type { CampaignsService } from './campaigns.service.js';
export type { DialRun } from './dialing.js';
export { CALL_OUTCOMES, CAMPAIGN_STATUSES } from './campaigns.records.js';
export type {
  CallOutcome,
  Campaign,
  CampaignStats,
  CampaignStatus,
  NewCampaign,
  RejectedRow,
  UploadReport,
} from './campaigns.records.js';
export { exotelCallEnd, twilioCallEnd } from './call-outcome.js';
export { DEFAULT_CALLING_HOURS, DIAL_BATCH } from './dialing.js';
export { MAX_ATTEMPTS } from './retry-rules.js';

export interface CampaignsPorts {
  db: Db;
  clock: Clock;
  queue: Queue;
  http: SafeHttp;
  tenants: Pick<TenantsService, 'get' | 'getConfigWithSecrets'>;
  compliance: Pick<ComplianceService, 'mayContact'>;
  /** Each dial counts in `calls.made`; the plan's monthly call quota is read from it. */
  usage: Pick<UsageService, 'get' | 'add'>;
  sourcedLeads: Pick<SourcedLeads, 'record' | 'followCall'>;
  /** The conversation core: a person's words on a campaign call are voice turns like any caller's. */
  inbox: ConversationInbox;
  /** Our public base URL, which vendors call back on. */
  publicBaseUrl: string;
  /** The platform's automation switch (spec B `/api/platform/start|stop`): while off, nothing is dialled. */
  automationRunning(): Promise<boolean>;
}

/**
 * Our webhooks for a vendor's campaign call: spec B's `/incoming` paths, the status report marked by
 * `event=status`. Exotel does not sign its requests, so its URLs carry the tenant's webhook token.
 */
function callUrls(base: string, tenants: CampaignsPorts['tenants']) {
  return async (tenantId: string, targetId: string, dialer: 'twilio' | 'exotel' | 'simulator') => {
    const path = `${base}/api/webhooks/${dialer === 'exotel' ? 'exotel' : 'twilio'}/incoming`;
    const query = new URLSearchParams({ business_id: tenantId, target: targetId });
    if (dialer === 'exotel') {
      const token = (await tenants.getConfigWithSecrets(tenantId)).campaigns?.exotel?.webhook_token;
      if (token) query.set('token', token);
    }
    return { answerUrl: `${path}?${query.toString()}`, statusUrl: `${path}?${query.toString()}&event=status` };
  };
}

export function createCampaignsModule(ports: CampaignsPorts) {
  const repo = createCampaignsRepo(ports.db);
  const dialing: DialingPorts = {
    repo,
    clock: ports.clock,
    inbox: ports.inbox,
    leads: ports.sourcedLeads,
    usage: ports.usage,
    tenants: ports.tenants,
    compliance: ports.compliance,
    dialerFor: createDialerFactory({ tenants: ports.tenants, http: ports.http }),
    callUrls: callUrls(ports.publicBaseUrl, ports.tenants),
    automationRunning: () => ports.automationRunning(),
  };
  const sourcing = { repo, clock: ports.clock, tenants: ports.tenants, leads: ports.sourcedLeads, http: ports.http };
  const campaigns = createCampaignsService({ repo, clock: ports.clock, queue: ports.queue, dialing, sourcing });
  return {
    campaigns,
    registerJobs(queue: Queue): void {
      registerCampaignJobs(queue, { clock: ports.clock, repo, dialing, sourcing });
    },
  };
}

export type CampaignsModule = ReturnType<typeof createCampaignsModule>;
