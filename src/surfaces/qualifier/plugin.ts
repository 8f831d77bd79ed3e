import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { surfaceErrorHandler } from '../../http/errors.js';
import { ownRoutes, type SurfaceDialect } from '../../http/surface.js';
import { renderQualifierError } from './envelope.js';
import { registerQualifierSurface } from './routes.js';

/** Spec E's dialect; it claims the unrouted paths under `/api` the others leave and the `/health` paths it shares with spec B. */
export const qualifierDialect: SurfaceDialect = {
  id: 'qualifier',
  claims: (path) => path.startsWith('/api/') || path === '/health' || path.startsWith('/health/'),
  render: renderQualifierError,
};

/** Spec E in its own scope: every error its routes or their hooks throw answers in its envelope. */
export function qualifierPlugin(app: FastifyInstance, opts: { deps: Deps }, done: (err?: Error) => void): void {
  app.setErrorHandler(surfaceErrorHandler(renderQualifierError));
  ownRoutes(app, 'qualifier');
  registerQualifierSurface(app, opts.deps);
  done();
}
