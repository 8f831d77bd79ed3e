import { z } from 'zod';

export const conversationListQuery = z.object({
  status: z.enum(['active', 'waiting_agent', 'with_agent', 'closed']).optional(),
  channel: z.string().min(1).max(32).optional(),
  /** A user id, or `me` for the signed-in person. */
  assignee: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export const conversationParams = z.object({ id: z.string().min(1).max(64) });
export const replyBody = z.object({ text: z.string().trim().min(1).max(4000) });
export const closeBody = z.object({ resolution: z.string().trim().min(1).max(64).default('resolved') });

export const leadListQuery = z.object({
  tier: z.enum(['HOT', 'WARM', 'COLD']).optional(),
  source: z.string().min(1).max(64).optional(),
  status: z.string().min(1).max(32).optional(),
  /** ISO dates or instants, inclusive, on when the lead was created. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
