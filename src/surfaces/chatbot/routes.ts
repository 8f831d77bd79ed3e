import type { FastifyInstance } from 'fastify';
import type { ChatbotDeps } from './services.js';
import { registerChatbotHealthRoutes } from './health.routes.js';
import { registerTenantRoutes } from './tenants.routes.js';
import { registerLiveRoutes } from './live.routes.js';
import { registerChatRoutes } from './chat.routes.js';
import { registerSessionRoutes } from './sessions.routes.js';
import { registerConversationRoutes } from './conversations.routes.js';
import { registerChatbotWebhookRoutes } from './webhooks.routes.js';

/** Spec D, the chatbot platform, under /api/v2. */
export function registerChatbotSurface(app: FastifyInstance, deps: ChatbotDeps): void {
  registerTenantRoutes(app, deps);
  registerChatbotHealthRoutes(app, deps);
  registerLiveRoutes(app, deps);
  registerChatRoutes(app, deps);
  registerSessionRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerChatbotWebhookRoutes(app, deps);
}
