import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { surfaceErrorHandler } from '../../http/errors.js';
import { ownRoutes, type SurfaceDialect } from '../../http/surface.js';
import { renderLeadgenError } from './envelope.js';
import { registerLeadgenSurface } from './routes.js';

const LEADGEN_API = /^\/api\/(leads|campaigns|platform|ml|webhooks\/(twilio|exotel))(\/|$)/;

/** Spec B's dialect; it claims the unrouted paths of its `/api` sub-trees. */
export const leadgenDialect: SurfaceDialect = {
  id: 'leadgen',
  claims: (path) => LEADGEN_API.test(path),
  render: renderLeadgenError,
};

/** Spec B in its own scope: every error its routes or their hooks throw answers in its envelope. */
export function leadgenPlugin(app: FastifyInstance, opts: { deps: Deps }, done: (err?: Error) => void): void {
  app.setErrorHandler(surfaceErrorHandler(renderLeadgenError));
  ownRoutes(app, 'leadgen');
  registerLeadgenSurface(app, opts.deps);
  done();
}
