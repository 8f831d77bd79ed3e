import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { registerAnalyticsRoutes } from './analytics.routes.js';
import { registerAppointmentRoutes } from './appointments.routes.js';
import { registerAuthRoutes } from './auth.routes.js';
import { renderAppError } from './envelope.js';
import { registerEventRoutes } from './events.routes.js';
import { registerKeyRoutes } from './keys.routes.js';
import { registerPageRoutes } from './pages.routes.js';
import { registerPlatformRoutes } from './platform.routes.js';
import { registerRequestRoutes } from './requests.routes.js';
import { registerProfileRoutes } from './profile.routes.js';
import type { AppDeps } from './services.js';
import { registerSessionHooks } from './session.js';
import { registerSettingsRoutes } from './settings.routes.js';
import { registerUserRoutes } from './users.routes.js';
import { registerWebhookRoutes } from './webhooks.routes.js';
import { registerWorkRoutes } from './work.routes.js';

/** The web app's API; it claims every unrouted path under `/app`. */
export const appDialect: SurfaceDialect = {
  id: 'app',
  claims: (path) => path === '/app' || path.startsWith('/app/'),
  render: renderAppError,
};

/** The web app's API in its own scope: cookies parsed first, then the session hooks, then the routes. */
export const appPlugin = surfacePlugin(appDialect, (app, opts: { deps: AppDeps }) => {
  void app.register(fastifyCookie);
  void app.register((scope: FastifyInstance, _options: unknown, done: (err?: Error) => void) => {
    registerSessionHooks(scope, opts.deps);
    registerAuthRoutes(scope, opts.deps);
    registerWorkRoutes(scope, opts.deps);
    registerRequestRoutes(scope, opts.deps);
    registerAnalyticsRoutes(scope, opts.deps);
    registerEventRoutes(scope, opts.deps);
    registerPlatformRoutes(scope, opts.deps);
    registerSettingsRoutes(scope, opts.deps);
    registerAppointmentRoutes(scope, opts.deps);
    registerProfileRoutes(scope, opts.deps);
    registerWebhookRoutes(scope, opts.deps);
    registerKeyRoutes(scope, opts.deps);
    registerUserRoutes(scope, opts.deps);
    registerPageRoutes(scope);
    done();
  });
});
