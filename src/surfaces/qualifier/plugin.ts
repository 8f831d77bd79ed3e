import type { QualifierDeps } from './services.js';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { renderQualifierError } from './envelope.js';
import { registerQualifierSurface } from './routes.js';

/** Spec E's dialect; it claims the unrouted paths under `/api` the others leave and the `/health` paths it shares with spec B. */
export const qualifierDialect: SurfaceDialect = {
  id: 'qualifier',
  claims: (path) => path.startsWith('/api/') || path === '/health' || path.startsWith('/health/'),
  render: renderQualifierError,
};

/** Spec E in its own scope, answering in its own envelope. */
export const qualifierPlugin = surfacePlugin(qualifierDialect, (app, opts: { deps: QualifierDeps }) =>
  registerQualifierSurface(app, opts.deps),
);
