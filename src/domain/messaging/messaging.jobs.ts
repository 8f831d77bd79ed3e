import type { JobPayloads } from '../../queue/jobs.js';
import type { JobContext, Queue } from '../../queue/queue.js';
import type { MessagingDelivery } from './delivery.service.js';

/** Outbound platform messages retry through the queue (a vendor outage or throttling). */
export function registerMessagingJobs(queue: Queue, delivery: MessagingDelivery): void {
  queue.register('channel.deliver', (payload, ctx) => handleChannelDeliver(delivery, payload, ctx), {
    concurrency: 8,
    maxAttempts: 6,
    // Longer than one send's 15 s timeout (plus Telegram's extra answerCallbackQuery call).
    leaseMs: 60_000,
    backoffMs: 2_000,
    maxBackoffMs: 10 * 60_000,
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
