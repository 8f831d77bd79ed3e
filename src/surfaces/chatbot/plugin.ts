import type { ChatbotDeps } from './services.js';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { renderChatbotError } from './envelope.js';
import { registerChatbotSurface } from './routes.js';

/** Spec D's dialect; it claims the unrouted paths under `/api/v2`. */
export const chatbotDialect: SurfaceDialect = {
  id: 'chatbot',
  claims: (path) => path === '/api/v2' || path.startsWith('/api/v2/'),
  render: renderChatbotError,
};

/** Spec D in its own scope, answering in its own envelope. */
export const chatbotPlugin = surfacePlugin(chatbotDialect, (app, opts: { deps: ChatbotDeps }) =>
  registerChatbotSurface(app, opts.deps),
);
