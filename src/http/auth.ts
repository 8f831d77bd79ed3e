import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, DataMode } from '../domain/actor.js';
import type { Principal, PrincipalKind, TokensService } from '../domain/auth/index.js';
import { AppError, forbidden, notFound } from '../domain/errors.js';
import type { CredentialsService, TenantsService } from '../domain/tenants/index.js';
import type { UsageService } from '../domain/usage/index.js';
import { safeEqual } from '../lib/crypto.js';

/**
 * Who may call a route. `public` routes skip authentication entirely; `anonymous` ones also let a
 * request with no credential through, its principal null, for the route to vouch for it otherwise.
 */
export type AuthPolicy = 'public' | { allow: readonly PrincipalKind[]; anonymous?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthPolicy;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Presented {
  header: string;
  value: string;
  /** The kinds this header may carry. */
  kinds: PrincipalKind[];
}

function presented(request: FastifyRequest): Presented[] {
  const h = request.headers;
  const out: Presented[] = [];
  const one = (v: string | string[] | undefined): string | undefined =>
    (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  const adminKey = one(h['x-admin-api-key']);
  if (adminKey) out.push({ header: 'x-admin-api-key', value: adminKey, kinds: ['admin'] });
  const auth = one(h.authorization);
  if (auth) {
    const [scheme = '', ...rest] = auth.split(' ');
    const value = rest.join(' ').trim();
    if (/^bearer$/i.test(scheme) && value)
      out.push({ header: 'authorization', value, kinds: ['admin', 'tenant-key', 'user', 'widget', 'owner'] });
    else if (/^apikey$/i.test(scheme) && value)
      out.push({ header: 'authorization', value, kinds: ['admin', 'tenant-key'] });
    else out.push({ header: 'authorization', value: '', kinds: [] });
  }
  const apiKey = one(h['x-api-key']);
  if (apiKey) out.push({ header: 'x-api-key', value: apiKey, kinds: ['admin', 'tenant-key'] });
  const owner = one(h['x-owner-token']);
  if (owner) out.push({ header: 'x-owner-token', value: owner, kinds: ['owner'] });
  const widget = one(h['x-widget-token']);
  if (widget) out.push({ header: 'x-widget-token', value: widget, kinds: ['widget'] });
  return out;
}

export interface AuthDeps {
  adminKey: string;
  credentials: CredentialsService;
  tokens: TokensService;
  tenants: Pick<TenantsService, 'statusOf'>;
  usage: UsageService;
}

/**
 * Resolves every header form of the five documents (X-API-Key, Authorization Bearer/ApiKey,
 * X-Admin-API-Key, X-Owner-Token, X-Widget-Token, X-Tenant-ID / X-Business-ID) to one
 * principal, before validation, so an unauthenticated caller learns nothing about a route's schema.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('principal', null);

  const resolve = async (p: Presented): Promise<Principal | undefined> => {
    if (!p.value) return undefined;
    if (p.kinds.includes('admin') && safeEqual(p.value, deps.adminKey)) {
      return { kind: 'admin', tenantId: null, scopes: ['admin', 'read', 'write'], subjectId: 'admin', live: true };
    }
    if (p.header === 'authorization' && JWT_SHAPE.test(p.value)) return deps.tokens.verify(p.value);
    const principal = await deps.credentials.authenticate(p.value);
    return principal && p.kinds.includes(principal.kind) ? principal : undefined;
  };

  app.addHook('onRequest', async (request) => {
    const policy = request.routeOptions.config.auth;
    if (policy === undefined || policy === 'public') return;
    const offered = presented(request);
    if (offered.length === 0 && policy.anonymous) return;
    if (offered.length === 0)
      throw new AppError('UNAUTHENTICATED', 'Authentication required: send an API key or bearer token');
    const principals: Principal[] = [];
    for (const p of offered) {
      const principal = await resolve(p);
      if (!principal) throw new AppError('UNAUTHENTICATED', `Invalid or expired credential in ${p.header}`);
      principals.push(principal);
    }
    const tenants = new Set(principals.filter((p) => p.tenantId !== null).map((p) => p.tenantId));
    if (tenants.size > 1) throw forbidden('Credentials of different tenants were sent together');
    const chosen = principals.find((p) => policy.allow.includes(p.kind));
    if (!chosen) throw forbidden(`This route does not accept a ${principals[0]?.kind ?? 'missing'} credential`);
    const principal = { ...chosen, tenantId: chosen.tenantId ?? [...tenants][0] ?? null };

    const claimed = headerTenant(request);
    if (claimed !== undefined) {
      if (principal.kind === 'admin' && principal.tenantId === null) principal.tenantId = claimed;
      else if (principal.tenantId !== claimed)
        throw forbidden('The credential does not belong to the tenant named in X-Tenant-ID / X-Business-ID');
    }
    // A token minted with `scope: "read"` may look but not change, on every surface.
    if (principal.kind === 'tenant-key' && !READ_METHODS.has(request.method) && !principal.scopes.includes('write')) {
      throw forbidden("This credential lacks the 'write' scope");
    }
    if (principal.tenantId !== null) await checkTenant(deps, principal.kind, principal.tenantId);
    request.principal = principal;
    if (principal.tenantId !== null && principal.kind !== 'admin') deps.usage.add(principal.tenantId, 'api_calls');
  });
}

/**
 * A JWT outlives its tenant's deletion, and a suspended tenant's keys stay on record; the admin still
 * manages both, but a tenant it names in X-Tenant-ID must exist, or every route would act on a ghost.
 */
async function checkTenant(deps: AuthDeps, kind: PrincipalKind, tenantId: string): Promise<void> {
  const status = await deps.tenants.statusOf(tenantId);
  if (kind === 'admin') {
    if (status === 'missing') throw notFound('tenant', tenantId);
    return;
  }
  if (status === 'missing')
    throw new AppError('UNAUTHENTICATED', 'Invalid or expired credential: its tenant no longer exists');
  if (status === 'suspended') throw forbidden('This tenant is suspended');
}

function headerTenant(request: FastifyRequest): string | undefined {
  const raw = request.headers['x-tenant-id'] ?? request.headers['x-business-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.trim() || undefined;
}

/** The principal of an authenticated route (the auth hook guarantees one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Authentication required');
  return request.principal;
}

/**
 * The tenant a request acts on when a path names one: the admin may name any tenant;
 * any other credential only its own (403 otherwise, before the tenant's existence is revealed).
 */
export function requireTenantAccess(request: FastifyRequest, tenantId: string): Principal {
  const principal = principalOf(request);
  if (principal.kind === 'admin') return principal;
  if (principal.tenantId !== tenantId) throw forbidden('This credential cannot access that tenant');
  return principal;
}

/** The tenant of a request whose path names none: the credential's own, or X-Tenant-ID for the admin. */
export function tenantOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal.tenantId === null) {
    throw new AppError('VALIDATION', 'The admin key must name a tenant with X-Tenant-ID', {
      fields: [{ field: 'X-Tenant-ID', issue: 'is required with the admin key', type: 'missing', location: 'header' }],
    });
  }
  return principal.tenantId;
}

/** The authenticated caller as the domain sees it; a test key's requests write test-mode rows. */
export function actorOf(request: FastifyRequest): Actor & { requestId: string } {
  const p = principalOf(request);
  return {
    kind: p.kind,
    id: p.subjectId,
    tenantId: p.tenantId,
    requestId: request.id,
    mode: p.live ? 'live' : 'test',
  };
}

/** The data mode of an authenticated request: `test` under a tenant's test key. */
export function modeOf(request: FastifyRequest): DataMode {
  return principalOf(request).live ? 'live' : 'test';
}
