import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LeadgenDeps } from './services.js';
import { checkedHealth, livenessResponse, livenessView, readinessResponse, readinessView } from '../../http/health.js';

const tags = ['health'];
const PUBLIC = { auth: 'public' } as const;

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
        response: { 200: livenessResponse },
      },
      config: PUBLIC,
    },
    () => livenessView(deps.clock.now().toISOString(), health.processInfo().uptimeSeconds),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags,
        summary: 'Readiness: 503 while the database or Redis is unreachable (spec B)',
        description:
          'Checks the database and Redis (when configured); a load balancer should send traffic only while it answers 200. A 503 names the failing checks in `reasons`.',
        response: { 200: readinessResponse, 503: readinessResponse },
      },
      config: PUBLIC,
    },
    async (_request, reply) => {
      const r = await checkedHealth(health, reply);
      return readinessView(r);
    },
  );
}
