import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Queue } from '../../queue/queue.js';
import { classifyAttempt } from './delivery-policy.js';
import { signedPost, type PostPorts } from './signed-post.js';
import { generateSecret } from './signing.js';
import type { CallbackResult } from './webhook-records.js';
import type { EndpointsRepo } from './webhooks.repo.js';
import { isWebhookEvent, type WebhookEvent } from './webhooks.schema.js';

/** One-off signed callbacks (a batch's `webhook_url`), signed with the tenant's callback secret. */

export interface CallbackPorts extends PostPorts {
  box: SecretBox;
  queue: Queue;
  endpoints: EndpointsRepo;
}

/** The body every webhook sends: `{event, timestamp, data}`. */
export function buildPayload(event: WebhookEvent, data: Record<string, unknown>, occurredAt: Date): string {
  if (!isWebhookEvent(event)) throw new Error(`unknown webhook event '${String(event)}': add it to WEBHOOK_EVENTS`);
  return JSON.stringify({ event, timestamp: occurredAt.toISOString(), data });
}

async function callbackSecret(ports: CallbackPorts, tenantId: string): Promise<string> {
  let sealed = await ports.endpoints.findCallbackSecret(tenantId);
  if (!sealed) {
    await ports.endpoints.saveCallbackSecret(
      tenantId,
      ports.box.seal(generateSecret()),
      ports.clock.now().toISOString(),
      false,
    );
    sealed = await ports.endpoints.findCallbackSecret(tenantId);
  }
  if (!sealed) throw new Error(`could not store a callback secret for tenant ${tenantId}`);
  return ports.box.open(sealed);
}

export async function deliverCallback(
  ports: CallbackPorts,
  tenantId: string,
  target: { url: string; eventId: string; body: string },
  signal?: AbortSignal,
): Promise<CallbackResult> {
  const sent = await signedPost(ports, { ...target, secret: await callbackSecret(ports, tenantId) }, signal);
  const outcome = classifyAttempt(sent, 1, { ...ports.tuning, retryScheduleMs: [0] }, ports.clock.now());
  const failure =
    sent.error ?? (outcome.kind === 'delivered' ? null : `receiver answered ${sent.statusCode ?? 'nothing'}`);
  return {
    delivered: outcome.kind === 'delivered',
    statusCode: sent.statusCode,
    error: failure,
    retryable: outcome.kind === 'retry',
    durationMs: sent.durationMs,
  };
}

export async function sendCallback(
  ports: CallbackPorts,
  tenantId: string,
  url: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  const eventId = newId('evt');
  await ports.queue.enqueue(
    'webhook.callback',
    { tenantId, url, eventId, body: buildPayload(event, data, ports.clock.now()) },
    { tenantId, dedupeKey: `webhook.callback:${eventId}` },
  );
}

export async function rotateCallbackSecret(ports: CallbackPorts, tenantId: string) {
  const secret = generateSecret();
  const createdAt = ports.clock.now().toISOString();
  await ports.endpoints.saveCallbackSecret(tenantId, ports.box.seal(secret), createdAt, true);
  return { secret, createdAt };
}
