import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngestionDeps } from './services.js';
import { probeChecksView, systemHealthView } from './views.js';
import { checkedHealth } from '../../http/health.js';

const tags = ['ingestion: monitoring'];
const PUBLIC = { auth: 'public' } as const;
const QUEUE_TIMEOUT_MS = 2000;
// `metrics` in /v1/health summarise the last hour, like /v1/metrics' default timeframe.
const SUMMARY_SECONDS = 3600;

const probeStatus = z.enum(['healthy', 'unhealthy']);
const service = z.object({
  status: probeStatus,
  response_time_ms: z.number().nullable(),
  error: z.string().optional(),
  reason: z.string().optional(),
});

const healthResponse = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: z.string(),
  version: z.string(),
  environment: z.string(),
  services: z.object({
    database: service.extend({ dialect: z.string(), connections_active: z.number(), connections_idle: z.number() }),
    storage: service,
    redis: service.optional(),
  }),
  metrics: z.object({
    requests_per_minute: z.number(),
    error_rate: z.number(),
    average_processing_time_ms: z.number().nullable(),
  }),
});

const checkResult = z.object({
  name: z.string(),
  status: z.enum(['pass', 'warning', 'fail']),
  response_time_ms: z.number().nullable().optional(),
  error: z.string().optional(),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
});

const detailedResponse = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  timestamp: z.string(),
  checks: z.array(checkResult),
});

/**
 * Spec A's `/v1/health` and `/v1/health/detailed`, reporting only what this deployment has:
 * the database, the data directory, Redis when configured and the job queue. The vendors spec A
 * lists (speech API, Vertex AI, Secret Manager) are not platform dependencies here and are omitted.
 * Both answer 503 while a critical dependency (database, data directory, Redis) is down.
 */
export function registerIngestionHealthRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { health } = deps.services;

  app.get(
    '/v1/health',
    {
      schema: {
        tags,
        summary: 'System health (spec A)',
        description:
          'The database, the data directory and Redis (when configured), with the last hour of request figures; 503 while a critical one is down.',
        response: { 200: healthResponse, 503: healthResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return systemHealthView(r, deps.metrics.recent(SUMMARY_SECONDS), deps.database.dialect);
    },
  );

  app.get(
    '/v1/health/detailed',
    {
      schema: {
        tags,
        summary: 'Detailed health checks (spec A)',
        description:
          'Each check (database, storage, Redis, job queue) with its timing and details; 503 while a critical one fails.',
        response: { 200: detailedResponse, 503: detailedResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const [r, queue] = await Promise.all([checkedHealth(health, reply), queueCheck(deps)]);
      return { status: r.status, timestamp: r.timestamp, checks: [...probeChecksView(r), queue] };
    },
  );
}

async function queueCheck(deps: IngestionDeps): Promise<z.infer<typeof checkResult>> {
  const started = performance.now();
  try {
    const counts = await Promise.race([
      deps.queue.counts(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${QUEUE_TIMEOUT_MS} ms`)), QUEUE_TIMEOUT_MS).unref(),
      ),
    ]);
    return {
      name: 'job_queue',
      // Dead jobs need a person, but the queue itself works.
      status: counts.dead > 0 ? 'warning' : 'pass',
      response_time_ms: Math.round((performance.now() - started) * 100) / 100,
      details: { backend: deps.queue.backend, ...counts },
    };
  } catch (err) {
    return {
      name: 'job_queue',
      status: 'fail',
      response_time_ms: null,
      error: err instanceof Error ? err.message : String(err),
      details: { backend: deps.queue.backend },
    };
  }
}
