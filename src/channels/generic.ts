import { z } from 'zod';
import {
  header,
  signedByAny,
  type Channel,
  type ChannelMessage,
  type Headers,
  type SignatureCheck,
} from './channel.js';

/*
 * Custom integrations (spec D `POST /webhooks/generic/{integration_id}`): the tenant's CRM, shop
 * or helpdesk posts JSON events with `Authorization: Bearer <webhook token>`, the token being the
 * `webhook_token` of that integration in the tenant's `integrations` configuration.
 */

export function verifyBearerToken(headers: Headers, tokens: string[]): SignatureCheck {
  const auth = header(headers, 'authorization');
  if (!auth) return { ok: false, reason: 'missing_signature' };
  const match = /^Bearer\s+(\S+)$/i.exec(auth.trim());
  if (!match) return { ok: false, reason: 'malformed_signature' };
  return signedByAny(match[1]!, tokens, (t) => t);
}

/** An integration's settings: the `integrations.<id>` entry of the tenant configuration. */
export interface IntegrationSettings {
  webhook_token?: unknown;
  enabled?: unknown;
}

/** The integration named in the path is the routing key; its webhook token is the proof. */
export const genericChannel = {
  id: 'generic',
  label: 'integration',
  recipients: () => [],
  secretsOf: (s) => (typeof s.webhook_token === 'string' ? [s.webhook_token] : []),
  verify: (request, secrets) => verifyBearerToken(request.headers, secrets),
  normalise: (body) => genericEventSchema.safeParse(body),
} satisfies Channel<IntegrationSettings, GenericParse>;

const customerUpdated = z.looseObject({
  event_type: z.literal('customer_updated'),
  timestamp: z.string().optional(),
  customer_id: z.string().min(1).max(200),
  data: z.looseObject({
    customer_email: z.string().email().optional(),
    customer_phone: z.string().max(32).optional(),
    customer_name: z.string().max(200).optional(),
  }),
});

/** A customer message relayed by the integration (a chat tool the business already runs). */
const messageReceived = z.looseObject({
  event_type: z.literal('message_received'),
  timestamp: z.string().optional(),
  message_id: z.string().min(1).max(200),
  customer_id: z.string().min(1).max(200),
  text: z.string().max(10_000),
  customer_name: z.string().max(200).optional(),
  customer_email: z.string().email().optional(),
  customer_phone: z.string().max(32).optional(),
});

export const genericEventSchema = z.discriminatedUnion('event_type', [customerUpdated, messageReceived]);
export type GenericEvent = z.infer<typeof genericEventSchema>;
export const GENERIC_EVENT_TYPES = ['customer_updated', 'message_received'] as const;
export type GenericParse = ReturnType<typeof genericEventSchema.safeParse>;

export function genericMessage(
  event: z.infer<typeof messageReceived>,
  integrationId: string,
  receivedAt: Date,
): ChannelMessage {
  const at = event.timestamp && !Number.isNaN(Date.parse(event.timestamp)) ? new Date(event.timestamp) : receivedAt;
  return {
    channel: 'generic',
    externalMessageId: `${integrationId}:${event.message_id}`,
    platformUserId: `${integrationId}:${event.customer_id}`,
    text: event.text,
    ...(event.customer_name ? { senderName: event.customer_name } : {}),
    ...(event.customer_email ? { email: event.customer_email } : {}),
    ...(event.customer_phone ? { phone: event.customer_phone } : {}),
    receivedAt: at,
    context: { integration_id: integrationId },
  };
}
