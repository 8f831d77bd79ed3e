import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
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

/** What a platform's route says of itself in the OpenAPI document. */
interface PlatformDocs {
  summary: string;
  description: string;
  example: Record<string, unknown>;
}

/** The refusals of a signed platform webhook: its signature, its tenant, the tenant's webhook budget, the store. */
const PLATFORM_ERRORS = ['INVALID_SIGNATURE', 'NOT_FOUND:tenant', 'FORBIDDEN', 'RATE_LIMITED', 'DATABASE'] as const;

const STORED_BEFORE_200 =
  ' The signature is checked on the raw bytes with the secret of the tenant the message is for, and the message is stored before the 200.';

function platformRoute({ summary, description, example }: PlatformDocs, bodyLimit: number) {
  const schema = {
    tags,
    summary,
    description: description + STORED_BEFORE_200,
    querystring: tenantQuery,
    body: platformBody,
    docs: { example, ok: { 200: 'Received: `{ status, received, … }`' }, errors: PLATFORM_ERRORS },
  } satisfies FastifySchema;
  return { schema, config: PUBLIC, bodyLimit };
}

const META_EXAMPLE = (object: string, messaging: Record<string, unknown>) => ({
  object,
  entry: [{ id: '104236519283746', time: 1735689600, ...messaging }],
});

const WHATSAPP_DOCS: PlatformDocs = {
  summary: 'WhatsApp Cloud API webhook (X-Hub-Signature-256)',
  description: 'Messages and delivery statuses from the WhatsApp Cloud API, many per request.',
  example: META_EXAMPLE('whatsapp_business_account', {
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { phone_number_id: '1092837465' },
          messages: [
            {
              from: '15125550142',
              id: 'wamid.HBgL',
              timestamp: '1735689600',
              type: 'text',
              text: { body: 'Hi, are you open Saturday?' },
            },
          ],
        },
      },
    ],
  }),
};

const MESSENGER_DOCS: PlatformDocs = {
  summary: 'Messenger Platform webhook (X-Hub-Signature-256)',
  description: 'Messages and postbacks from a Facebook Page, many per request.',
  example: META_EXAMPLE('page', {
    messaging: [
      {
        sender: { id: '6543210987' },
        recipient: { id: '104236519283746' },
        timestamp: 1735689600000,
        message: { mid: 'm_1', text: 'Do you do gutters?' },
      },
    ],
  }),
};

const SLACK_DOCS: PlatformDocs = {
  summary: 'Slack Events API, slash commands and interactivity (X-Slack-Signature)',
  description:
    'Events, slash commands and interactive actions from a Slack app; a URL verification is answered with its challenge.',
  example: {
    type: 'event_callback',
    team_id: 'T0123ABCD',
    event_id: 'Ev0123ABCD',
    event: {
      type: 'message',
      channel: 'D0123ABCD',
      user: 'U0123ABCD',
      text: 'Any openings this week?',
      ts: '1735689600.000100',
    },
  },
};

const TEAMS_DOCS: PlatformDocs = {
  summary: 'Microsoft Teams outgoing webhook (Authorization: HMAC)',
  description: 'A message from a Teams channel that mentions the outgoing webhook; the reply goes back in the answer.',
  example: {
    type: 'message',
    id: '1735689600000',
    text: '<at>Frontdesk</at> what is the status of the Whitfield lead?',
    from: { id: '29:1abc', name: 'Sam Ortiz' },
    channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
  },
};

const TELEGRAM_DOCS: PlatformDocs = {
  summary: 'Telegram Bot API webhook (X-Telegram-Bot-Api-Secret-Token)',
  description: "An update from the tenant's Telegram bot.",
  example: {
    update_id: 918273645,
    message: {
      message_id: 42,
      date: 1735689600,
      chat: { id: 5550142, type: 'private' },
      from: { id: 5550142, first_name: 'Dana' },
      text: 'Hello',
    },
  },
};

/** Meta's two platforms, which batch many messages and delivery reports in one request. */
function registerMetaChannels(app: Scope, services: Services, bodyLimit: number): void {
  const { channelWebhooks } = services;
  app.post('/api/v2/webhooks/whatsapp', platformRoute(WHATSAPP_DOCS, bodyLimit), async (request, reply) => {
    const h = hook(request, reply);
    return receivedView(await channelWebhooks.whatsapp(h), h.receivedAt);
  });
  app.post('/api/v2/webhooks/messenger', platformRoute(MESSENGER_DOCS, bodyLimit), async (request, reply) => {
    const h = hook(request, reply);
    return receivedView(await channelWebhooks.messenger(h), h.receivedAt);
  });
}

/** Slack, Teams, Telegram and custom integrations. */
function registerChatChannels(app: Scope, services: Services, bodyLimit: number): void {
  const { channelWebhooks } = services;
  app.post('/api/v2/webhooks/slack', platformRoute(SLACK_DOCS, bodyLimit), async (request, reply) =>
    slackReply(await channelWebhooks.slack(hook(request, reply)), reply),
  );
  app.post('/api/v2/webhooks/teams', platformRoute(TEAMS_DOCS, bodyLimit), async (request, reply) => {
    const result = await channelWebhooks.teams(hook(request, reply));
    if (result.answers.length) return teamsInlineBody(result.answers);
    return {
      type: 'message',
      text: result.completed ? 'Thanks, your message has been passed to our team.' : 'Thanks, working on it…',
    };
  });
  app.post('/api/v2/webhooks/telegram', platformRoute(TELEGRAM_DOCS, bodyLimit), async (request, reply) => {
    const h = hook(request, reply);
    return receivedView(await channelWebhooks.telegram(h), h.receivedAt);
  });
  app.post(
    '/api/v2/webhooks/generic/:integration_id',
    {
      schema: {
        tags,
        summary: 'Custom integration webhook (Authorization: Bearer <webhook token>)',
        description:
          "A message from one of the tenant's custom integrations, authenticated by that integration's webhook token; stored before the 200.",
        params: integrationParams,
        querystring: tenantQuery,
        body: platformBody,
        docs: {
          example: { user_id: 'crm-contact-8812', text: 'Please call me back about the quote', name: 'Dana Whitfield' },
          ok: { 200: 'Received, with the reply when the turn has completed' },
          errors: ['UNAUTHENTICATED', 'NOT_FOUND:tenant', 'FORBIDDEN', 'RATE_LIMITED', 'DATABASE'],
        },
      },
      config: PUBLIC,
      bodyLimit,
    },
    async (request, reply) =>
      genericView(await channelWebhooks.generic(request.params.integration_id, hook(request, reply))),
  );
}

const VERIFY_DESCRIPTION =
  "Meta's subscription check: with `hub.mode=subscribe` and a `hub.verify_token` that matches a tenant's, the answer is `hub.challenge` as plain text.";
const VERIFY_DOCS = { ok: { 200: 'The `hub.challenge`, as text/plain' }, errors: ['FORBIDDEN', 'DATABASE'] } as const;

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
        description: VERIFY_DESCRIPTION,
        params: channelParams,
        querystring: verifyQuery,
        docs: VERIFY_DOCS,
      },
      config: PUBLIC,
    },
    async (request, reply) => verify(request.params.channel, request, reply),
  );
  // Meta verifies the same callback URL it posts to, so the two Meta routes answer GET as well.
  app.get(
    '/api/v2/webhooks/whatsapp',
    {
      schema: {
        tags,
        summary: 'WhatsApp subscription verification',
        description: VERIFY_DESCRIPTION,
        querystring: verifyQuery,
        docs: VERIFY_DOCS,
      },
      config: PUBLIC,
    },
    async (request, reply) => verify('whatsapp', request, reply),
  );
  app.get(
    '/api/v2/webhooks/messenger',
    {
      schema: {
        tags,
        summary: 'Messenger subscription verification',
        description: VERIFY_DESCRIPTION,
        querystring: verifyQuery,
        docs: VERIFY_DOCS,
      },
      config: PUBLIC,
    },
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
