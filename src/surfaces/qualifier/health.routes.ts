import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QualifierDeps } from './services.js';
import type { HealthReport, ProbeResult } from '../../domain/health/index.js';
import { checkedHealth } from '../../http/health.js';

const tags = ['health'];
const PUBLIC = { auth: 'public' } as const;

const healthStatus = z.enum(['healthy', 'degraded', 'unhealthy']);

/** `GET /health` of specs B and E, one answer with the union of their fields. */
const healthResponse = z.object({
  status: healthStatus,
  timestamp: z.string(),
  version: z.string(),
  environment: z.string(),
  uptime_seconds: z.number(),
});

const dependency = z.object({
  status: z.enum(['healthy', 'unhealthy', 'not_configured']),
  response_time_ms: z.number().nullable().optional(),
  error: z.string().optional(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const detailedResponse = healthResponse.extend({
  ready: z.boolean(),
  dependencies: z.object({ database: dependency, redis: dependency, storage: dependency, openai: dependency }),
});

/** What both paths answer first: the overall status and the process's facts. */
function healthView(r: HealthReport): z.infer<typeof healthResponse> {
  return {
    status: r.status,
    timestamp: r.timestamp,
    version: r.version,
    environment: r.environment,
    uptime_seconds: r.uptimeSeconds,
  };
}

function dependencyView(probe: ProbeResult | undefined): z.infer<typeof dependency> {
  if (!probe) return { status: 'not_configured' };
  return {
    status: probe.status,
    response_time_ms: probe.responseTimeMs,
    ...(probe.error ? { error: probe.error } : {}),
    ...(probe.reason ? { reason: probe.reason } : {}),
    details: probe.details,
  };
}

/**
 * The root `/health` paths shared by specs B and E. `/health` answers 200 whenever the process
 * runs (spec E) and says how its dependencies are; `/health/detailed` (spec E) answers 503 while
 * a critical dependency is down. B's `/health/live` and `/health/ready` are in the leadgen surface.
 */
export function registerQualifierHealthRoutes(scope: FastifyInstance, deps: QualifierDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { health } = deps.services;

  app.get(
    '/health',
    {
      schema: {
        tags,
        summary: 'Service health (specs B and E)',
        description: 'The overall status with version, environment and uptime; always 200 while the process answers.',
        response: { 200: healthResponse },
      },
      config: PUBLIC,
    },
    async () => healthView(await health.check()),
  );

  app.get(
    '/health/detailed',
    {
      schema: {
        tags,
        summary: 'Dependency statuses: database, Redis, storage, OpenAI (spec E)',
        description: 'Each dependency with its status and latency; 503 while a critical one is down.',
        response: { 200: detailedResponse, 503: detailedResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      const probe = (name: string) => r.probes.find((p) => p.name === name);
      return {
        ...healthView(r),
        ready: r.ready,
        dependencies: {
          database: dependencyView(probe('database')),
          redis: dependencyView(probe('redis')),
          storage: dependencyView(probe('storage')),
          // Spec E lists OpenAI; here LLM vendors are chosen per tenant and the local engine scores when none answers,
          // so no platform-wide vendor exists to probe and none can make the service unready.
          openai: { status: 'not_configured' as const, details: { scope: 'per_tenant', fallback: 'local_engine' } },
        },
      };
    },
  );
}
