import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Spec C's liveness probe: `{"status":"ok"}` while the process runs; dependencies are for /health/ready. */
export function registerTelephonyHealthRoutes(scope: FastifyInstance): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness probe (spec C)',
        description: 'Answers `{"status":"ok"}` while the process runs; it checks no dependency.',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      config: { auth: 'public' },
    },
    () => ({ status: 'ok' as const }),
  );
}
