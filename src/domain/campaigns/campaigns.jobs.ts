import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { CampaignsRepo } from './campaigns.repo.js';
import { runDue, type DialingPorts } from './dialing.js';
import { sourceFromPlaces, type SourcingPorts } from './sourcing.js';

/**
 * A running campaign's schedule: each `campaign.dial` run dials what is due and queues the next
 * run for when more is due (within a quarter of an hour at most, so targets uploaded meanwhile
 * are seen). A run's `slot` is the minute it is for; runs queued for the same minute by two
 * chains (a resume racing a run) share a dedupe key and become one.
 */

const SLOT_MS = 60_000;
const MAX_WAIT_MS = 15 * 60_000;

export interface CampaignJobPorts {
  clock: Clock;
  repo: CampaignsRepo;
  dialing: DialingPorts;
  sourcing: SourcingPorts;
}

/** Queues a dial run now, outside any chain (a start, a resume, an upload to a running campaign). */
export async function queueDialRun(queue: Queue, clock: Clock, tenantId: string, campaignId: string): Promise<void> {
  const slot = Math.floor(clock.now().getTime() / SLOT_MS);
  await queue.enqueue('campaign.dial', { tenantId, campaignId, slot }, { tenantId });
}

async function queueNext(
  queue: Queue,
  clock: Clock,
  payload: { tenantId: string; campaignId: string; slot: number },
  at: Date | undefined,
) {
  const now = clock.now().getTime();
  const when = Math.min(at?.getTime() ?? now + MAX_WAIT_MS, now + MAX_WAIT_MS);
  const slot = Math.max(payload.slot + 1, Math.floor(when / SLOT_MS));
  await queue.enqueue(
    'campaign.dial',
    { ...payload, slot },
    {
      tenantId: payload.tenantId,
      delayMs: Math.max(0, when - now),
      dedupeKey: `campaign.dial:${payload.campaignId}:${slot}`,
    },
  );
}

export function registerCampaignJobs(queue: Queue, ports: CampaignJobPorts): void {
  queue.register(
    'campaign.source',
    async ({ tenantId, campaignId }) => {
      const campaign = await ports.repo.find(tenantId, campaignId);
      if (campaign?.status !== 'running') return { sourced: 0 };
      const sourced = await sourceFromPlaces(ports.sourcing, tenantId, campaign);
      await queueDialRun(queue, ports.clock, tenantId, campaignId);
      return { sourced };
    },
    { concurrency: 2, maxAttempts: 3, leaseMs: 10 * 60_000 },
  );
  queue.register(
    'campaign.dial',
    async (payload) => {
      const run = await runDue(ports.dialing, payload.tenantId, payload.campaignId);
      if (run.running) await queueNext(queue, ports.clock, payload, run.nextAt);
      return {
        dialed: run.dialed,
        deferred: run.deferred,
        blocked: run.blocked,
        limit_reached: run.limitReached,
        quota_reached: run.quotaReached,
      };
    },
    { concurrency: 4, maxAttempts: 5, leaseMs: 5 * 60_000 },
  );
}
