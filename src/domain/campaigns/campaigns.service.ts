import { createHash } from 'node:crypto';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Queue } from '../../queue/queue.js';
import { AppError, invalid, notFound } from '../errors.js';
import type {
  CallOutcome,
  Campaign,
  CampaignStats,
  CampaignStatus,
  NewCampaign,
  UploadReport,
} from './campaigns.records.js';
import { CONNECTED, QUALIFIED } from './campaigns.records.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { queueDialRun } from './campaigns.jobs.js';
import { callQuotaOf } from './call-quota.js';
import { runDue, type DialingPorts, type DialRun } from './dialing.js';
import { importDnc } from './dnc.js';
import { hearCallee, vendorCallEnded } from './outcomes.js';
import { importCsv, type SourcingPorts } from './sourcing.js';

export interface CampaignsService {
  create(tenantId: string, input: NewCampaign): Promise<Campaign>;
  /** Newest first. */
  list(tenantId: string): Promise<Campaign[]>;
  get(tenantId: string, id: string): Promise<Campaign>;
  /** A draft starts: its places search runs, then dialling. CONFLICT from any other state. */
  start(tenantId: string, id: string): Promise<Campaign>;
  /** A running campaign stops dialling at once (a call under way ends normally). CONFLICT unless running. */
  pause(tenantId: string, id: string): Promise<Campaign>;
  /** A paused campaign dials again. CONFLICT unless paused. */
  resume(tenantId: string, id: string): Promise<Campaign>;
  stats(tenantId: string, id: string): Promise<CampaignStats>;
  /** A CSV of people to call (see sourcing.ts), read as it streams. */
  uploadLeads(
    tenantId: string,
    id: string,
    body: AsyncIterable<Buffer | string>,
    country: string,
  ): Promise<UploadReport>;
  /** Numbers never to call, added to the tenant's do-not-call list. */
  uploadDnc(tenantId: string, body: AsyncIterable<Buffer | string>, country: string): Promise<UploadReport>;
  /** One run of the dialler for a campaign, as the scheduled job does it. */
  dialDue(tenantId: string, id: string): Promise<DialRun>;
  /** A dialer vendor says a campaign call ended; the outcome recorded, or undefined when the call is not (or no longer) on a campaign target. */
  callEnded(tenantId: string, callRef: string, end: CallOutcome | 'answered'): Promise<CallOutcome | undefined>;
  /** The callee on a vendor's campaign call said something: a turn of the voice conversation; its reply, or undefined for an unknown call. */
  calleeSaid(tenantId: string, callRef: string, text: string): Promise<string | undefined>;
  /** What the agent opens a vendor's campaign call with (the campaign's script); undefined for an unknown call. */
  callOpening(tenantId: string, callRef: string): Promise<string | undefined>;
}

export interface CampaignsServicePorts {
  repo: CampaignsRepo;
  clock: Clock;
  queue: Queue;
  dialing: DialingPorts;
  sourcing: SourcingPorts;
}

async function load(repo: CampaignsRepo, tenantId: string, id: string): Promise<Campaign> {
  const campaign = await repo.find(tenantId, id);
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

async function move(
  ports: CampaignsServicePorts,
  tenantId: string,
  id: string,
  from: CampaignStatus,
  to: CampaignStatus,
) {
  const campaign = await load(ports.repo, tenantId, id);
  if (!(await ports.repo.transition(tenantId, id, [from], to, ports.clock.now().toISOString())))
    throw new AppError('CONFLICT', `Campaign '${id}' is ${campaign.status}; only a ${from} campaign can become ${to}`, {
      details: { status: campaign.status },
    });
  return load(ports.repo, tenantId, id);
}

/** The country national numbers are read in; a code libphonenumber does not know is a validation error. */
function countryOf(code: string): CountryCode {
  if (!isSupportedCountry(code))
    throw invalid([
      {
        field: 'default_country',
        issue: `'${code}' is not a supported country`,
        type: 'value_error',
        location: 'query',
      },
    ]);
  return code;
}

async function stats(ports: CampaignsServicePorts, tenantId: string, id: string): Promise<CampaignStats> {
  const { repo } = ports;
  const campaign = await load(repo, tenantId, id);
  const { used, limit } = await callQuotaOf(ports.dialing, tenantId);
  const s: CampaignStats = {
    campaign,
    sourced: 0,
    called: 0,
    connected: 0,
    qualified: 0,
    appointments: 0,
    calls: { used, limit },
  };
  for (const { outcome, n } of await repo.outcomes(tenantId, id)) {
    s.sourced += n;
    if (outcome === null) continue;
    const o = outcome as CallOutcome;
    s.called += n;
    if (CONNECTED.has(o)) s.connected += n;
    if (QUALIFIED.has(o)) s.qualified += n;
    if (o === 'appointment_booked') s.appointments += n;
  }
  return s;
}

export function createCampaignsService(ports: CampaignsServicePorts): CampaignsService {
  const { repo, clock, queue } = ports;
  return {
    async create(tenantId, input) {
      const id = newId('camp');
      await repo.insert(tenantId, { ...input, id, at: clock.now().toISOString() });
      return load(repo, tenantId, id);
    },
    list: (tenantId) => repo.list(tenantId),
    get: (tenantId, id) => load(repo, tenantId, id),
    async start(tenantId, id) {
      const campaign = await move(ports, tenantId, id, 'draft', 'running');
      await queue.enqueue('campaign.source', { tenantId, campaignId: id }, { tenantId });
      return campaign;
    },
    pause: (tenantId, id) => move(ports, tenantId, id, 'running', 'paused'),
    async resume(tenantId, id) {
      const campaign = await move(ports, tenantId, id, 'paused', 'running');
      await queueDialRun(queue, clock, tenantId, id);
      return campaign;
    },
    stats: (tenantId, id) => stats(ports, tenantId, id),
    async uploadLeads(tenantId, id, body, country) {
      const campaign = await load(repo, tenantId, id);
      const report = await importCsv(ports.sourcing, tenantId, campaign, body, countryOf(country));
      if (campaign.status === 'running' && report.accepted > 0) await queueDialRun(queue, clock, tenantId, id);
      return report;
    },
    uploadDnc: (tenantId, body, country) =>
      importDnc(repo, tenantId, body, { country: countryOf(country), at: clock.now().toISOString() }),
    async dialDue(tenantId, id) {
      await load(repo, tenantId, id);
      return runDue(ports.dialing, tenantId, id);
    },
    callEnded: (tenantId, callRef, end) => vendorCallEnded(ports.dialing, tenantId, callRef, end),
    async calleeSaid(tenantId, callRef, text) {
      const target = await repo.findByCallRef(tenantId, callRef);
      if (!target || target.state !== 'dialing') return undefined;
      // One id per thing said: a retried webhook is the same turn.
      const key = createHash('sha256').update(text).digest('hex').slice(0, 16);
      return hearCallee(ports.dialing, tenantId, target, { callRef, key, text });
    },
    async callOpening(tenantId, callRef) {
      const target = await repo.findByCallRef(tenantId, callRef);
      const campaign = target && (await repo.find(tenantId, target.campaignId));
      if (!campaign) return undefined;
      return `Hello, this is an assistant calling for ${campaign.clientName} about ${campaign.clientService}. Do you have a minute?`;
    },
  };
}
