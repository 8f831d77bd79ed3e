import type { JobPayloads } from '../../queue/jobs.js';
import type { JobContext, Queue } from '../../queue/queue.js';
import type { ChannelWebhooksService } from './channel-webhooks.service.js';
import type { MessagingDelivery } from './delivery.service.js';

/**
 * Outbound platform messages retry through the queue (a vendor outage or throttling), and a
 * message whose webhook had to answer early (Slack, Teams) is handed to the core by a job
 * queued before that answer, so a crash between the two loses nothing.
 */
export function registerMessagingJobs(
  queue: Queue,
  delivery: MessagingDelivery,
  webhooks: ChannelWebhooksService,
): void {
  queue.register('channel.deliver', (payload, ctx) => handleChannelDeliver(delivery, payload, ctx), {
    concurrency: 8,
    maxAttempts: 6,
    // Longer than one send's 15 s timeout (plus Telegram's extra answerCallbackQuery call).
    leaseMs: 60_000,
    backoffMs: 2_000,
    maxBackoffMs: 10 * 60_000,
  });
  queue.register('channel.receive', (payload) => handleChannelReceive(webhooks, payload), {
    concurrency: 4,
    maxAttempts: 5,
    leaseMs: 120_000,
  });
}

/** One attempt of a delivery; the delivery records its own outcome and says whether retrying can help. */
export async function handleChannelDeliver(
  delivery: MessagingDelivery,
  payload: JobPayloads['channel.deliver'],
  ctx: JobContext,
): Promise<unknown> {
  return delivery.attempt(payload.tenantId, payload.deliveryId, {
    attempt: ctx.attempt,
    maxAttempts: ctx.maxAttempts,
    signal: ctx.signal,
  });
}

/** Hands the message to the core; a message already stored comes back as a duplicate and nothing runs twice. */
export async function handleChannelReceive(
  webhooks: ChannelWebhooksService,
  payload: JobPayloads['channel.receive'],
): Promise<unknown> {
  return webhooks.receiveLater(payload.tenantId, payload.message);
}
