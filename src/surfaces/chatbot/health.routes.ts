import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChatbotDeps } from './services.js';
import { TIMEFRAMES, TIMEFRAME_NAMES } from '../../http/metrics.js';
import { basicHealthView, dependenciesView, detailedHealthView, performanceView } from './views.js';
import { checkedHealth, livenessResponse, livenessView, readinessResponse, readinessView } from '../../http/health.js';

const tags = ['chatbot: health'];
const PUBLIC = { auth: 'public' } as const;
// The document marks these "Internal Only": they show the deployment's internals, so only the operator sees them.
const INTERNAL = { auth: { allow: ['admin'] } } as const;
const overall = z.enum(['healthy', 'degraded', 'unhealthy']);
const probeStatus = z.enum(['healthy', 'unhealthy']);

const basicResponse = z.object({
  status: overall,
  timestamp: z.string(),
  version: z.string(),
  uptime_seconds: z.number(),
  environment: z.string(),
});

const store = z.object({
  status: probeStatus,
  response_time_ms: z.number().nullable(),
  error: z.string().optional(),
  reason: z.string().optional(),
  active_connections: z.number().optional(),
  idle_connections: z.number().optional(),
});

const detailedResponse = z.object({
  status: overall,
  timestamp: z.string(),
  services: z.object({
    chat_service: z.object({
      status: z.literal('healthy'),
      cpu_usage_percent: z.number(),
      memory_usage_mb: z.number(),
      heap_used_mb: z.number(),
      uptime_seconds: z.number(),
    }),
    storage: store,
  }),
  databases: z.record(z.string(), store),
});

const dependenciesResponse = z.object({
  status: z.enum(['healthy', 'partial_degradation', 'unhealthy']),
  timestamp: z.string(),
  dependencies: z.record(
    z.string(),
    z.object({
      status: probeStatus,
      last_check: z.string(),
      response_time_ms: z.number().nullable(),
      error: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
  overall_health_score: z.number(),
});

const metricsQuery = z.object({ timeframe: z.enum(TIMEFRAME_NAMES).default('1h') });
const metricsResponse = z.object({
  status: z.literal('success'),
  timestamp: z.string(),
  timeframe: z.enum(TIMEFRAME_NAMES),
  metrics: z.object({
    requests_per_second: z.number(),
    average_response_time_ms: z.number().nullable(),
    p95_response_time_ms: z.number().nullable(),
    p99_response_time_ms: z.number().nullable(),
    error_rate_percent: z.number(),
    active_conversations: z.number(),
    messages_processed: z.number(),
    cpu_usage_average: z.number(),
    memory_usage_average: z.number(),
    disk_usage_percent: z.number().nullable(),
  }),
});

/** Used share of the file system holding the data directory; null when it cannot be read. */
async function diskUsagePercent(dir: string): Promise<number | null> {
  try {
    const s = await fs.promises.statfs(dir);
    return s.blocks > 0 ? Math.round(((s.blocks - s.bfree) / s.blocks) * 1000) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * Spec D's six health routes under /api/v2. The dependencies named are the ones this deployment
 * has (its database, Redis when configured, the data directory); LLM and channel vendors are
 * per tenant and not probed here. The "Internal Only" routes (detailed, dependencies, metrics)
 * take the admin key; the others answer anyone, as load balancers and Kubernetes call them.
 */
export function registerChatbotHealthRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  registerStatusRoutes(scope, deps);
  registerProbeRoutes(scope, deps);
}

/** Health, detailed status and dependencies: 503 while a critical dependency is down. */
function registerStatusRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { health } = deps.services;

  app.get(
    '/api/v2/health',
    {
      schema: {
        tags,
        summary: 'Basic health check',
        description: "The overall status of spec D's service; 503 while a critical dependency is down.",
        response: { 200: basicResponse, 503: basicResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return basicHealthView(r);
    },
  );

  app.get(
    '/api/v2/health/detailed',
    {
      schema: {
        tags,
        summary: 'Detailed system status',
        description:
          "Every component with its status and latency, and the process's resources; 503 while a critical one is down.",
        response: { 200: detailedResponse, 503: detailedResponse },
      },
      config: INTERNAL,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return detailedHealthView(r, {
        process: health.processInfo(),
        cpuPercent: deps.metrics.recent(60).cpu_percent,
        dialect: deps.database.dialect,
      });
    },
  );

  app.get(
    '/api/v2/health/dependencies',
    {
      schema: {
        tags,
        summary: 'Dependency status',
        description:
          'Each external dependency (database, Redis, storage, AI providers) with its status; 503 while a critical one is down.',
        response: { 200: dependenciesResponse, 503: dependenciesResponse },
      },
      config: INTERNAL,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return dependenciesView(r);
    },
  );
}

/** Performance metrics and the Kubernetes probes. */
function registerProbeRoutes(scope: FastifyInstance, deps: ChatbotDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { health } = deps.services;

  app.get(
    '/api/v2/health/metrics',
    {
      schema: {
        tags,
        summary: 'Performance metrics over a timeframe',
        description:
          'Request rates, error rates and latency percentiles this process saw over the timeframe, and the chat load of the whole platform in it: open conversations with a message in the timeframe, customer messages received.',
        querystring: metricsQuery,
        response: { 200: metricsResponse },
      },
      config: INTERNAL,
    },
    async (request) => {
      const { timeframe } = request.query;
      const seconds = TIMEFRAMES[timeframe];
      const [activity, disk] = await Promise.all([
        deps.services.platformActivity.over(seconds),
        diskUsagePercent(deps.config.dataDir),
      ]);
      return performanceView(deps.metrics.recent(seconds), activity, timeframe, deps.clock.now().toISOString(), disk);
    },
  );

  app.get(
    '/api/v2/health/readiness',
    {
      schema: {
        tags,
        summary: 'Kubernetes readiness probe',
        description: '200 once the database (and Redis, when configured) answer; 503 otherwise, so no traffic is sent.',
        response: { 200: readinessResponse, 503: readinessResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return readinessView(r);
    },
  );

  app.get(
    '/api/v2/health/liveness',
    {
      schema: {
        tags,
        summary: 'Kubernetes liveness probe',
        description: 'Touches no dependency: 200 while the process answers.',
        response: { 200: livenessResponse },
      },
      config: PUBLIC,
    },
    () => livenessView(deps.clock.now().toISOString(), health.processInfo().uptimeSeconds),
  );
}
