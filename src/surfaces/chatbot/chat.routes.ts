import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/** Spec D's chat routes: send a message and get the bot's answer, read a message, retry a failed one, typing, feedback. */
export function registerChatRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerMessageRoutes(scope, deps);
  registerSignalRoutes(scope, deps);
}

/** Sending a message, reading one, retrying a failed one. */
function registerMessageRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
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
        mode: modeOf(request),
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
      return ok(request, chatMessageView(message, reply));
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
}

/** What the customer's side signals beside messages: typing, and ratings of answers. */
function registerSignalRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversationMessages } = deps.services;

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
