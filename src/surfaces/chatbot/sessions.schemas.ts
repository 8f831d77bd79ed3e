import { z } from 'zod';
import { CHANNELS } from '../../domain/conversations/index.js';

const contextObject = z.record(z.string().max(128), z.unknown());

export const createSessionBody = z.object({
  channel: z.enum(CHANNELS),
  user_id: z.string().min(1).max(200).optional(),
  initial_context: contextObject.optional(),
  session_config: z
    .object({
      timeout_minutes: z.number().int().min(1).max(1440).default(30),
      enable_context_persistence: z.boolean().default(true),
    })
    .default({ timeout_minutes: 30, enable_context_persistence: true }),
});

export const sessionParams = z.object({ id: z.string().min(1).max(48) });

export const updateSessionBody = z
  .object({
    user_id: z.string().min(1).max(200).optional(),
    metadata: contextObject.optional(),
    context: contextObject.optional(),
  })
  .refine((b) => b.user_id !== undefined || b.metadata !== undefined || b.context !== undefined, {
    path: ['user_id'],
    message: 'give user_id, metadata or context',
  });

export const extendSessionBody = z.object({
  extend_by_minutes: z.number().int().min(1).max(1440).default(30),
  reason: z.string().max(200).optional(),
});

export const updateContextBody = z
  .object({
    context_updates: contextObject.optional(),
    append_to_history: contextObject.optional(),
  })
  .refine((b) => b.context_updates !== undefined || b.append_to_history !== undefined, {
    path: ['context_updates'],
    message: 'give context_updates or append_to_history',
  });
