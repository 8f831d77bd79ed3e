import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TelephonyDeps } from './services.js';
import { BUSINESS_MAPS, COUNTER_NAMES, type BusinessMap, type CounterName } from '../../domain/metrics/index.js';

const tags = ['metrics'];
const PUBLIC = { auth: 'public' } as const;

const routeFigures = z.object({
  requests: z.number(),
  errors: z.number(),
  avg_latency_ms: z.number().nullable(),
  p95_latency_ms: z.number().nullable(),
});

/** Spec C's JSON counters; every named counter is present (0 until something counts it). */
const totalsResponse = z
  .object({
    total_requests: z.number(),
    total_errors: z.number(),
    route_metrics: z.record(z.string(), routeFigures),
  })
  .extend(Object.fromEntries(COUNTER_NAMES.map((name) => [name, z.number()])) as Record<CounterName, z.ZodNumber>)
  .extend(
    Object.fromEntries(
      BUSINESS_MAPS.map((name) => [name, z.record(z.string(), z.record(z.string(), z.number()))]),
    ) as Record<BusinessMap, z.ZodRecord<z.ZodString, z.ZodRecord<z.ZodString, z.ZodNumber>>>,
  );

/** Spec C's `/metrics` (JSON counters since the process started) and `/metrics/prometheus` (text format). Unauthenticated, as C says. */
export function registerTelephonyMetricsRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { metrics } = deps;

  app.get(
    '/metrics',
    {
      schema: {
        tags,
        summary: 'JSON counters and per-route figures (spec C)',
        description: 'Request counts, errors and response times since the process started, in total and per route.',
        response: { 200: totalsResponse },
      },
      config: PUBLIC,
    },
    () => metrics.totals(),
  );

  app.get(
    '/metrics/prometheus',
    {
      schema: {
        tags,
        summary: 'Prometheus text exposition (spec C)',
        description: "The process's metrics in the Prometheus text format, for a scraper.",
        produces: ['text/plain'],
        docs: { ok: { 200: 'Prometheus text exposition format 0.0.4' } },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const text = await metrics.prometheus();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
