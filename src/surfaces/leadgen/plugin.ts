import type { LeadgenDeps } from './services.js';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { renderLeadgenError } from './envelope.js';
import { registerLeadgenSurface } from './routes.js';

const LEADGEN_API = /^\/api\/(leads|campaigns|platform|ml|webhooks\/(twilio|exotel))(\/|$)/;

/** Spec B's dialect; it claims the unrouted paths of its `/api` sub-trees. */
export const leadgenDialect: SurfaceDialect = {
  id: 'leadgen',
  claims: (path) => LEADGEN_API.test(path),
  render: renderLeadgenError,
};

/** Spec B in its own scope, answering in its own envelope. */
export const leadgenPlugin = surfacePlugin(leadgenDialect, (app, opts: { deps: LeadgenDeps }) =>
  registerLeadgenSurface(app, opts.deps),
);
