import { JobFailure, type JobContext, type Queue } from '../../queue/queue.js';
import type { JobPayloads } from '../../queue/jobs.js';
import type { WebhooksService } from './webhooks.service.js';

/** Endpoint delivery attempts one process makes at once, across tenants. */
export const DELIVERY_SLOTS = 32;
/** One-off callbacks one process sends at once, across tenants. */
export const CALLBACK_SLOTS = 16;
/** Deliveries (and callbacks) of one tenant one process has in flight at once; its others wait in line. */
export const TENANT_DELIVERY_SLOTS = 4;

/**
 * Endpoint deliveries schedule their own retries instead of leaning on the queue's backoff:
 * the schedule is part of the webhook contract (5 s … 10 h, docs/webhook-signing.md), every
 * attempt is a row the tenant can read, and a delivery that gives up is the domain's dead
 * letter, replayable through the API. So each attempt is one job that succeeds once the
 * attempt is recorded; the queue's own retries only cover a crash or a database error
 * before that. One-off callbacks have no endpoint or log, so there the queue does retry.
 */
export function registerWebhookJobs(queue: Queue, webhooks: WebhooksService): void {
  queue.register('webhook.deliver', (payload, ctx) => handleWebhookDeliver(webhooks, payload, ctx), {
    // An attempt mostly waits on the receiver, so slots are cheap. Fairness: one tenant's slow or dead
    // endpoints hold at most TENANT_DELIVERY_SLOTS of them (one 10 s timeout each), never the others'.
    concurrency: DELIVERY_SLOTS,
    tenantConcurrency: TENANT_DELIVERY_SLOTS,
    maxAttempts: 3,
    // Longer than one attempt's 10 s timeout, so a slow receiver never looks like a dead worker.
    leaseMs: 60_000,
  });
  queue.register('webhook.callback', (payload, ctx) => handleWebhookCallback(webhooks, payload, ctx), {
    concurrency: CALLBACK_SLOTS,
    tenantConcurrency: TENANT_DELIVERY_SLOTS,
    maxAttempts: 10,
    leaseMs: 60_000,
    // Full-jitter exponential backoff from 30 s, capped at 2 h: about four hours of trying in all.
    backoffMs: 30_000,
    maxBackoffMs: 2 * 60 * 60_000,
  });
}

/** Makes one attempt of an endpoint delivery. */
export async function handleWebhookDeliver(
  webhooks: WebhooksService,
  payload: JobPayloads['webhook.deliver'],
  ctx: JobContext,
): Promise<unknown> {
  return webhooks.attemptDelivery(payload.tenantId, payload.deliveryId, payload.attempt, ctx.signal);
}

/** Sends a one-off callback; a failure the receiver might recover from is retried by the queue. */
export async function handleWebhookCallback(
  webhooks: WebhooksService,
  payload: JobPayloads['webhook.callback'],
  ctx: JobContext,
): Promise<unknown> {
  const result = await webhooks.deliverCallback(
    payload.tenantId,
    payload.url,
    payload.eventId,
    payload.body,
    ctx.signal,
  );
  if (!result.delivered) throw new JobFailure(result.error ?? 'callback not delivered', result.retryable);
  return { status_code: result.statusCode, duration_ms: result.durationMs };
}
