import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { surfaceErrorHandler } from '../../http/errors.js';
import { ownRoutes, type SurfaceDialect } from '../../http/surface.js';
import { renderIngestionError } from './envelope.js';
import { registerIngestionSurface } from './routes.js';

/** Spec A's dialect; it claims the unrouted paths under `/v1` (spec C's sub-trees there are asked first). */
export const ingestionDialect: SurfaceDialect = {
  id: 'ingestion',
  claims: (path) => path === '/v1' || path.startsWith('/v1/'),
  render: renderIngestionError,
};

/** Spec A in its own scope: every error its routes or their hooks throw answers in its envelope. */
export function ingestionPlugin(app: FastifyInstance, opts: { deps: Deps }, done: (err?: Error) => void): void {
  app.setErrorHandler(surfaceErrorHandler(renderIngestionError));
  ownRoutes(app, 'ingestion');
  registerIngestionSurface(app, opts.deps);
  done();
}
