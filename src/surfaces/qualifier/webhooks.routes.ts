import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QualifierDeps } from './services.js';
import { deliveriesQuerySchema, subscribeSchema } from '../../domain/webhooks/index.js';
import { actorOf, tenantOf } from '../../http/auth.js';
import { createdView, deliveryView, webhookView } from './views.js';

const TENANT = { allow: ['tenant-key', 'admin'] } as const;
const tags = ['qualifier: webhooks'];

const webhookParams = z.object({ webhook_id: z.string().min(1).max(64) });
const deliveryParams = webhookParams.extend({ delivery_id: z.string().min(1).max(64) });

const subscribeRouteSchema = {
  body: subscribeSchema,
  tags,
  summary: 'Register a webhook endpoint',
  description:
    'Subscribes an HTTPS URL to lead events. Every delivery is signed (HMAC-SHA256 over `id.timestamp.body`, see docs/webhook-signing.md) with the secret given here or generated and shown once in the answer.',
  docs: {
    example: { url: 'https://crm.example.com/hooks/frontdesk', events: ['lead.qualified'] },
    ok: { 201: 'The endpoint with its signing `secret`, shown only here' },
    errors: ['NOT_FOUND:tenant', 'CONFLICT'],
  },
} satisfies FastifySchema;

const deliveriesSchema = {
  params: webhookParams,
  querystring: deliveriesQuerySchema,
  tags,
  summary: 'Deliveries of a webhook with every attempt',
  description:
    'The newest deliveries first, each with its event, status and every attempt (status code, timing, error).',
  docs: { ok: { 200: '`{ deliveries: [...], has_more }`' }, errors: ['NOT_FOUND:webhook'] },
} satisfies FastifySchema;

const replaySchema = {
  params: deliveryParams,
  tags,
  summary: 'Send a delivery again (same event id)',
  description: 'Queues the delivery again with the same event id, so a receiver that already has it can drop it.',
  docs: {
    ok: { 202: 'The delivery, queued again' },
    errors: ['NOT_FOUND:webhook', 'NOT_FOUND:delivery', 'CONFLICT'],
  },
} satisfies FastifySchema;

/** Spec E's outbound webhooks, plus delivery history, replay, re-enabling and the callback secret (docs/webhook-signing.md). */
export function registerWebhookRoutes(scope: FastifyInstance, deps: QualifierDeps): void {
  const app = zodScope(scope);
  registerEndpointRoutes(app, deps.services);
  registerDeliveryRoutes(app, deps.services);
}

const zodScope = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type Scope = ReturnType<typeof zodScope>;
type Services = Pick<QualifierDeps['services'], 'webhooks' | 'tenants' | 'audit'>;

function registerEndpointRoutes(app: Scope, { webhooks, tenants, audit }: Services): void {
  app.post('/api/webhooks', { schema: subscribeRouteSchema, config: { auth: TENANT } }, async (request, reply) => {
    const tenantId = tenantOf(request);
    // The admin may name any tenant in X-Tenant-ID; an unknown one is a 404, not a foreign-key error.
    await tenants.get(tenantId);
    const created = await webhooks.subscribe(tenantId, request.body);
    await audit.record(actorOf(request), {
      tenantId,
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: created.id,
      after: { url: created.url, events: created.events },
    });
    return reply.code(201).send(createdView(created));
  });

  app.get(
    '/api/webhooks',
    {
      schema: {
        tags,
        summary: 'List registered webhooks',
        description:
          "The tenant's webhook endpoints with their events and whether each is enabled; secrets are never shown.",
        docs: { ok: { 200: '`{ webhooks: [...] }`' } },
      },
      config: { auth: TENANT },
    },
    async (request) => {
      const list = await webhooks.list(tenantOf(request));
      return { webhooks: list.map(webhookView) };
    },
  );

  // 200 with a body rather than 204: spec E clients parse every answer as JSON.
  app.delete(
    '/api/webhooks/:webhook_id',
    {
      schema: {
        params: webhookParams,
        tags,
        summary: 'Remove a registered webhook',
        description: 'Stops deliveries to the endpoint; recorded in the audit log.',
        docs: { ok: { 200: '`{ id, deleted: true }`' }, errors: ['NOT_FOUND:webhook'] },
      },
      config: { auth: TENANT },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      await webhooks.remove(tenantId, request.params.webhook_id);
      await audit.record(actorOf(request), {
        tenantId,
        action: 'webhook.deleted',
        targetType: 'webhook',
        targetId: request.params.webhook_id,
      });
      return { id: request.params.webhook_id, deleted: true };
    },
  );
}

function registerDeliveryRoutes(app: Scope, { webhooks, tenants, audit }: Services): void {
  app.get(
    '/api/webhooks/:webhook_id/deliveries',
    {
      schema: deliveriesSchema,
      config: { auth: TENANT },
    },
    async (request) => {
      const page = await webhooks.listDeliveries(tenantOf(request), request.params.webhook_id, request.query);
      return { deliveries: page.deliveries.map(deliveryView), has_more: page.hasMore };
    },
  );

  app.post(
    '/api/webhooks/:webhook_id/deliveries/:delivery_id/replay',
    {
      schema: replaySchema,
      config: { auth: TENANT },
    },
    async (request, reply) => {
      const delivery = await webhooks.replay(tenantOf(request), request.params.webhook_id, request.params.delivery_id);
      return reply.code(202).send(deliveryView(delivery));
    },
  );

  app.post(
    '/api/webhooks/:webhook_id/enable',
    {
      schema: {
        params: webhookParams,
        tags,
        summary: 'Re-enable a disabled webhook',
        description:
          'An endpoint is disabled after sustained failures; this turns it back on and resets its failure count.',
        docs: { ok: { 200: 'The webhook, enabled' }, errors: ['NOT_FOUND:webhook'] },
      },
      config: { auth: TENANT },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const webhook = await webhooks.enable(tenantId, request.params.webhook_id);
      await audit.record(actorOf(request), {
        tenantId,
        action: 'webhook.enabled',
        targetType: 'webhook',
        targetId: webhook.id,
      });
      return webhookView(webhook);
    },
  );

  app.post(
    '/api/webhooks/callback-secret/rotate',
    {
      schema: {
        tags,
        summary: 'New signing secret for batch webhook_url callbacks (shown once)',
        description:
          'Replaces the secret that signs the callbacks of POST /api/batch/qualify; the new one is shown only in this answer.',
        docs: { ok: { 200: '`{ secret, created_at }`' }, errors: ['NOT_FOUND:tenant'] },
      },
      config: { auth: TENANT },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      await tenants.get(tenantId);
      const rotated = await webhooks.rotateCallbackSecret(tenantId);
      await audit.record(actorOf(request), {
        tenantId,
        action: 'webhook.callback_secret_rotated',
        targetType: 'credential',
        targetId: 'webhook_callback_secret',
        after: { value: '***hidden***' },
      });
      return { secret: rotated.secret, created_at: rotated.createdAt };
    },
  );
}
