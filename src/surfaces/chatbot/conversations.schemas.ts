import { z } from 'zod';
import { CONVERSATION_EXPORT_FORMATS } from '../../domain/exports/index.js';
import { CHANNELS, CONVERSATION_STATUSES } from '../../domain/conversations/index.js';
import { HANDOFF_PRIORITIES } from '../../domain/handoff/index.js';

const DATE_ONLY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `YYYY-MM-DD` or an ISO date-time with offset; date-only bounds cover the whole UTC day. */
const dateBound = z.union([z.string().regex(DATE_ONLY), z.iso.datetime({ offset: true })], {
  error: 'must be YYYY-MM-DD or an ISO 8601 date-time',
});
const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2025-06-01T00:00:00Z' });

export function lowerBound(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

export function upperBound(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return DATE_ONLY.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();
}

export const conversationParams = z.object({ id: z.string().min(1).max(64) });

export const CONVERSATION_SORT_INPUTS = [
  'last_activity_desc',
  'last_activity_asc',
  'created_at_desc',
  'created_at_asc',
  'last_activity',
  'created_at',
  'started_at',
] as const;

export const listConversationsQuery = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  user_id: z.string().min(1).max(200).optional(),
  date_from: dateBound.optional(),
  date_to: dateBound.optional(),
  search: z.string().trim().min(1).max(200).optional(),
  /** `last_activity_desc` style, or spec D's `sort=created_at&order=desc` pair. */
  sort: z.enum(CONVERSATION_SORT_INPUTS).default('last_activity_desc'),
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const conversationDetailQuery = z.object({
  include_messages: z.enum(['true', 'false']).default('true'),
  message_limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export const exportBody = z.object({
  format: z.enum(CONVERSATION_EXPORT_FORMATS).default('json'),
  include_metadata: z.boolean().default(false),
  include_analytics: z.boolean().default(false),
  date_range: z.object({ start: dateTime.optional(), end: dateTime.optional() }).optional(),
});

export const exportDownloadParams = z.object({ file: z.string().min(1).max(64) });
export const exportDownloadQuery = z.object({
  tenant_id: z.string().min(1).max(64),
  expires: z.string().min(1).max(12),
  signature: z.string().min(1).max(128),
});

export const transferBody = z.object({
  transfer_reason: z.string().trim().min(1).max(200).default('manual_transfer'),
  transfer_note: z.string().max(2000).optional(),
  department: z.string().trim().min(1).max(100).optional(),
  priority: z.enum(HANDOFF_PRIORITIES).default('normal'),
  /** A user id of the tenant (see the tenant's users routes). */
  agent_id: z.string().min(1).max(64).optional(),
});

export const closeBody = z.object({
  resolution: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,31}$/,
      'must be a snake_case label of at most 32 characters, e.g. resolved, unresolved, spam',
    )
    .default('resolved'),
});

export const agentMessageBody = z.object({
  text: z.string().trim().min(1).max(4096),
  /** The replying user; else the agent the transfer is assigned to. */
  agent_id: z.string().min(1).max(64).optional(),
});
