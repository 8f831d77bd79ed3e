import type { Clock } from '../../lib/clock.js';
import type { OwnerAlerts } from '../notifications/index.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { SafeHttp } from '../../providers/http/safe-fetch.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { createDeliveriesRepo } from './deliveries.repo.js';
import { DEFAULT_TUNING, type WebhookTuning } from './delivery-policy.js';
import { registerWebhookJobs } from './webhooks.jobs.js';
import { createEndpointsRepo } from './webhooks.repo.js';
import { createWebhooksService } from './webhooks.service.js';

/**
 * Outbound webhooks: tenants' endpoints, signed deliveries with their retry schedule and attempt
 * log, replays, disabling of failing endpoints, and one-off signed callbacks (docs/webhook-signing.md).
 */

export type { WebhooksService } from './webhooks.service.js';
export type {
  CallbackResult,
  CreatedWebhook,
  Delivery,
  DeliveryAttempt,
  EmittedEvent,
  Webhook,
} from './webhook-records.js';
export type { WebhookTuning } from './delivery-policy.js';
export {
  deliveriesQuerySchema,
  isWebhookEvent,
  subscribeSchema,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from './webhooks.schema.js';
export { signatureHeaders, verifySignature } from './signing.js';
export { createWebhookEvents, type WebhookFormat } from './webhook-events.js';

export interface WebhooksModulePorts {
  db: Db;
  box: SecretBox;
  clock: Clock;
  queue: Queue;
  http: SafeHttp;
  tuning?: Partial<WebhookTuning> | undefined;
  /** Tells the owner when an endpoint is disabled after sustained failure. */
  ownerAlerts?: Pick<OwnerAlerts, 'raise'>;
}

export function createWebhooksModule(ports: WebhooksModulePorts) {
  const webhooks = createWebhooksService({
    ...ports,
    tuning: { ...DEFAULT_TUNING, ...ports.tuning },
    endpoints: createEndpointsRepo(ports.db),
    deliveries: createDeliveriesRepo(ports.db, ports.queue),
  });
  return {
    webhooks,
    registerJobs(queue: Queue): void {
      registerWebhookJobs(queue, webhooks);
    },
  };
}
