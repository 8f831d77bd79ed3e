import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { surfaceErrorHandler } from '../../http/errors.js';
import { ownRoutes, type SurfaceDialect } from '../../http/surface.js';
import { renderChatbotError } from './envelope.js';
import { registerChatbotSurface } from './routes.js';

/** Spec D's dialect; it claims the unrouted paths under `/api/v2`. */
export const chatbotDialect: SurfaceDialect = {
  id: 'chatbot',
  claims: (path) => path === '/api/v2' || path.startsWith('/api/v2/'),
  render: renderChatbotError,
};

/** Spec D in its own scope: every error its routes or their hooks throw answers in its envelope. */
export function chatbotPlugin(app: FastifyInstance, opts: { deps: Deps }, done: (err?: Error) => void): void {
  app.setErrorHandler(surfaceErrorHandler(renderChatbotError));
  ownRoutes(app, 'chatbot');
  registerChatbotSurface(app, opts.deps);
  done();
}
