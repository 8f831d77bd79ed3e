import type { FastifyInstance } from 'fastify';
import type { LeadgenDeps } from './services.js';
import { registerCallWebhookRoutes } from './call-webhooks.routes.js';
import { registerExotelWebhookRoutes } from './exotel-webhooks.routes.js';
import { registerCampaignRoutes } from './campaigns.routes.js';
import { registerLeadgenHealthRoutes } from './health.routes.js';
import { registerLeadgenMlRoutes } from './ml.routes.js';
import { registerLeadgenLeadRoutes } from './leads.routes.js';
import { registerLeadgenPlatformRoutes } from './platform.routes.js';

/** Spec B, leads, campaigns, platform and ML, under `/api` (and B's `/health/live`, `/health/ready`). */
export function registerLeadgenSurface(app: FastifyInstance, deps: LeadgenDeps): void {
  registerLeadgenHealthRoutes(app, deps);
  registerLeadgenMlRoutes(app, deps);
  registerLeadgenLeadRoutes(app, deps);
  registerLeadgenPlatformRoutes(app, deps);
  registerCampaignRoutes(app, deps);
  registerCallWebhookRoutes(app, deps);
  registerExotelWebhookRoutes(app, deps);
}
