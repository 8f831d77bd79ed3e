import type { TelephonyDeps } from './services.js';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { renderTelephonyError } from './envelope.js';
import { registerTelephonySurface } from './routes.js';

const TELEPHONY_V1 = /^\/v1\/(voice|crm|owner|reminders|retention|widget|admin)(\/|$)/;
const TELEPHONY_ROOT = /^\/(telephony|twilio|healthz|metrics|widget)(\/|$)/;

/** Spec C's dialect; it claims the unrouted paths of its `/v1` sub-trees and its root paths. */
export const telephonyDialect: SurfaceDialect = {
  id: 'telephony',
  claims: (path) => TELEPHONY_V1.test(path) || TELEPHONY_ROOT.test(path),
  render: renderTelephonyError,
};

/** Spec C in its own scope, answering in its own envelope. */
export const telephonyPlugin = surfacePlugin(telephonyDialect, (app, opts: { deps: TelephonyDeps }) =>
  registerTelephonySurface(app, opts.deps),
);
