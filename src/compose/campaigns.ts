import type { Config } from '../config.js';
import type { Automation } from '../domain/platform/index.js';
import { createCampaignsModule } from '../domain/campaigns/index.js';
import { createExotelCallsService, createTwilioCallsService } from '../domain/inbound/index.js';
import { createSourcedLeads } from '../domain/leads/index.js';
import type { Accounts } from './accounts.js';
import type { ConversationModules } from './conversations.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';

/** Spec B's outbound campaigns and Twilio's and Exotel's webhooks for their calls, after the leads they source and the conversation core their calls speak through. */
export function composeCampaigns(
  config: Config,
  p: Platform,
  a: Accounts,
  l: LeadsAndCalls,
  c: ConversationModules,
  automation: Automation,
) {
  const db = p.database.db;
  const twilioCalls = createTwilioCallsService({ tenants: a.tenants, credentials: a.credentials, counters: p.metrics });
  const exotelCalls = createExotelCallsService({ tenants: a.tenants, inbox: c.conversations.inbox });
  const campaignsModule = createCampaignsModule({
    db,
    clock: p.clock,
    queue: p.queue,
    http: p.safeHttp,
    tenants: a.tenants,
    compliance: c.compliance,
    usage: a.usage,
    sourcedLeads: createSourcedLeads({ db, clock: p.clock, identity: l.contacts, live: p.live, audit: a.audit }),
    inbox: c.conversations.inbox,
    publicBaseUrl: config.http.publicBaseUrl,
    // Spec B's platform start/stop: the dial job asks before each run.
    automationRunning: () => automation.isRunning(),
  });
  return { campaignsModule, twilioCalls, exotelCalls };
}
