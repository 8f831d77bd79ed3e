import { z } from 'zod';

/**
 * Every event a tenant can subscribe to, with the description the API documents. A feature
 * that announces something new adds one line here (conversation and message events, …);
 * subscriptions, validation and OpenAPI pick it up from this list.
 */
export const WEBHOOK_EVENTS = {
  'lead.qualified': 'A lead has been scored and assigned a tier',
  'lead.scored': 'Score updated (re-qualification)',
  'lead.enriched': 'Enrichment data has been appended',
  'lead.routed': 'Lead has been routed to a CRM or rep',
  'batch.completed': 'A batch processing job has finished',
  'batch.failed': 'A batch processing job has failed',
} as const satisfies Record<string, string>;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;

export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]];

export function isWebhookEvent(value: string): value is WebhookEvent {
  return Object.hasOwn(WEBHOOK_EVENTS, value);
}

export const ENDPOINT_STATUSES = ['active', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/**
 * `pending`: not tried yet; `failed`: the last attempt failed and another is scheduled at
 * `next_attempt_at`; `delivered`: a 2xx arrived; `dead`: no more attempts (schedule used up,
 * 410 Gone, a refused address, or the endpoint was disabled). Dead deliveries can be replayed.
 */
export const DELIVERY_STATUSES = ['pending', 'failed', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Printable ASCII without spaces, so a secret survives headers, env files and copy-paste. */
const secretSchema = z
  .string()
  .min(16)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const subscribeSchema = z.object({
  url: z.string().trim().min(1).max(2048),
  events: z
    .array(z.enum(WEBHOOK_EVENT_NAMES))
    .min(1, 'must name at least one event')
    .max(WEBHOOK_EVENT_NAMES.length * 2)
    .transform((events) => [...new Set(events)]),
  /** Optional: the client's own signing secret; one is generated (and shown once) when absent. */
  secret: secretSchema.optional(),
});

export type SubscribeInput = z.input<typeof subscribeSchema>;

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(DELIVERY_STATUSES).optional(),
  /** A delivery id: returns deliveries older than it (ids sort by creation time). */
  before: z.string().min(1).max(64).optional(),
});

export type DeliveriesQuery = z.output<typeof deliveriesQuerySchema>;
