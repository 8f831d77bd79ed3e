import type { JobPayloads } from '../../queue/jobs.js';
import type { Queue } from '../../queue/queue.js';
import type { ChannelWebhooksService } from './channel-webhooks.service.js';

/**
 * A message whose webhook had to answer early (Slack, Teams) is handed to the core by a job
 * queued before that answer, so a crash between the two loses nothing.
 */
export function registerInboundJobs(queue: Queue, webhooks: ChannelWebhooksService): void {
  queue.register('channel.receive', (payload) => handleChannelReceive(webhooks, payload), {
    concurrency: 4,
    maxAttempts: 5,
    leaseMs: 120_000,
  });
}

/** Hands the message to the core; a message already stored comes back as a duplicate and nothing runs twice. */
export async function handleChannelReceive(
  webhooks: ChannelWebhooksService,
  payload: JobPayloads['channel.receive'],
): Promise<unknown> {
  return webhooks.receiveLater(payload.tenantId, payload.message);
}
