import { z } from 'zod';
import { CREDENTIAL_KINDS, type ROLES } from '../../domain/tenants/index.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../domain/webhooks/index.js';

/** Inputs of the owner's and admin's settings: outbound webhooks, API keys, the team. */

const eventNames = Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]];
const url = z.string().trim().min(1).max(2048);
const events = z.array(z.enum(eventNames)).min(1, 'must name at least one event').max(eventNames.length);

export const webhookParams = z.object({ id: z.string().min(1).max(64) });
export const deliveryParams = z.object({ id: z.string().min(1).max(64), deliveryId: z.string().min(1).max(64) });
export const createWebhookBody = z.object({ url, events });
export const changeWebhookBody = z
  .object({ url: url.optional(), events: events.optional() })
  .refine((b) => b.url !== undefined || b.events !== undefined, 'names nothing to change');
export const disableWebhookBody = z.object({
  reason: z.string().trim().min(1).max(200).default('disabled by hand'),
});
export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(['pending', 'failed', 'delivered', 'dead']).optional(),
  /** A delivery id: the deliveries older than it (the next page). */
  before: z.string().min(1).max(64).optional(),
});

export const keyParams = z.object({ kind: z.enum(CREDENTIAL_KINDS) });

/** The roles the web app hands out; spec D's custom roles (developer, analyst) are kept but not offered. */
export const APP_ROLES = ['owner', 'admin', 'agent', 'viewer'] as const satisfies readonly (typeof ROLES)[number][];
export const userParams = z.object({ id: z.string().min(1).max(64) });
export const inviteBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  first_name: z.string().trim().min(1).max(100).optional(),
  last_name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(APP_ROLES),
});
export const changeUserBody = z.object({ role: z.enum(APP_ROLES) });
