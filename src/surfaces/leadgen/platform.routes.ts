import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.js';
import {
  automationResponse,
  createdTenantResponse,
  createTenantBody,
  platformStatsResponse,
  tenantParams,
  tenantResponse,
  upgradeBody,
} from './schemas.js';
import type { LeadgenDeps } from './services.js';
import { automationView, createdTenantView, platformStatsView, tenantView } from './views.js';

/** The platform admin key only (X-API-Key or X-Admin-API-Key carrying it); a tenant's key is 403. */
const ADMIN = { allow: ['admin'] } as const;
const tags = ['leadgen: platform'];

const listTenantsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const statsSchema = {
  tags,
  summary: 'Platform statistics (spec B)',
  description:
    'Counted from the stored rows: tenants (all, `active`, `trial`), calls taken (tracked calls and voice sessions), leads from every channel (test-key rows excluded), and whether automation runs.',
  response: { 200: platformStatsResponse },
} satisfies FastifySchema;

const switchSchema = (running: boolean) =>
  ({
    tags,
    summary: running ? 'Start the platform automation (spec B)' : 'Stop the platform automation (spec B)',
    description: running
      ? 'Lets campaign schedulers call again. Persisted: every process and every restart sees it. Idempotent.'
      : 'Campaign schedulers place no new calls until it is started again. Persisted and idempotent.',
    response: { 200: automationResponse },
  }) satisfies FastifySchema;

const listTenantsSchema = {
  tags,
  summary: 'List tenants (spec B)',
  description: 'Every tenant of the installation (the same tenants every surface serves), oldest first.',
  querystring: listTenantsQuery,
  response: { 200: z.array(tenantResponse) },
} satisfies FastifySchema;

const createTenantSchema = {
  tags,
  summary: 'Create a tenant (spec B)',
  description:
    'Creates a tenant on the `free` tier unless `tier` names another. The answer carries its API key this once; only its hash is stored.',
  body: createTenantBody,
  response: { 201: createdTenantResponse },
  docs: {
    example: {
      company_name: 'XYZ Solar',
      contact_name: 'Amit Kumar',
      contact_phone: '+919876543210',
      contact_email: 'amit@xyzsolar.com',
      industry: 'solar',
      target_niches: ['residential_solar', 'commercial_solar'],
      target_cities: ['Mumbai', 'Delhi', 'Bangalore'],
    },
  },
} satisfies FastifySchema;

const upgradeSchema = {
  tags,
  summary: 'Change a tenant’s subscription tier (spec B)',
  description:
    'Sets the tier; its rate limits and monthly quotas apply from the tenant’s next request on this process (within 10 seconds on the others).',
  params: tenantParams,
  body: upgradeBody,
  response: { 200: tenantResponse },
  docs: { example: { tier: 'growth' }, errors: ['NOT_FOUND:tenant'] },
} satisfies FastifySchema;

/** Spec B's `/api/platform/*`: installation statistics, the automation switch and tenants, for the platform admin. */
export function registerLeadgenPlatformRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { platform, tenants } = deps.services;

  app.get('/api/platform/stats', { schema: statsSchema, config: { auth: ADMIN } }, async () =>
    platformStatsView(await platform.stats()),
  );
  app.post('/api/platform/start', { schema: switchSchema(true), config: { auth: ADMIN } }, async () =>
    automationView(await platform.automation.start()),
  );
  app.post('/api/platform/stop', { schema: switchSchema(false), config: { auth: ADMIN } }, async () =>
    automationView(await platform.automation.stop()),
  );

  app.get('/api/platform/tenants', { schema: listTenantsSchema, config: { auth: ADMIN } }, async (request) => {
    const { tenants: list } = await tenants.list(request.query);
    return list.map(tenantView);
  });

  app.post('/api/platform/tenants', { schema: createTenantSchema, config: { auth: ADMIN } }, async (request, reply) => {
    const { company_name, tier, ...profile } = request.body;
    const created = await tenants.create(actorOf(request), {
      name: company_name,
      plan: tier,
      configuration: { leadgen: profile },
    });
    return reply.code(201).send(createdTenantView(created));
  });

  app.post(
    '/api/platform/tenants/:tenant_id/upgrade',
    { schema: upgradeSchema, config: { auth: ADMIN } },
    async (request) => {
      const { tenant } = await tenants.update(actorOf(request), request.params.tenant_id, { plan: request.body.tier });
      request.server.rateLimiter.forget(tenant.id);
      return tenantView(tenant);
    },
  );
}
