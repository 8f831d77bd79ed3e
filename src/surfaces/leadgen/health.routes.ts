import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LeadgenDeps } from './services.js';
import { failingProbes } from '../../domain/health/index.js';
import { checkedHealth } from '../../http/health.js';

const tags = ['health'];
const PUBLIC = { auth: 'public' } as const;

const check = z.enum(['ok', 'failed', 'not_configured']);

const liveResponse = z.object({ status: z.literal('alive'), timestamp: z.string(), uptime_seconds: z.number() });
const readyResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  timestamp: z.string(),
  checks: z.object({ database: check, redis: check }),
  /** While not ready: each failing dependency and why. */
  reasons: z.record(z.string(), z.string()).optional(),
});

/** Spec B's probes: liveness never touches a dependency; readiness verifies the database and Redis. */
export function registerLeadgenHealthRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { health } = deps.services;

  app.get(
    '/health/live',
    {
      schema: {
        tags,
        summary: 'Liveness: 200 while the process runs (spec B)',
        description: 'Touches no dependency: a 200 only says the process answers, with its uptime.',
        response: { 200: liveResponse },
      },
      config: PUBLIC,
    },
    () => ({
      status: 'alive' as const,
      timestamp: deps.clock.now().toISOString(),
      uptime_seconds: health.processInfo().uptimeSeconds,
    }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags,
        summary: 'Readiness: 503 while the database or Redis is unreachable (spec B)',
        description:
          'Checks the database and Redis (when configured); a load balancer should send traffic only while it answers 200. A 503 names the failing checks in `reasons`.',
        response: { 200: readyResponse, 503: readyResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      const state = (name: string) => {
        const probe = r.probes.find((p) => p.name === name);
        return probe
          ? probe.status === 'healthy'
            ? ('ok' as const)
            : ('failed' as const)
          : ('not_configured' as const);
      };
      return {
        status: r.ready ? ('ready' as const) : ('not_ready' as const),
        timestamp: r.timestamp,
        checks: { database: state('database'), redis: state('redis') },
        ...(r.ready ? {} : { reasons: failingProbes(r) }),
      };
    },
  );
}
