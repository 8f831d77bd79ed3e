import type { FastifyInstance, FastifySchema } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { tenantOf } from '../../http/auth.js';
import { performanceResponse, trainingRunResponse, trainingStatusResponse } from './ml.schemas.js';
import { performanceView, trainingRunView, trainingStatusView } from './ml.views.js';
import type { LeadgenDeps } from './services.js';

const TENANT = { allow: ['tenant-key'] } as const;
const tags = ['ml'];

const statusSchema = {
  tags,
  summary: 'ML training status (spec B)',
  description:
    "The tenant's latest training run (queued, running, succeeded, insufficient_data or failed) with the outcomes it read, and the model scoring uses now. A run with too few outcomes says how many more it needs.",
  response: { 200: trainingStatusResponse },
} satisfies FastifySchema;

const triggerSchema = {
  tags,
  summary: 'Trigger ML training (spec B)',
  description:
    "Queues a run that trains the tenant's conversion model on its own outcomes (won or booked against lost or stale leads). Answers 202 with the run; while a run is queued or running, that run answers instead of a second.",
  response: { 202: trainingRunResponse },
} satisfies FastifySchema;

const performanceSchema = {
  tags,
  summary: 'ML model performance (spec B)',
  description:
    "The current model against the engine's rule score on the held-out split: AUC, precision and recall at the HOT threshold, Brier score and reliability bins, and whether scoring blends the model in. `model_available` is false before a run succeeded.",
  response: { 200: performanceResponse },
} satisfies FastifySchema;

/** Spec B's ML training: a per-tenant conversion model on the tenant's own outcomes. */
export function registerLeadgenMlRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { conversion } = deps.services;

  app.get('/api/ml/training/status', { schema: statusSchema, config: { auth: TENANT } }, async (request) =>
    trainingStatusView(await conversion.status(tenantOf(request))),
  );

  app.post('/api/ml/training/trigger', { schema: triggerSchema, config: { auth: TENANT } }, async (request, reply) => {
    const run = await conversion.trigger(tenantOf(request));
    return reply.code(202).send(trainingRunView(run));
  });

  app.get('/api/ml/performance', { schema: performanceSchema, config: { auth: TENANT } }, async (request) =>
    performanceView(await conversion.performance(tenantOf(request))),
  );
}
