import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import type { InboundMedia, InboundMessage } from '../../domain/conversations/inbound.js';
import type { Turn } from '../../domain/conversations/inbox.service.js';
import type { MessageRecord, ReplyMetadata } from '../../domain/conversations/messages.view.js';
import { forbidden } from '../../domain/errors.js';
import { newId } from '../../lib/ids.js';
import { principalOf, tenantOf } from '../../http/auth.js';
import { ok } from './respond.js';
import { chatMessageBody, feedbackBody, messageParams, typingBody, type ChatMessageBody } from './chat.schemas.js';

/** The tenant's API key or JWT, a tenant user, the admin naming a tenant, or the site's widget token (web channel only). */
const CHAT = { allow: ['admin', 'tenant-key', 'user', 'widget'] } as const;
const tags = ['chatbot: chat'];

/** The widget token is public (it sits in the site's page), so it may only speak for web visitors. */
function requireChannelAllowed(request: FastifyRequest, channel: string): void {
  if (principalOf(request).kind === 'widget' && channel !== 'web')
    throw forbidden('The widget token may only be used for the web channel');
}

function inboundFrom(body: ChatMessageBody, receivedAt: Date): InboundMessage {
  const meta = body.channel_metadata ?? {};
  const c = body.content;
  const media: InboundMedia[] =
    c.type !== 'text' && (c.media || c.type === 'location')
      ? [
          {
            kind: c.type,
            ...(c.media?.url ? { url: c.media.url } : {}),
            ...(c.media?.type ? { mimeType: c.media.type } : {}),
            ...(c.media?.size_bytes !== undefined ? { sizeBytes: c.media.size_bytes } : {}),
            ...(c.media?.alt_text ? { caption: c.media.alt_text } : {}),
          },
        ]
      : [];
  return {
    channel: body.channel,
    // Without a client id the message cannot be repeated safely, so it gets a fresh one.
    externalMessageId: body.message_id ?? meta.platform_message_id ?? newId('msg'),
    platformUserId: meta.platform_user_id ?? body.user_id,
    text: c.text?.trim() ?? '',
    ...(c.payload ? { payload: c.payload } : {}),
    ...(media.length > 0 ? { media } : {}),
    ...(meta.name ? { senderName: meta.name } : {}),
    ...(meta.phone ? { phone: meta.phone } : {}),
    ...(meta.email ? { email: meta.email } : {}),
    receivedAt,
    context: {
      ...(meta.user_agent ? { user_agent: meta.user_agent } : {}),
      ...(meta.referrer ? { referrer: meta.referrer } : {}),
    },
  };
}

function replyView(reply: MessageRecord | null) {
  return reply
    ? {
        message_id: reply.id,
        type: 'text',
        text: reply.text,
        quick_replies: reply.quickReplies.map((q) => ({ title: q.title, payload: q.payload })),
      }
    : null;
}

/** Spec D's "Send Message" answer, rebuilt from what was stored so a repeated message id gets the same body. */
function turnView(turn: Turn) {
  const meta = turn.reply?.metadata as ReplyMetadata | undefined;
  return {
    message_id: turn.inbound.externalId ?? turn.inbound.id,
    conversation_id: turn.conversationId,
    response: replyView(turn.reply),
    conversation_state: {
      current_intent: turn.state.current_intent,
      entities: turn.state.entities,
      next_expected_input: turn.state.next_expected_input,
      conversation_stage: turn.state.conversation_stage,
    },
    processing_metadata: {
      model_used: meta?.model_used ?? null,
      processing_time_ms: meta?.processing_time_ms ?? 0,
      confidence_score: meta?.confidence_score ?? null,
    },
    // Not in the spec's example: tells the widget a human has the conversation (then `response` is null).
    conversation_status: turn.conversationStatus,
  };
}

function messageView(m: MessageRecord, reply: MessageRecord | null) {
  const meta = m.metadata as Partial<ReplyMetadata>;
  return {
    message_id: m.id,
    external_message_id: m.externalId,
    conversation_id: m.conversationId,
    channel: m.channel,
    direction: m.direction,
    sender: m.sender,
    content: {
      type: m.contentType,
      text: m.text,
      media: m.media.map((x) => ({
        kind: x.kind,
        url: x.url ?? null,
        type: x.mimeType ?? null,
        size_bytes: x.sizeBytes ?? null,
        alt_text: x.caption ?? null,
      })),
    },
    quick_replies: m.quickReplies,
    status: m.status,
    error: m.error,
    intent: m.intent,
    confidence_score: m.confidence,
    sentiment: m.sentiment,
    reply_to_message_id: m.replyToId,
    response: m.direction === 'inbound' ? replyView(reply) : null,
    processing_metadata:
      m.direction === 'outbound' && m.sender === 'bot'
        ? {
            model_used: meta.model_used ?? null,
            processing_time_ms: meta.processing_time_ms ?? null,
            confidence_score: meta.confidence_score ?? null,
          }
        : null,
    created_at: m.createdAt,
  };
}

/** Spec D's chat routes: send a message and get the bot's answer, read a message, retry a failed one, typing, feedback. */
export function registerChatRoutes(scope: FastifyInstance, deps: Deps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { inbox, conversationMessages } = deps.services;

  app.post(
    '/api/v2/chat/message',
    { schema: { body: chatMessageBody, tags }, config: { auth: CHAT } },
    async (request) => {
      const body = request.body;
      requireChannelAllowed(request, body.channel);
      const turn = await inbox.chat(tenantOf(request), inboundFrom(body, deps.clock.now()), {
        conversationId: body.conversation_id,
        sessionId: body.session_id,
        userId: body.user_id,
        contentType: body.content.type,
        language: body.content.language,
      });
      return ok(request, turnView(turn));
    },
  );

  app.get(
    '/api/v2/chat/message/:id',
    { schema: { params: messageParams, tags }, config: { auth: CHAT } },
    async (request) => {
      const { message, reply } = await conversationMessages.getMessage(tenantOf(request), request.params.id);
      requireChannelAllowed(request, message.channel);
      return ok(request, messageView(message, reply));
    },
  );

  app.post(
    '/api/v2/chat/message/:id/retry',
    { schema: { params: messageParams, tags }, config: { auth: CHAT } },
    async (request) => {
      const tenantId = tenantOf(request);
      const { message } = await conversationMessages.getMessage(tenantId, request.params.id);
      requireChannelAllowed(request, message.channel);
      return ok(request, turnView(await inbox.retry(tenantId, message.id)));
    },
  );

  app.post('/api/v2/chat/typing', { schema: { body: typingBody, tags }, config: { auth: CHAT } }, async (request) => {
    const body = request.body;
    requireChannelAllowed(request, body.channel);
    await conversationMessages.typing(tenantOf(request), {
      conversationId: body.conversation_id,
      userId: body.user_id,
      channel: body.channel,
      durationMs: body.typing_duration_ms,
      sender: body.sender,
    });
    return ok(request, { typing_sent: true, duration_ms: body.typing_duration_ms });
  });

  app.post(
    '/api/v2/chat/feedback',
    { schema: { body: feedbackBody, tags }, config: { auth: CHAT } },
    async (request, reply) => {
      const body = request.body;
      const tenantId = tenantOf(request);
      const { message } = await conversationMessages.getMessage(tenantId, body.message_id);
      requireChannelAllowed(request, message.channel);
      const f = await conversationMessages.feedback(tenantId, {
        messageId: message.id,
        conversationId: body.conversation_id,
        rating: body.rating,
        helpful: body.helpful,
        comment: body.comment,
      });
      return reply.code(201).send(
        ok(request, {
          feedback_id: f.id,
          message_id: f.messageId,
          conversation_id: f.conversationId,
          rating: f.rating,
          helpful: f.helpful,
          comment: f.comment,
          recorded: true,
          created_at: f.createdAt,
        }),
      );
    },
  );
}
