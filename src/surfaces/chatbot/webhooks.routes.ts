import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatbotDeps } from './services.js';
import { slackInlineBody, teamsInlineBody, type ChannelHook, type SlackAnswer } from '../../domain/inbound/index.js';
import { enforceRateLimit } from '../../http/rate-limit.js';
import { bodyLeftToDomain, keepRawJsonBodies } from '../../http/raw-body.js';
import { genericView, receivedView } from './views.js';

const tags = ['chatbot: webhooks'];
const PUBLIC = { auth: 'public' } as const;

const verifyQuery = z.looseObject({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
  tenant_id: z.string().optional(),
});
const channelParams = z.object({ channel: z.enum(['whatsapp', 'messenger', 'slack', 'teams', 'telegram']) });
const integrationParams = z.object({ integration_id: z.string().min(1).max(128) });
const tenantQuery = z.looseObject({ tenant_id: z.string().max(64).optional() });
/** Platforms post their own shapes; the channel adapter reads them (and only after the signature checks out). */
const platformBody = z.looseObject({});

type Services = ChatbotDeps['services'];
const zodScope = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type Scope = ReturnType<typeof zodScope>;

/** The request as the inbound domain reads it; once it names a verified tenant, it counts against that tenant's webhook rate limit. */
function hook(request: FastifyRequest, reply: FastifyReply): ChannelHook {
  return {
    rawBody: request.rawBody ?? Buffer.alloc(0),
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    receivedAt: Date.now(),
    admit: (tenantId) => enforceRateLimit(request, reply, tenantId),
  };
}

/** Spec D's answer to a Slack request, in Slack's own terms. */
function slackReply(answer: SlackAnswer, reply: FastifyReply) {
  switch (answer.kind) {
    case 'challenge':
      return { challenge: answer.challenge };
    case 'ignored':
      return { ok: true, ignored: answer.reason };
    case 'received':
      return { ok: true, duplicate: answer.duplicate };
    case 'empty':
      return reply.code(200).send();
    case 'inline': {
      const { answers, completed } = answer.reply;
      if (answers.length) return slackInlineBody(answers);
      // The answer follows through response_url once the turn is done.
      if (!completed) return { response_type: 'ephemeral', text: 'Working on it…' };
      // Slack shows nothing for an empty 200: right for a command a human agent will answer.
      return reply.code(200).send();
    }
  }
}

function platformRoute(summary: string, bodyLimit: number) {
  return { schema: { tags, summary, querystring: tenantQuery, body: platformBody }, config: PUBLIC, bodyLimit };
}

/** Meta's two platforms, which batch many messages and delivery reports in one request. */
function registerMetaChannels(app: Scope, services: Services, bodyLimit: number): void {
  const { channelWebhooks } = services;
  app.post(
    '/api/v2/webhooks/whatsapp',
    platformRoute('WhatsApp Cloud API webhook (X-Hub-Signature-256)', bodyLimit),
    async (request, reply) => {
      const h = hook(request, reply);
      return receivedView(await channelWebhooks.whatsapp(h), h.receivedAt);
    },
  );
  app.post(
    '/api/v2/webhooks/messenger',
    platformRoute('Messenger Platform webhook (X-Hub-Signature-256)', bodyLimit),
    async (request, reply) => {
      const h = hook(request, reply);
      return receivedView(await channelWebhooks.messenger(h), h.receivedAt);
    },
  );
}

/** Slack, Teams, Telegram and custom integrations. */
function registerChatChannels(app: Scope, services: Services, bodyLimit: number): void {
  const { channelWebhooks } = services;
  app.post(
    '/api/v2/webhooks/slack',
    platformRoute('Slack Events API, slash commands and interactivity (X-Slack-Signature)', bodyLimit),
    async (request, reply) => slackReply(await channelWebhooks.slack(hook(request, reply)), reply),
  );
  app.post(
    '/api/v2/webhooks/teams',
    platformRoute('Microsoft Teams outgoing webhook (Authorization: HMAC)', bodyLimit),
    async (request, reply) => {
      const result = await channelWebhooks.teams(hook(request, reply));
      if (result.answers.length) return teamsInlineBody(result.answers);
      return {
        type: 'message',
        text: result.completed ? 'Thanks, your message has been passed to our team.' : 'Thanks, working on it…',
      };
    },
  );
  app.post(
    '/api/v2/webhooks/telegram',
    platformRoute('Telegram Bot API webhook (X-Telegram-Bot-Api-Secret-Token)', bodyLimit),
    async (request, reply) => {
      const h = hook(request, reply);
      return receivedView(await channelWebhooks.telegram(h), h.receivedAt);
    },
  );
  app.post(
    '/api/v2/webhooks/generic/:integration_id',
    {
      schema: {
        tags,
        summary: 'Custom integration webhook (Authorization: Bearer <webhook token>)',
        params: integrationParams,
        querystring: tenantQuery,
        body: platformBody,
      },
      config: PUBLIC,
      bodyLimit,
    },
    async (request, reply) =>
      genericView(await channelWebhooks.generic(request.params.integration_id, hook(request, reply))),
  );
}

function registerSubscriptionChecks(app: Scope, services: Services): void {
  const verify = async (channel: string, request: FastifyRequest, reply: { type(t: string): unknown }) => {
    const challenge = await services.channelWebhooks.verify(channel, (request.query ?? {}) as Record<string, unknown>);
    reply.type('text/plain; charset=utf-8');
    return challenge;
  };
  app.get(
    '/api/v2/webhooks/verify/:channel',
    {
      schema: {
        tags,
        summary: 'Webhook subscription verification (hub.challenge)',
        params: channelParams,
        querystring: verifyQuery,
      },
      config: PUBLIC,
    },
    async (request, reply) => verify(request.params.channel, request, reply),
  );
  // Meta verifies the same callback URL it posts to, so the two Meta routes answer GET as well.
  app.get(
    '/api/v2/webhooks/whatsapp',
    { schema: { tags, summary: 'WhatsApp subscription verification', querystring: verifyQuery }, config: PUBLIC },
    async (request, reply) => verify('whatsapp', request, reply),
  );
  app.get(
    '/api/v2/webhooks/messenger',
    { schema: { tags, summary: 'Messenger subscription verification', querystring: verifyQuery }, config: PUBLIC },
    async (request, reply) => verify('messenger', request, reply),
  );
}

/** Spec D's channel webhooks. Each verifies the platform's signature on the raw bytes, stores, then answers. */
export function registerChatbotWebhookRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  // Platforms send what they batch (Meta allows deliveries well over a megabyte); other routes keep the smaller limit.
  const bodyLimit = deps.config.http.channelBodyLimit;
  void scope.register((child, _options, done) => {
    keepRawJsonBodies(child);
    child.setValidatorCompiler(bodyLeftToDomain);
    const app = zodScope(child);
    registerMetaChannels(app, deps.services, bodyLimit);
    registerChatChannels(app, deps.services, bodyLimit);
    registerSubscriptionChecks(app, deps.services);
    done();
  });
}
