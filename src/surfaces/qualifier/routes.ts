import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { registerQualifierHealthRoutes } from './health.routes.js';
import { registerQualifyRoutes } from './qualify.routes.js';
import { registerWebhookRoutes } from './webhooks.routes.js';

/** Spec E, the lead qualifier, under `/api` (and the `/health` paths it shares with spec B). */
export function registerQualifierSurface(app: FastifyInstance, deps: Deps): void {
  registerQualifierHealthRoutes(app, deps);
  registerQualifyRoutes(app, deps);
  registerWebhookRoutes(app, deps);
}
