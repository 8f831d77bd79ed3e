import { z } from 'zod';
import { CHANNELS } from '../../domain/conversations/index.js';

/** Message ids the client chooses: printable, no spaces, short enough to index. */
const clientId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:+=@-]+$/, 'must be letters, digits and . _ : + = @ - only');

/** A conversation id the client proposes for a new conversation must look like ours. */
export const conversationId = z
  .string()
  .regex(/^conv_[A-Za-z0-9_-]{4,43}$/, 'must look like conv_<4-43 letters, digits, - or _>');

export const CONTENT_TYPES = ['text', 'image', 'audio', 'video', 'file', 'location'] as const;

const mediaSchema = z.object({
  url: z.url().max(2048),
  type: z.string().max(100).optional(),
  size_bytes: z.number().int().min(0).optional(),
  alt_text: z.string().max(1000).optional(),
});

export const chatMessageBody = z.object({
  message_id: clientId.optional(),
  conversation_id: conversationId.optional(),
  session_id: z.string().min(1).max(48).optional(),
  user_id: z.string().min(1).max(200),
  channel: z.enum(CHANNELS),
  content: z
    .object({
      type: z.enum(CONTENT_TYPES).default('text'),
      text: z.string().max(4000).optional(),
      language: z.string().min(2).max(16).optional(),
      media: mediaSchema.optional(),
      /** The payload of a tapped quick reply. */
      payload: z.string().min(1).max(256).optional(),
    })
    .superRefine((c, ctx) => {
      if (c.type === 'text' && !c.text?.trim() && !c.payload)
        ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for a text message' });
      if (c.type !== 'text' && c.type !== 'location' && !c.media)
        ctx.addIssue({ code: 'custom', path: ['media'], message: `is required for a ${c.type} message` });
    }),
  channel_metadata: z
    .looseObject({
      platform_user_id: z.string().min(1).max(200).optional(),
      platform_message_id: z.string().min(1).max(200).optional(),
      user_agent: z.string().max(1000).optional(),
      referrer: z.string().max(2048).optional(),
      name: z.string().max(200).optional(),
      phone: z.string().max(40).optional(),
      email: z.string().max(320).optional(),
    })
    .optional(),
});
export type ChatMessageBody = z.infer<typeof chatMessageBody>;

export const messageParams = z.object({ id: z.string().min(1).max(128) });

export const typingBody = z.object({
  conversation_id: z.string().min(1).max(48),
  user_id: z.string().min(1).max(200).optional(),
  channel: z.enum(CHANNELS),
  typing_duration_ms: z.number().int().min(100).max(60_000).default(3000),
  sender: z.enum(['customer', 'agent', 'bot']).default('customer'),
});

export const feedbackBody = z
  .object({
    message_id: z.string().min(1).max(128),
    conversation_id: z.string().min(1).max(48).optional(),
    rating: z.number().int().min(1).max(5).optional(),
    helpful: z.boolean().optional(),
    comment: z.string().max(2000).optional(),
  })
  .refine((b) => b.rating !== undefined || b.helpful !== undefined || (b.comment?.trim().length ?? 0) > 0, {
    path: ['rating'],
    message: 'give a rating, helpful or a comment',
  });
