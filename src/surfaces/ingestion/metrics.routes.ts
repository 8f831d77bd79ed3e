import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngestionDeps } from './services.js';
import { TIMEFRAMES, TIMEFRAME_NAMES } from '../../http/metrics.js';
import { METRIC_GROUPS, systemMetricsView } from './views.js';

const metricsQuery = z.object({
  timeframe: z.enum(TIMEFRAME_NAMES).default('1h').describe('Window the figures cover'),
  metrics: z
    .union([z.string(), z.array(z.string())])
    .describe(
      'Groups to return (requests, performance, errors, resources), comma-separated or repeated; all when absent',
    )
    .optional()
    .transform((v) =>
      v === undefined
        ? [...METRIC_GROUPS]
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => s.split(','))
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(METRIC_GROUPS))),
});

const nullableMs = z.number().nullable();

const metricsResponse = z.object({
  success: z.literal(true),
  data: z.object({
    timeframe: z.enum(TIMEFRAME_NAMES),
    timestamp: z.string(),
    metrics: z.object({
      requests: z
        .object({ total: z.number(), successful: z.number(), failed: z.number(), success_rate: z.number().nullable() })
        .optional(),
      performance: z
        .object({
          avg_response_time_ms: nullableMs,
          p50_response_time_ms: nullableMs,
          p95_response_time_ms: nullableMs,
          p99_response_time_ms: nullableMs,
          p50_processing_time_ms: nullableMs,
          p95_processing_time_ms: nullableMs,
          p99_processing_time_ms: nullableMs,
        })
        .optional(),
      errors: z.object({ total: z.number(), by_type: z.record(z.string(), z.number()) }).optional(),
      resources: z.object({ cpu_usage_percent: z.number(), memory_usage_percent: z.number() }).optional(),
    }),
  }),
});

/**
 * Spec A's `/v1/metrics`, from what this process saw over the timeframe: HTTP requests (an error is
 * a status of 400 or more), response times, pipeline processing times (null until a run is
 * reported) and the process's CPU and memory. Instance counts are not known to one process and are omitted.
 */
export function registerIngestionMetricsRoutes(scope: FastifyInstance, deps: IngestionDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/v1/metrics',
    {
      schema: {
        tags: ['ingestion: monitoring'],
        summary: 'System metrics over a timeframe (spec A)',
        description:
          'What this process saw over the timeframe: HTTP requests and errors, response times, pipeline processing times, CPU and memory.',
        querystring: metricsQuery,
        response: { 200: metricsResponse },
      },
      config: { auth: 'public' },
    },
    (request) => {
      const { timeframe, metrics: groups } = request.query;
      const recent = deps.metrics.recent(TIMEFRAMES[timeframe]);
      return { success: true as const, data: systemMetricsView(timeframe, deps.clock.now(), recent, groups) };
    },
  );
}
