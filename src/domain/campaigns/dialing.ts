import type { Clock } from '../../lib/clock.js';
import { zonedDay } from '../../lib/zoned-day.js';
import { DialError, type Dialer, type DialRequest } from '../../providers/dialers/dialer.js';
import { nextOpening, type AllowedHours, type ComplianceService } from '../compliance/index.js';
import type { TenantsService } from '../tenants/index.js';
import type { Campaign, CampaignTarget } from './campaigns.records.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { endCall, playSimulated, type OutcomePorts } from './outcomes.js';
import { callQuotaOf, countDial, type CallQuotaPorts } from './call-quota.js';

/**
 * One run of a campaign's dialler: the due targets, each checked against the callee's calling
 * hours, their consent and the tenant's do-not-call list, then claimed against the daily limit and
 * dialled. Claims are conditional updates, so runs in several worker processes at once dial each
 * target once and stay within the limit together.
 */

export interface DialingPorts extends OutcomePorts, CallQuotaPorts {
  repo: CampaignsRepo;
  clock: Clock;
  tenants: Pick<TenantsService, 'get'>;
  compliance: Pick<ComplianceService, 'mayContact'>;
  /** The tenant's dialer, built from its configuration. */
  dialerFor(tenantId: string): Promise<Dialer>;
  /** Where the dialer's vendor fetches the call's instructions and reports its end. */
  callUrls(
    tenantId: string,
    targetId: string,
    dialer: Dialer['name'],
  ): Promise<Pick<DialRequest, 'answerUrl' | 'statusUrl'>>;
  /** The platform's automation switch: while off, nothing is dialled. */
  automationRunning(): Promise<boolean>;
}

export interface DialRun {
  /** False when the campaign no longer runs: no further run is needed. */
  running: boolean;
  dialed: number;
  /** Outside the callee's hours: moved to when they open. */
  deferred: number;
  /** Opted out or on the do-not-call list: never dialled. */
  blocked: number;
  limitReached: boolean;
  /** The plan's monthly call quota is spent: no dial until next month (docs/campaigns.md). */
  quotaReached: boolean;
  /** When a next run has work; undefined when nothing waits. */
  nextAt: Date | undefined;
}

export const DEFAULT_CALLING_HOURS: AllowedHours = { start: '09:00', end: '20:00' };
/** Targets one run dials at most; a full run is followed by another at once. */
export const DIAL_BATCH = 25;
const PAUSED_AUTOMATION_RECHECK_MS = 5 * 60_000;

type Gate = 'dial' | 'blocked' | Date;

async function gateOf(
  ports: DialingPorts,
  tenantId: string,
  t: CampaignTarget,
  now: Date,
  hours: AllowedHours,
): Promise<Gate> {
  if (await ports.repo.onDnc(tenantId, t.phone)) return 'blocked';
  for (const channel of ['voice', 'sms'])
    if ((await ports.compliance.mayContact(tenantId, t.phone, channel, now)).kind === 'opted_out') return 'blocked';
  return nextOpening(now, t.timeZone, hours) ?? 'dial';
}

async function placeCall(ports: DialingPorts, tenantId: string, campaign: Campaign, target: CampaignTarget) {
  const onCall = { ...target, state: 'dialing' as const, attempts: target.attempts + 1 };
  try {
    const dialer = await ports.dialerFor(tenantId);
    const result = await dialer.dial({
      to: target.phone,
      script: { clientName: campaign.clientName, clientService: campaign.clientService, niche: campaign.niche },
      ...(await ports.callUrls(tenantId, target.id, dialer.name)),
    });
    countDial(ports, tenantId);
    await ports.repo.setCallRef(tenantId, target.id, result.callRef, ports.clock.now().toISOString());
    if (result.simulated) await playSimulated(ports, tenantId, onCall, result.callRef, result.simulated);
  } catch (err) {
    // A call that could not be placed counts as an unanswered attempt, so the retry rules apply to it.
    if (!(err instanceof DialError)) throw err;
    await endCall(ports, tenantId, onCall, 'no_answer');
  }
}

/** Tomorrow (tenant's day) once the daily limit is spent, at once after a full batch, else when the next target is due. */
async function nextRunAt(
  ports: DialingPorts,
  tenantId: string,
  campaignId: string,
  after: { limitReached: boolean; full: boolean; zone: string; quotaResetsAt: Date | undefined },
): Promise<Date | undefined> {
  const now = ports.clock.now();
  if (after.quotaResetsAt) return after.quotaResetsAt;
  if (after.limitReached) return zonedDay(now, after.zone, 1).start;
  if (after.full) return now;
  const due = await ports.repo.nextDue(tenantId, campaignId);
  return due === undefined ? undefined : new Date(Math.max(now.getTime(), Date.parse(due)));
}

/** Dials what is due now for one campaign. */
export async function runDue(ports: DialingPorts, tenantId: string, campaignId: string): Promise<DialRun> {
  const now = ports.clock.now();
  const idle: DialRun = {
    running: false,
    dialed: 0,
    deferred: 0,
    blocked: 0,
    limitReached: false,
    quotaReached: false,
    nextAt: undefined,
  };
  const campaign = await ports.repo.find(tenantId, campaignId);
  if (campaign?.status !== 'running') return idle;
  if (!(await ports.automationRunning()))
    return { ...idle, running: true, nextAt: new Date(now.getTime() + PAUSED_AUTOMATION_RECHECK_MS) };
  const tenant = await ports.tenants.get(tenantId);
  const hours = tenant.config.campaigns?.calling_hours ?? DEFAULT_CALLING_HOURS;
  const zone = tenant.config.general?.timezone ?? tenant.timezone;
  const run = { running: true, dialed: 0, deferred: 0, blocked: 0, limitReached: false, quotaReached: false };
  const quota = await callQuotaOf(ports, tenantId);
  const due = await ports.repo.due(tenantId, campaignId, now.toISOString(), DIAL_BATCH);
  for (const target of due) {
    const gate = await gateOf(ports, tenantId, target, now, hours);
    if (gate !== 'dial') {
      const blocked = gate === 'blocked';
      await ports.repo.park(tenantId, target.id, {
        state: blocked ? 'blocked' : 'pending',
        nextDialAt: (blocked ? now : gate).toISOString(),
        at: now.toISOString(),
      });
      if (blocked) run.blocked += 1;
      else run.deferred += 1;
      continue;
    }
    if (quota.used + run.dialed >= quota.limit) {
      run.quotaReached = true;
      break;
    }
    const claim = await ports.repo.claimDial(tenantId, {
      campaignId,
      targetId: target.id,
      attempts: target.attempts,
      day: zonedDay(now, zone).date,
      limit: campaign.dailyCallLimit,
      at: now.toISOString(),
    });
    if (claim === 'limit') {
      const still = await ports.repo.find(tenantId, campaignId);
      if (still?.status !== 'running') return { ...idle, dialed: run.dialed };
      run.limitReached = true;
      break;
    }
    if (claim === 'lost') continue;
    await placeCall(ports, tenantId, campaign, target);
    run.dialed += 1;
  }
  const full = due.length === DIAL_BATCH;
  return {
    ...run,
    nextAt: await nextRunAt(ports, tenantId, campaignId, {
      limitReached: run.limitReached,
      full,
      zone,
      quotaResetsAt: run.quotaReached ? quota.resetsAt : undefined,
    }),
  };
}
