import type { FastifyInstance } from 'fastify';
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
  app.post(
    '/api/webhooks',
    { schema: { body: subscribeSchema, tags, summary: 'Register a webhook endpoint' }, config: { auth: TENANT } },
    async (request, reply) => {
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
    },
  );

  app.get(
    '/api/webhooks',
    { schema: { tags, summary: 'List registered webhooks' }, config: { auth: TENANT } },
    async (request) => {
      const list = await webhooks.list(tenantOf(request));
      return { webhooks: list.map(webhookView) };
    },
  );

  // 200 with a body rather than 204: spec E clients parse every answer as JSON.
  app.delete(
    '/api/webhooks/:webhook_id',
    { schema: { params: webhookParams, tags, summary: 'Remove a registered webhook' }, config: { auth: TENANT } },
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
      schema: {
        params: webhookParams,
        querystring: deliveriesQuerySchema,
        tags,
        summary: 'Deliveries of a webhook with every attempt',
      },
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
      schema: { params: deliveryParams, tags, summary: 'Send a delivery again (same event id)' },
      config: { auth: TENANT },
    },
    async (request, reply) => {
      const delivery = await webhooks.replay(tenantOf(request), request.params.webhook_id, request.params.delivery_id);
      return reply.code(202).send(deliveryView(delivery));
    },
  );

  app.post(
    '/api/webhooks/:webhook_id/enable',
    { schema: { params: webhookParams, tags, summary: 'Re-enable a disabled webhook' }, config: { auth: TENANT } },
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
      schema: { tags, summary: 'New signing secret for batch webhook_url callbacks (shown once)' },
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
