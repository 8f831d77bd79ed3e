import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { surfaceErrorHandler } from '../../http/errors.js';
import { ownRoutes, type SurfaceDialect } from '../../http/surface.js';
import { renderTelephonyError } from './envelope.js';
import { registerTelephonySurface } from './routes.js';

const TELEPHONY_V1 = /^\/v1\/(voice|crm|owner|reminders|retention|widget|admin)(\/|$)/;
const TELEPHONY_ROOT = /^\/(telephony|twilio|healthz|metrics)(\/|$)/;

/** Spec C's dialect; it claims the unrouted paths of its `/v1` sub-trees and its root paths. */
export const telephonyDialect: SurfaceDialect = {
  id: 'telephony',
  claims: (path) => TELEPHONY_V1.test(path) || TELEPHONY_ROOT.test(path),
  render: renderTelephonyError,
};

/** Spec C in its own scope: every error its routes or their hooks throw answers in its envelope. */
export function telephonyPlugin(app: FastifyInstance, opts: { deps: Deps }, done: (err?: Error) => void): void {
  app.setErrorHandler(surfaceErrorHandler(renderTelephonyError));
  ownRoutes(app, 'telephony');
  registerTelephonySurface(app, opts.deps);
  done();
}
