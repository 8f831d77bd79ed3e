import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { WEBHOOK_EVENTS } from '../../domain/webhooks/index.js';
import {
  changeWebhookBody,
  createWebhookBody,
  deliveriesQuery,
  deliveryParams,
  disableWebhookBody,
  webhookParams,
} from './admin.schemas.js';
import { deliveryView, webhookView } from './admin-views.js';
import type { AppDeps } from './services.js';
import { tenantWith } from './session.js';

const tags = ['app: webhooks'];
const SESSION = { appSession: 'required' } as const;
/** Webhooks carry the tenant's data to other systems: only owners and admins see or change them. */
const admin = (request: FastifyRequest) => tenantWith(request, 'settings:write').tenantId;
const ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:webhook'] as const;
const EXAMPLE_URL = 'https://crm.example.com/hooks/frontdesk';

/** The tenant's outbound webhooks: endpoints, their delivery log, replays. */
export function registerWebhookRoutes(scope: FastifyInstance, deps: AppDeps): void {
  registerEndpointReads(scope, deps);
  registerEndpointWrites(scope, deps);
  registerEndpointSwitches(scope, deps);
  registerDeliveryRoutes(scope, deps);
}

function registerEndpointReads(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/app/api/webhooks',
    {
      schema: {
        tags,
        summary: "The tenant's outbound webhooks",
        description: 'Each endpoint with its events, whether it is enabled and why not; and every event one may name.',
        docs: {
          ok: { 200: '`{ data: { webhooks: [...], events: [{ name, description }] } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
        },
      },
      config: SESSION,
    },
    async (request) => {
      const webhooks = await deps.services.webhooks.list(admin(request));
      const events = Object.entries(WEBHOOK_EVENTS).map(([name, description]) => ({ name, description }));
      return { data: { webhooks: webhooks.map(webhookView), events } };
    },
  );
}

function registerEndpointWrites(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps.services;
  app.post(
    '/app/api/webhooks',
    {
      schema: {
        body: createWebhookBody,
        tags,
        summary: 'Add a webhook',
        description:
          'The URL must be public https (the guard that checks every outbound call refuses private addresses); the signing secret is answered this once.',
        docs: {
          example: { url: EXAMPLE_URL, events: ['lead.qualified'] },
          ok: { 201: '`{ data: <webhook> & { secret } }`' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT'],
        },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const created = await webhooks.subscribe(admin(request), request.body);
      return reply.code(201).send({ data: { ...webhookView(created), secret: created.secret } });
    },
  );
  app.patch(
    '/app/api/webhooks/:id',
    {
      schema: {
        params: webhookParams,
        body: changeWebhookBody,
        tags,
        summary: "Change a webhook's URL or events",
        description: 'The new URL is checked like a new one; the signing secret and the delivery log stay.',
        docs: {
          example: { events: ['lead.qualified', 'lead.scored'] },
          ok: { 200: '`{ data: <webhook> }`' },
          errors: ERRORS,
        },
      },
      config: SESSION,
    },
    async (request) => {
      const { url, events } = request.body;
      const changed = await webhooks.change(admin(request), request.params.id, {
        ...(url !== undefined ? { url } : {}),
        ...(events !== undefined ? { events } : {}),
      });
      return { data: webhookView(changed) };
    },
  );
  app.delete(
    '/app/api/webhooks/:id',
    {
      schema: {
        params: webhookParams,
        tags,
        summary: 'Delete a webhook',
        description: 'With its delivery log; pending retries stop.',
        docs: { ok: { 204: 'Nothing' }, errors: ERRORS },
      },
      config: SESSION,
    },
    async (request, reply) => {
      await webhooks.remove(admin(request), request.params.id);
      return reply.code(204).send();
    },
  );
}

function registerEndpointSwitches(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps.services;
  app.post(
    '/app/api/webhooks/:id/enable',
    {
      schema: {
        params: webhookParams,
        tags,
        summary: 'Enable a webhook',
        description: 'Deliveries resume and the failure counters start again from zero.',
        docs: { ok: { 200: '`{ data: <webhook> }`' }, errors: ERRORS },
      },
      config: SESSION,
    },
    async (request) => ({ data: webhookView(await webhooks.enable(admin(request), request.params.id)) }),
  );
  app.post(
    '/app/api/webhooks/:id/disable',
    {
      schema: {
        params: webhookParams,
        body: disableWebhookBody,
        tags,
        summary: 'Disable a webhook',
        description: 'No more deliveries until it is enabled again; `reason` is shown as why.',
        docs: { example: { reason: 'CRM migration this week' }, ok: { 200: '`{ data: <webhook> }`' }, errors: ERRORS },
      },
      config: SESSION,
    },
    async (request) => {
      const disabled = await webhooks.disable(admin(request), request.params.id, request.body.reason);
      return { data: webhookView(disabled) };
    },
  );
}

function registerDeliveryRoutes(scope: FastifyInstance, deps: AppDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { webhooks } = deps.services;
  app.get(
    '/app/api/webhooks/:id/deliveries',
    {
      schema: {
        params: webhookParams,
        querystring: deliveriesQuery,
        tags,
        summary: "A webhook's delivery log",
        description:
          'Newest first: the event, the status, how many attempts, the last response code and error, and each attempt; `before` pages on.',
        docs: { ok: { 200: '`{ data: { deliveries: [...], has_more } }`' }, errors: ERRORS },
      },
      config: SESSION,
    },
    async (request) => {
      const page = await webhooks.listDeliveries(admin(request), request.params.id, request.query);
      return { data: { deliveries: page.deliveries.map(deliveryView), has_more: page.hasMore } };
    },
  );
  app.post(
    '/app/api/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        params: deliveryParams,
        tags,
        summary: 'Send a delivery again',
        description:
          'A new delivery of the same event and body, with its own attempts; the webhook must be enabled (409 otherwise).',
        docs: {
          ok: { 202: '`{ data: <delivery> }` (the new one, pending)' },
          errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND:webhook', 'NOT_FOUND:delivery', 'CONFLICT'],
        },
      },
      config: SESSION,
    },
    async (request, reply) => {
      const { id, deliveryId } = request.params;
      const replayed = await webhooks.replay(admin(request), id, deliveryId);
      return reply.code(202).send({ data: deliveryView(replayed) });
    },
  );
}
