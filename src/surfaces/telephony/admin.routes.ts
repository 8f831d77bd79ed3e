import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tenant } from '../../domain/tenants/index.js';
import { actorOf } from '../../http/auth.js';
import {
  ADMIN_AUTH,
  businessParams,
  businessView,
  createBusinessBody,
  createdBusinessView,
  demoTenantBody,
  demoTenantView,
  listBusinessesQuery,
  rotatedKeyView,
  rotatedWidgetTokenView,
  updateBusinessBody,
  usageQuery,
  usageRowView,
} from './admin.schemas.js';
import { businessViewOf, createdBusinessViewOf, usageCsv, usageRowOf } from './admin.views.js';
import { seedDemoBusiness } from './admin-demo.js';
import { registerAdminTwilioRoutes } from './admin-twilio.routes.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';

const tags = ['telephony: admin'];

/** Spec C's admin API: businesses (tenants), their keys, demo tenants and usage, for the platform admin key only. */
export function registerAdminRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  registerBusinessRoutes(scope, deps);
  registerRotationRoutes(scope, deps);
  registerDemoRoutes(scope, deps);
  registerUsageRoutes(scope, deps);
  registerAdminTwilioRoutes(scope, deps);
}

function registerBusinessRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants } = deps.services;

  app.post(
    '/v1/admin/businesses',
    {
      schema: {
        tags,
        summary: 'Create a business',
        description: 'Creates a tenant and returns its API key, widget token and owner token (shown this once).',
        body: createBusinessBody,
        response: { 201: createdBusinessView, ...errorResponses(401, 403, 409, 413, 415, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request, reply) => {
      const { business_id, ...rest } = request.body;
      const created = await tenants.create(actorOf(request), {
        ...rest,
        ...(business_id ? { tenant_id: business_id } : {}),
      });
      return reply.code(201).send(createdBusinessViewOf(created));
    },
  );

  app.get(
    '/v1/admin/businesses',
    {
      schema: {
        tags,
        summary: 'List businesses',
        description: 'Oldest first, `limit` at a time from `offset`; the `X-Total-Count` header holds the total.',
        querystring: listBusinessesQuery,
        response: { 200: z.array(businessView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request, reply) => {
      const { tenants: list, total } = await tenants.list(request.query);
      void reply.header('x-total-count', String(total));
      return list.map(businessViewOf);
    },
  );

  app.patch(
    '/v1/admin/businesses/:business_id',
    {
      schema: {
        tags,
        summary: 'Change a business',
        description: 'Sets the name, plan, status (`suspended` refuses its credentials) or timezone the body names.',
        params: businessParams,
        body: updateBusinessBody,
        response: { 200: businessView, ...errorResponses(401, 403, 404, 413, 415, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request) => {
      const { tenant } = await tenants.update(actorOf(request), request.params.business_id, request.body);
      return businessViewOf(tenant);
    },
  );
}

function registerRotationRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, credentials } = deps.services;
  const schemaOf = (summary: string, response: typeof rotatedKeyView | typeof rotatedWidgetTokenView) => ({
    tags,
    summary,
    description: 'Issues a new value, shown this once; the old one is refused from this moment.',
    params: businessParams,
    response: { 200: response, ...errorResponses(401, 403, 404, 422) },
  });

  app.post(
    '/v1/admin/businesses/:business_id/rotate-key',
    { schema: schemaOf("Rotate a business's API key", rotatedKeyView), config: { auth: ADMIN_AUTH } },
    async (request) => {
      const tenant = await tenants.get(request.params.business_id);
      const rotated = await credentials.rotate(tenant.id, 'api_key');
      return { business_id: tenant.id, api_key: rotated.value };
    },
  );

  app.post(
    '/v1/admin/businesses/:business_id/rotate-widget-token',
    { schema: schemaOf("Rotate a business's widget token", rotatedWidgetTokenView), config: { auth: ADMIN_AUTH } },
    async (request) => {
      const tenant = await tenants.get(request.params.business_id);
      const rotated = await credentials.rotate(tenant.id, 'widget_token');
      return { business_id: tenant.id, widget_token: rotated.value };
    },
  );
}

function registerDemoRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/admin/demo-tenants',
    {
      schema: {
        tags,
        summary: 'Create a demo business',
        description:
          'Creates a business on the free plan with a few customers and appointments (one an emergency) to try the CRM with.',
        body: demoTenantBody,
        response: { 201: demoTenantView, ...errorResponses(401, 403, 413, 415, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request, reply) => {
      const seeded = await seedDemoBusiness(deps.services, actorOf(request), request.body.name, deps.clock.now());
      return reply.code(201).send({ ...createdBusinessViewOf(seeded.created), ...seeded.counts });
    },
  );
}

/** Every tenant, a page at a time (the admin's reports cover them all). */
async function everyTenant(tenants: TelephonyDeps['services']['tenants']): Promise<Tenant[]> {
  const out: Tenant[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await tenants.list({ limit: 200, offset });
    out.push(...page.tenants);
    if (page.tenants.length < 200) return out;
  }
}

function registerUsageRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, usage, appointments } = deps.services;
  const rows = async (period: string | undefined) => {
    const month = period ?? deps.clock.now().toISOString().slice(0, 7);
    await usage.flush();
    const all = await everyTenant(tenants);
    return Promise.all(
      all.map(async (t) => usageRowOf(t, month, await usage.get(t.id, month), await appointments.figures(t.id))),
    );
  };

  app.get(
    '/v1/admin/businesses/usage',
    {
      schema: {
        tags,
        summary: 'Usage per business',
        description:
          "Each business's API calls, SMS messages and conversations in the month (`period`, this month by default), and its appointments, emergencies and service mix.",
        querystring: usageQuery,
        response: { 200: z.array(usageRowView), ...errorResponses(401, 403, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request) => rows(request.query.period),
  );

  app.get(
    '/v1/admin/businesses/usage.csv',
    {
      schema: {
        tags,
        summary: 'Usage per business, as CSV',
        description:
          'The usage report as CSV, one business a line; the service mix is `service:count` pairs joined by `;`.',
        querystring: usageQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV, header line first'), ...errorResponses(401, 403, 422) },
      },
      config: { auth: ADMIN_AUTH },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="usage.csv"')
        .send(usageCsv(await rows(request.query.period))),
  );
}
