import type { Clock } from '../../lib/clock.js';
import type { OwnerAlerts } from '../notifications/index.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import type { Queue } from '../../queue/queue.js';
import { deliverCallback, rotateCallbackSecret, sendCallback, buildPayload } from './callbacks.service.js';
import type { DeliveriesRepo } from './deliveries.repo.js';
import { attemptDelivery, emit, emitIn, listDeliveries, replay } from './deliveries.service.js';
import type { WebhookTuning } from './delivery-policy.js';
import {
  changeEndpoint,
  disableEndpoint,
  enable,
  loadEndpoint,
  publicWebhook,
  removeEndpoint,
  subscribe,
  validateUrl,
} from './endpoints.service.js';
import { newId } from '../../lib/ids.js';
import type { Tx } from '../transaction.js';
import type { CallbackResult, CreatedWebhook, Delivery, EmittedEvent, Webhook } from './webhook-records.js';
import type { EndpointsRepo } from './webhooks.repo.js';
import type { DeliveriesQuery, DeliveryStatus, SubscribeInput, WebhookEvent } from './webhooks.schema.js';

export interface WebhooksService {
  /** Registers an endpoint after checking its URL (SSRF rules); returns the signing secret this once. */
  subscribe(tenantId: string, input: SubscribeInput): Promise<CreatedWebhook>;
  /** The tenant's endpoints, oldest first; secrets never included. */
  list(tenantId: string): Promise<Webhook[]>;
  get(tenantId: string, webhookId: string): Promise<Webhook>;
  /** Deletes an endpoint with its deliveries and attempts; pending retries stop. */
  remove(tenantId: string, webhookId: string): Promise<void>;
  /** A new URL (SSRF rules again) or event list; the secret and the delivery log stay. */
  change(tenantId: string, webhookId: string, input: { url?: string; events?: string[] }): Promise<Webhook>;
  /** Stops deliveries to the endpoint, recording `reason` as why it is disabled. */
  disable(tenantId: string, webhookId: string, reason: string): Promise<Webhook>;
  /** Re-activates a disabled endpoint and clears its failure counters. */
  enable(tenantId: string, webhookId: string): Promise<Webhook>;
  /** Records one delivery per active endpoint subscribed to `event` and queues its first attempt; resolves once they are durable. */
  emit(
    tenantId: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
    options?: { eventId?: string; occurredAt?: Date },
  ): Promise<EmittedEvent>;
  /** `emit` inside the caller's transaction: the deliveries and their jobs commit with it; `dispatch` after the commit. */
  emitIn(
    tx: Tx,
    tenantId: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
  ): Promise<EmittedEvent & { dispatch(): Promise<void> }>;
  /** An endpoint's deliveries, newest first, each with its attempts. */
  listDeliveries(
    tenantId: string,
    webhookId: string,
    query: DeliveriesQuery,
  ): Promise<{ deliveries: Delivery[]; hasMore: boolean }>;
  /** Sends a delivery again as a new delivery: same event id and body, a fresh attempt series. */
  replay(tenantId: string, webhookId: string, deliveryId: string): Promise<Delivery>;
  /** The job step of `webhook.deliver`: makes one attempt, records it, and schedules the next or ends the delivery. */
  attemptDelivery(
    tenantId: string,
    deliveryId: string,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<{ status: DeliveryStatus | 'skipped' }>;
  /** One signed POST of an event to a one-off URL, now, with the tenant's callback secret; not recorded, not retried. */
  deliverOnce(
    tenantId: string,
    url: string,
    event: WebhookEvent,
    data: Record<string, unknown>,
  ): Promise<CallbackResult>;
  /** Queues a signed event to a one-off URL (a batch's `webhook_url`), retried by the queue until delivered. */
  sendCallback(tenantId: string, url: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void>;
  /** The job step of `webhook.callback`: one signed POST of an exact body. */
  deliverCallback(
    tenantId: string,
    url: string,
    eventId: string,
    body: string,
    signal?: AbortSignal,
  ): Promise<CallbackResult>;
  /** Replaces the tenant's callback signing secret; the new one is returned this once. */
  rotateCallbackSecret(tenantId: string): Promise<{ secret: string; createdAt: string }>;
  /** Throws a VALIDATION error naming `field` when a URL may not be called (scheme, credentials, private address). */
  validateUrl(url: string, field?: string): Promise<void>;
}

export interface WebhooksPorts {
  box: SecretBox;
  clock: Clock;
  queue: Queue;
  http: SafeHttp;
  tuning: WebhookTuning;
  endpoints: EndpointsRepo;
  deliveries: DeliveriesRepo;
  /** Tells the owner when an endpoint is disabled after sustained failure; absent: nobody is told. */
  ownerAlerts?: Pick<OwnerAlerts, 'raise'> | undefined;
}

export function createWebhooksService(ports: WebhooksPorts): WebhooksService {
  return {
    subscribe: (tenantId, input) => subscribe(ports, tenantId, input),
    list: async (tenantId) => (await ports.endpoints.list(tenantId)).map(publicWebhook),
    get: async (tenantId, webhookId) => publicWebhook(await loadEndpoint(ports, tenantId, webhookId)),
    remove: (tenantId, webhookId) => removeEndpoint(ports, tenantId, webhookId),
    change: (tenantId, webhookId, input) => changeEndpoint(ports, tenantId, webhookId, input),
    disable: (tenantId, webhookId, reason) => disableEndpoint(ports, tenantId, webhookId, reason),
    enable: (tenantId, webhookId) => enable(ports, tenantId, webhookId),
    emit: (tenantId, event, data, options) => emit(ports, tenantId, event, data, options),
    emitIn: (tx, tenantId, event, data) => emitIn(ports, tx, tenantId, event, data),
    listDeliveries: (tenantId, webhookId, query) => listDeliveries(ports, tenantId, webhookId, query),
    replay: (tenantId, webhookId, deliveryId) => replay(ports, tenantId, webhookId, deliveryId),
    attemptDelivery: (tenantId, deliveryId, attempt, signal) =>
      attemptDelivery(ports, tenantId, deliveryId, attempt, signal),
    deliverOnce: (tenantId, url, event, data) =>
      deliverCallback(ports, tenantId, {
        url,
        eventId: newId('evt'),
        body: buildPayload(event, data, ports.clock.now()),
      }),
    sendCallback: (tenantId, url, event, data) => sendCallback(ports, tenantId, url, event, data),
    deliverCallback: (tenantId, url, eventId, body, signal) =>
      deliverCallback(ports, tenantId, { url, eventId, body }, signal),
    rotateCallbackSecret: (tenantId) => rotateCallbackSecret(ports, tenantId),
    validateUrl: (url, field) => validateUrl(ports.http, url, field),
  };
}
