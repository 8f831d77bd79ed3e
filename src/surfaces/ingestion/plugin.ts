import type { IngestionDeps } from './services.js';
import { surfacePlugin } from '../../http/surface-plugin.js';
import type { SurfaceDialect } from '../../http/surface.js';
import { renderIngestionError } from './envelope.js';
import { registerIngestionSurface } from './routes.js';

/** Spec A's dialect; it claims the unrouted paths under `/v1` (spec C's sub-trees there are asked first). */
export const ingestionDialect: SurfaceDialect = {
  id: 'ingestion',
  claims: (path) => path === '/v1' || path.startsWith('/v1/'),
  render: renderIngestionError,
};

/** Spec A in its own scope, answering in its own envelope. */
export const ingestionPlugin = surfacePlugin(ingestionDialect, (app, opts: { deps: IngestionDeps }) =>
  registerIngestionSurface(app, opts.deps),
);
