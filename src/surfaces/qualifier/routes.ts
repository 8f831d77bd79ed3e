import type { FastifyInstance } from 'fastify';
import type { QualifierDeps } from './services.js';
import { registerQualifierHealthRoutes } from './health.routes.js';
import { registerQualifyRoutes } from './qualify.routes.js';
import { registerWebhookRoutes } from './webhooks.routes.js';

/** Spec E, the lead qualifier, under `/api` (and the `/health` paths it shares with spec B). */
export function registerQualifierSurface(app: FastifyInstance, deps: QualifierDeps): void {
  registerQualifierHealthRoutes(app, deps);
  registerQualifyRoutes(app, deps);
  registerWebhookRoutes(app, deps);
}
