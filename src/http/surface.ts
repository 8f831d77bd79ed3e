import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorRenderer } from './envelope.js';

/** The five API surfaces and the web app's API; each request belongs to exactly one, which decides its error dialect and rate limits. */
export type SurfaceId = 'ingestion' | 'leadgen' | 'telephony' | 'chatbot' | 'qualifier' | 'app';

/** What a surface hands the shared layer: its name, the paths it answers for when no route matched, and its envelope. */
export interface SurfaceDialect {
  id: SurfaceId;
  /** Whether an unrouted path (a 404 or 405) belongs to this surface. */
  claims(path: string): boolean;
  render: ErrorRenderer;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The surface whose plugin registered the route (set by `ownRoutes`). */
    surface?: SurfaceId;
  }
}

/** Marks every route registered in `scope` as the surface's own, so root-level hooks know whose it is. */
export function ownRoutes(scope: FastifyInstance, id: SurfaceId): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, surface: id };
  });
}

export type SurfaceResolver = (request: FastifyRequest) => SurfaceDialect;

/**
 * The surface of a request: its route's owner; for a path no surface routes (unknown paths,
 * wrong methods, the platform's root routes), the first dialect that claims it, else `otherwise`.
 */
export function surfaceResolver(dialects: readonly SurfaceDialect[], otherwise: SurfaceDialect): SurfaceResolver {
  const byId = new Map<SurfaceId, SurfaceDialect>([...dialects, otherwise].map((d) => [d.id, d]));
  return (request) => {
    const owner = request.routeOptions.config.surface;
    const owned = owner === undefined ? undefined : byId.get(owner);
    if (owned) return owned;
    const path = request.url.split('?', 1)[0] ?? '/';
    return dialects.find((d) => d.claims(path)) ?? otherwise;
  };
}
