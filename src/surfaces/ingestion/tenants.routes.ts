import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngestionDeps } from './services.js';
import {
  ANALYTICS_METRICS,
  ANALYTICS_PERIODS,
  MANAGEMENT,
  ok,
  tenantActor,
  tenantAnalyticsView,
  tenantInfoView,
  tenantParams,
  type AnalyticsPeriod,
} from './views.js';

const tags = ['ingestion: tenants'];

const configBody = z
  .record(z.string(), z.unknown())
  .refine((b) => Object.keys(b).length > 0, 'must contain at least one configuration section')
  .describe('Sections of the tenant configuration to deep-merge (crm_config, ai_config, notification_config, …)');

const analyticsQuery = z.object({
  period: z.enum(Object.keys(ANALYTICS_PERIODS) as [AnalyticsPeriod, ...AnalyticsPeriod[]]).default('30d'),
  metrics: z
    .union([z.string(), z.array(z.string())])
    .describe('Sections to include (volume, quality, performance, costs), comma-separated or repeated; all when absent')
    .optional()
    .transform((v) =>
      v === undefined
        ? [...ANALYTICS_METRICS]
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => s.split(','))
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(ANALYTICS_METRICS))),
});

const tenantSchema = {
  params: tenantParams,
  tags,
  summary: 'Get tenant information (spec A)',
  description: "The tenant's plan, status, masked configuration and this month's usage.",
  docs: { ok: { 200: '`{ success, data: <tenant>, request_id }`' }, errors: ['NOT_FOUND:tenant'] },
} satisfies FastifySchema;

const configSchema = {
  params: tenantParams,
  body: configBody,
  tags,
  summary: 'Update tenant configuration (spec A): deep-merged, answered masked',
  description:
    'Deep-merges the given sections into the tenant configuration and answers the whole configuration with secrets masked, and the keys that changed.',
  docs: {
    example: { ai_config: { qualification_threshold: 70 }, notification_config: { email: 'sales@example.com' } },
    ok: { 200: '`{ success, data: { tenant_id, config, changes_applied, updated_at }, request_id }`' },
    errors: ['NOT_FOUND:tenant'],
  },
} satisfies FastifySchema;

const analyticsSchema = {
  params: tenantParams,
  querystring: analyticsQuery,
  tags,
  summary: 'Tenant analytics (spec A)',
  description:
    'Volume, quality, performance and cost figures of the tenant over a period; `metrics` picks the sections.',
  docs: { ok: { 200: '`{ success, data: { period, … }, request_id }`' }, errors: ['NOT_FOUND:tenant'] },
} satisfies FastifySchema;

/** Spec A's Tenant Administration: tenant information with usage, configuration, analytics. */
export function registerIngestionTenantRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { tenants, credentials, ingestionRequests, ingestionAnalytics } = deps.services;

  const info = async (tenantId: string) => {
    const tenant = await tenants.get(tenantId);
    const [usage, creds] = await Promise.all([ingestionRequests.usageStats(tenantId), credentials.list(tenantId)]);
    return tenantInfoView(
      tenant,
      usage,
      creds.some((c) => c.kind === 'webhook_secret'),
    );
  };

  app.get(
    '/v1/tenants/:tenant_id',
    {
      schema: tenantSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      tenantActor(request, request.params.tenant_id, 'read');
      return ok(request, await info(request.params.tenant_id));
    },
  );

  app.put(
    '/v1/tenants/:tenant_id/config',
    {
      schema: configSchema,
      config: { auth: MANAGEMENT },
    },
    async (request) => {
      const tenantId = request.params.tenant_id;
      const actor = tenantActor(request, tenantId, 'write');
      const change = await tenants.updateConfig(actor, tenantId, request.body);
      const tenant = await tenants.get(tenantId);
      return ok(request, {
        tenant_id: tenant.id,
        config: tenant.config,
        changes_applied: change.changesApplied,
        updated_at: change.updatedAt,
      });
    },
  );

  app.get(
    '/v1/tenants/:tenant_id/analytics',
    {
      schema: analyticsSchema,
      config: { auth: MANAGEMENT, rateClass: 'analytics' },
    },
    async (request) => {
      tenantActor(request, request.params.tenant_id, 'read');
      const { period, metrics } = request.query;
      const facts = await ingestionAnalytics.requests(request.params.tenant_id, ANALYTICS_PERIODS[period], {
        costs: metrics.includes('costs'),
      });
      return ok(request, tenantAnalyticsView(period, facts, metrics));
    },
  );
}
