import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ChatbotDeps } from './services.js';
import type { InboundMedia, InboundMessage } from '../../domain/conversations/index.js';
import { forbidden } from '../../domain/errors.js';
import { newId } from '../../lib/ids.js';
import { modeOf, principalOf, tenantOf } from '../../http/auth.js';
import { ok } from './respond.js';
import { chatMessageView, turnView } from './views.js';
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

const sendSchema = {
  body: chatMessageBody,
  tags,
  summary: 'Send a message and get the reply (spec D)',
  description:
    "A customer's message on a channel; the answer carries the bot's reply, the conversation and what was understood (intent, entities, lead score). A conversation is opened when none is named. The same `message_id` answers the first result again.",
  docs: {
    example: {
      message_id: 'web-7f3a9c',
      user_id: 'visitor_4821',
      channel: 'web',
      content: { type: 'text', text: 'Hi, can someone come fix a leaking roof this week?' },
      channel_metadata: { name: 'Dana Whitfield', email: 'dana@example.com' },
    },
    ok: { 200: '`{ status: "success", data: { message_id, conversation_id, response, … }, meta }`' },
    errors: ['NOT_FOUND:conversation', 'NOT_FOUND:session', 'CONFLICT', 'UPSTREAM_AI'],
  },
} satisfies FastifySchema;

const getMessageSchema = {
  params: messageParams,
  tags,
  summary: 'Get a message and its reply (spec D)',
  description: 'One message of a conversation with its status and, for a customer message, the reply it got.',
  docs: { ok: { 200: '`{ status: "success", data: <message>, meta }`' }, errors: ['NOT_FOUND:message'] },
} satisfies FastifySchema;

const retrySchema = {
  params: messageParams,
  tags,
  summary: 'Retry a failed message (spec D)',
  description: 'Runs the turn of a message whose processing failed again; a message that did not fail is a 409.',
  docs: {
    ok: { 200: 'The turn, as POST /api/v2/chat/message answers it' },
    errors: ['NOT_FOUND:message', 'CONFLICT', 'UPSTREAM_AI'],
  },
} satisfies FastifySchema;

const typingSchema = {
  body: typingBody,
  tags,
  summary: 'Send a typing indicator (spec D)',
  description: 'Tells the other side of the conversation, over its live stream, that someone is typing.',
  docs: {
    example: { conversation_id: 'conv_01JEXAMPLE0000000000', channel: 'web', typing_duration_ms: 3000 },
    ok: { 200: '`{ status: "success", data: { typing_sent: true, duration_ms }, meta }`' },
    errors: ['NOT_FOUND:conversation'],
  },
} satisfies FastifySchema;

const feedbackSchema = {
  body: feedbackBody,
  tags,
  summary: 'Rate an answer (spec D)',
  description: "A rating (1-5), a helpful flag or a comment on one of the bot's answers.",
  docs: {
    example: { message_id: 'msg_01JEXAMPLE0000000000', rating: 5, helpful: true, comment: 'Quick and clear' },
    ok: {
      201: '`{ status: "success", data: { feedback_id, message_id, rating, helpful, comment, recorded, created_at }, meta }`',
    },
    errors: ['NOT_FOUND:message'],
  },
} satisfies FastifySchema;

/** Spec D's chat routes: send a message and get the bot's answer, read a message, retry a failed one, typing, feedback. */
export function registerChatRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerMessageRoutes(scope, deps);
  registerSignalRoutes(scope, deps);
}

/** Sending a message, reading one, retrying a failed one. */
function registerMessageRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { inbox, conversationMessages } = deps.services;

  app.post('/api/v2/chat/message', { schema: sendSchema, config: { auth: CHAT } }, async (request) => {
    const body = request.body;
    requireChannelAllowed(request, body.channel);
    const turn = await inbox.chat(tenantOf(request), inboundFrom(body, deps.clock.now()), {
      conversationId: body.conversation_id,
      sessionId: body.session_id,
      userId: body.user_id,
      contentType: body.content.type,
      language: body.content.language,
      mode: modeOf(request),
    });
    return ok(request, turnView(turn));
  });

  app.get('/api/v2/chat/message/:id', { schema: getMessageSchema, config: { auth: CHAT } }, async (request) => {
    const { message, reply } = await conversationMessages.getMessage(tenantOf(request), request.params.id);
    requireChannelAllowed(request, message.channel);
    return ok(request, chatMessageView(message, reply));
  });

  app.post('/api/v2/chat/message/:id/retry', { schema: retrySchema, config: { auth: CHAT } }, async (request) => {
    const tenantId = tenantOf(request);
    const { message } = await conversationMessages.getMessage(tenantId, request.params.id);
    requireChannelAllowed(request, message.channel);
    return ok(request, turnView(await inbox.retry(tenantId, message.id)));
  });
}

/** What the customer's side signals beside messages: typing, and ratings of answers. */
function registerSignalRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationMessages } = deps.services;

  app.post('/api/v2/chat/typing', { schema: typingSchema, config: { auth: CHAT } }, async (request) => {
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

  app.post('/api/v2/chat/feedback', { schema: feedbackSchema, config: { auth: CHAT } }, async (request, reply) => {
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
  });
}
