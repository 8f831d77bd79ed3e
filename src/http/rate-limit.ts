import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import type { Plan, RateLimitClass, RateLimitOverride, TenantsService } from '../domain/tenants/index.js';
import type { Clock } from '../lib/clock.js';
import { windowStart, type RateLimitStore, type RateWindow } from './rate-limit.store.js';
import type { SurfaceId, SurfaceResolver } from './surface.js';

/**
 * Per-tenant rate limits, per surface and endpoint class, by plan (specs A, B, D, E; C has none).
 * Counted after authentication, so the budget is the tenant's whichever credential it uses.
 * The numbers each spec leaves open are chosen and explained in docs/decisions.md.
 */

export type RateClass = RateLimitClass;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The budget an authenticated route spends (default: its surface's class); `unlimited` opts out. */
    rateClass?: RateClass | 'unlimited';
  }
  interface FastifyInstance {
    /** The app's limiter, for routes that authenticate by signature and so must call it themselves. */
    rateLimiter: RateLimiter;
  }
}

type WindowName = 'burst' | 'minute' | 'hour';
type Limits = Partial<Record<WindowName, number>>;

const WINDOW_SECONDS: Record<WindowName, number> = { burst: 10, minute: 60, hour: 3600 };
// Header tie-breaks and the order windows are counted in follow this list.
const WINDOW_ORDER: readonly WindowName[] = ['minute', 'hour', 'burst'];

interface SurfacePolicy {
  /** The class of an authenticated route that names none, and of classes the surface lacks. */
  defaultClass: RateClass;
  limits: Partial<Record<RateClass, Record<Plan, Limits>>>;
  /** Windows the X-RateLimit-* headers may describe: the spec's own (A's burst window is ours). */
  headline: readonly WindowName[];
  /** Spec A also sends X-RateLimit-Window. */
  windowHeader: boolean;
  /** Spec D also sends X-RateLimit-Type. */
  typeHeader: string | null;
  /**
   * Spec A says all responses carry the headers: one that spent no budget (refused before its
   * tenant was known, a signature that failed) describes its class's window, untouched.
   */
  everyResponse: boolean;
}

const everyPlan = (limits: Limits): Record<Plan, Limits> => ({
  free: limits,
  starter: limits,
  pro: limits,
  growth: limits,
  enterprise: limits,
});

/** The tables of specs A, B, D and E, by plan. Telephony (spec C) has none and is not limited. */
export const RATE_LIMIT_POLICIES: Record<SurfaceId, SurfacePolicy | null> = {
  // Spec A gives one table for every tenant; its "burst" is a second, 10-second window.
  ingestion: {
    defaultClass: 'management',
    limits: {
      webhooks: everyPlan({ hour: 1000, burst: 50 }),
      management: everyPlan({ hour: 500, burst: 25 }),
      analytics: everyPlan({ hour: 100, burst: 10 }),
    },
    headline: ['hour'],
    windowHeader: true,
    typeHeader: null,
    everyResponse: true,
  },
  // Spec B's tiers; `pro` (not in B) gets growth's numbers.
  leadgen: {
    defaultClass: 'api',
    limits: {
      api: {
        free: { minute: 30, hour: 500 },
        starter: { minute: 60, hour: 1000 },
        pro: { minute: 100, hour: 2000 },
        growth: { minute: 100, hour: 2000 },
        enterprise: { minute: 300, hour: 10_000 },
      },
    },
    headline: ['minute', 'hour'],
    windowHeader: false,
    typeHeader: null,
    everyResponse: false,
  },
  // Spec D names no numbers; chat traffic is bursty and per message, so these are per minute and generous.
  chatbot: {
    defaultClass: 'api',
    limits: {
      api: {
        free: { minute: 60 },
        starter: { minute: 120 },
        pro: { minute: 300 },
        growth: { minute: 600 },
        enterprise: { minute: 1000 },
      },
    },
    headline: ['minute'],
    windowHeader: false,
    typeHeader: 'api_key',
    everyResponse: false,
  },
  // Spec E's free/pro/enterprise; starter and growth sit between their neighbours.
  qualifier: {
    defaultClass: 'api',
    limits: {
      api: {
        free: { minute: 10 },
        starter: { minute: 30 },
        pro: { minute: 60 },
        growth: { minute: 120 },
        enterprise: { minute: 300 },
      },
    },
    headline: ['minute'],
    windowHeader: false,
    typeHeader: null,
    everyResponse: false,
  },
  telephony: null,
  // The web app signs people in with a cookie, not a credential the auth hook counts; its sign-in routes limit attempts themselves.
  app: null,
};

/** The bucket of the platform admin acting on no tenant; it gets the top plan's numbers. */
export const ADMIN_BUCKET = 'admin';
const ADMIN_PLAN: Plan = 'enterprise';

interface ResolvedWindow extends RateWindow {
  headline: boolean;
}

interface Resolved {
  bucket: string;
  windows: ResolvedWindow[];
}

/** The windows a tenant's request is counted in: the plan's numbers, scaled or replaced by the override. */
export function resolveWindows(
  surface: SurfaceId,
  requested: RateClass | undefined,
  plan: Plan,
  override: RateLimitOverride | undefined,
): { rateClass: RateClass; windows: ResolvedWindow[] } | null {
  const policy = RATE_LIMIT_POLICIES[surface];
  if (!policy) return null;
  const rateClass = requested && policy.limits[requested] ? requested : policy.defaultClass;
  const base = policy.limits[rateClass]?.[plan] ?? {};
  const exact = override?.classes?.[rateClass];
  const multiplier = override?.multiplier ?? 1;
  const windows: ResolvedWindow[] = [];
  for (const name of WINDOW_ORDER) {
    const planned = base[name];
    if (planned === undefined) continue;
    windows.push({
      name,
      windowMs: WINDOW_SECONDS[name] * 1000,
      limit: exact?.[name] ?? Math.max(1, Math.round(planned * multiplier)),
      headline: policy.headline.includes(name),
    });
  }
  return { rateClass, windows };
}

export interface RateLimiter {
  /**
   * Counts the request against the tenant's budget for `rateClass` on the request's surface (the
   * admin bucket when `tenantId` is null), sets the X-RateLimit-* headers, and throws RATE_LIMITED
   * when a window is full.
   */
  enforce(request: FastifyRequest, reply: FastifyReply, tenantId: string | null, rateClass?: RateClass): Promise<void>;
  /** Counts an anonymous visitor's request against its own address's budget at the tenant. */
  enforceVisitor(request: FastifyRequest, reply: FastifyReply, tenantId: string): Promise<void>;
  /** Drops the tenant's cached plan, so a plan change made here applies from the next request (other processes within the cache's 10 s). */
  forget(tenantId: string): void;
}

export interface RateLimiterDeps {
  store: RateLimitStore;
  tenants: Pick<TenantsService, 'get'>;
  clock: Clock;
  /** Whose table a request counts against. */
  surfaceOf: SurfaceResolver;
  /** How long a tenant's plan and override are reused before being read again. */
  settingsTtlMs?: number;
}

interface TenantSettings {
  plan: Plan;
  override: RateLimitOverride | undefined;
  expiresAt: number;
  /** Resolved windows per surface and class, built on first use. */
  resolved: Map<string, Resolved | null>;
}

// Plans and overrides change rarely; reading them every 10 s keeps the hot path free of queries.
const SETTINGS_TTL_MS = 10_000;
const MAX_CACHED_TENANTS = 10_000;

export function createRateLimiter(deps: RateLimiterDeps): RateLimiter {
  const ttl = deps.settingsTtlMs ?? SETTINGS_TTL_MS;
  const cache = new Map<string, TenantSettings>();
  const loading = new Map<string, Promise<TenantSettings>>();

  const load = async (key: string, nowMs: number): Promise<TenantSettings> => {
    const settings: TenantSettings = {
      plan: ADMIN_PLAN,
      override: undefined,
      expiresAt: nowMs + ttl,
      resolved: new Map(),
    };
    if (key !== ADMIN_BUCKET) {
      try {
        const tenant = await deps.tenants.get(key);
        settings.plan = tenant.plan;
        settings.override = tenant.config.rate_limits;
      } catch (err) {
        // The admin may name a tenant that does not exist; the route answers 404, counted at the lowest plan.
        if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
        settings.plan = 'free';
      }
    }
    if (cache.size >= MAX_CACHED_TENANTS) cache.clear();
    cache.set(key, settings);
    return settings;
  };

  const settingsFor = (key: string, nowMs: number): Promise<TenantSettings> | TenantSettings => {
    const hit = cache.get(key);
    if (hit && hit.expiresAt > nowMs) return hit;
    let pending = loading.get(key);
    if (!pending) {
      pending = load(key, nowMs).finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    return pending;
  };

  return {
    async enforce(request, reply, tenantId, requested) {
      const surface = deps.surfaceOf(request).id;
      if (!RATE_LIMIT_POLICIES[surface]) return;
      const key = tenantId ?? ADMIN_BUCKET;
      const nowMs = deps.clock.now().getTime();
      const settings = await settingsFor(key, nowMs);
      const cacheKey = `${surface}:${requested ?? ''}`;
      let resolved = settings.resolved.get(cacheKey);
      if (resolved === undefined) {
        const r = resolveWindows(surface, requested, settings.plan, settings.override);
        resolved = r && { bucket: `${key}:${surface}:${r.rateClass}`, windows: r.windows };
        settings.resolved.set(cacheKey, resolved);
      }
      if (!resolved || resolved.windows.length === 0) return;

      let result;
      try {
        result = await deps.store.consume(resolved.bucket, resolved.windows, nowMs);
      } catch (err) {
        // Limits protect the service; an unreachable counter store must not take the API down with it.
        request.log.warn({ err }, 'rate-limit store unavailable; request let through');
        return;
      }
      applyOutcome(reply, surface, resolved.windows, result, nowMs);
    },
    async enforceVisitor(request, reply, tenantId) {
      const nowMs = deps.clock.now().getTime();
      let result;
      try {
        result = await deps.store.consume(`visitor:${tenantId}:${request.ip}`, VISITOR_WINDOWS, nowMs);
      } catch (err) {
        request.log.warn({ err }, 'rate-limit store unavailable; request let through');
        return;
      }
      applyOutcome(reply, deps.surfaceOf(request).id, VISITOR_WINDOWS, result, nowMs);
    },
    forget(tenantId) {
      cache.delete(tenantId);
    },
  };
}

// A visitor opens a session or two per page; ten a minute from one address is already a script.
const VISITOR_WINDOWS: readonly ResolvedWindow[] = [{ name: 'minute', windowMs: 60_000, limit: 10, headline: true }];

/** Sets the X-RateLimit-* headers of the window shown; throws RATE_LIMITED when the request was refused. */
function applyOutcome(
  reply: FastifyReply,
  surface: SurfaceId,
  windows: readonly ResolvedWindow[],
  result: { counts: number[]; allowed: boolean },
  nowMs: number,
): void {
  const shown = shownWindow(windows, result.counts, result.allowed);
  const window = windows[shown];
  const count = result.counts[shown];
  if (!window || count === undefined) return;
  const resetMs = windowStart(nowMs, window.windowMs) + window.windowMs;
  const policy = RATE_LIMIT_POLICIES[surface];
  void reply.header('x-ratelimit-limit', window.limit);
  void reply.header('x-ratelimit-remaining', Math.max(0, window.limit - count));
  void reply.header('x-ratelimit-reset', Math.ceil(resetMs / 1000));
  if (policy?.windowHeader) void reply.header('x-ratelimit-window', window.windowMs / 1000);
  if (policy?.typeHeader) void reply.header('x-ratelimit-type', policy.typeHeader);
  if (!result.allowed) {
    const windowSeconds = window.windowMs / 1000;
    throw new AppError(
      'RATE_LIMITED',
      `Rate limit exceeded for tenant: ${window.limit} requests per ${periodName(windowSeconds)}`,
      {
        rateLimit: {
          limit: window.limit,
          windowSeconds,
          resetAt: Math.ceil(resetMs / 1000),
          retryAfterSeconds: Math.max(1, Math.ceil((resetMs - nowMs) / 1000)),
        },
      },
    );
  }
}

/**
 * The window the headers describe: on a refusal, the full one (so Remaining is 0 and Reset is when
 * to retry); otherwise the spec's window with the fewest requests left.
 */
function shownWindow(windows: readonly ResolvedWindow[], counts: readonly number[], allowed: boolean): number {
  let best = -1;
  let bestRemaining = Infinity;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    const count = counts[i] ?? 0;
    if (!w) continue;
    if (!allowed) {
      if (count >= w.limit) return i;
      continue;
    }
    if (w.headline && w.limit - count < bestRemaining) {
      best = i;
      bestRemaining = w.limit - count;
    }
  }
  return Math.max(0, best);
}

function periodName(seconds: number): string {
  if (seconds === 3600) return 'hour';
  if (seconds === 60) return 'minute';
  return `${seconds} seconds`;
}

/**
 * The headers of a response that spent no budget, on a surface that sends them on every response:
 * its class's headline window, full. Public routes without a class (health, downloads) are not limited
 * and say nothing.
 */
function describeUnspent(request: FastifyRequest, reply: FastifyReply, surface: SurfaceId, nowMs: number): void {
  const policy = RATE_LIMIT_POLICIES[surface];
  const { rateClass, auth } = request.routeOptions.config;
  if (!policy?.everyResponse || reply.hasHeader('x-ratelimit-limit') || rateClass === 'unlimited') return;
  if (auth === 'public' && rateClass === undefined) return;
  const window = resolveWindows(surface, rateClass, ADMIN_PLAN, undefined)?.windows.find((w) => w.headline);
  if (!window) return;
  const resetMs = windowStart(nowMs, window.windowMs) + window.windowMs;
  void reply.header('x-ratelimit-limit', window.limit);
  void reply.header('x-ratelimit-remaining', window.limit);
  void reply.header('x-ratelimit-reset', Math.ceil(resetMs / 1000));
  if (policy.windowHeader) void reply.header('x-ratelimit-window', window.windowMs / 1000);
}

/**
 * Limits every authenticated route of a limited surface after auth has resolved the principal
 * (register after registerAuth: onRequest hooks run in registration order). Public routes, health
 * and metrics are not limited; signature-authenticated routes call enforceRateLimit themselves.
 */
export function registerRateLimits(app: FastifyInstance, deps: RateLimiterDeps): void {
  const limiter = createRateLimiter(deps);
  app.decorate('rateLimiter', limiter);
  app.addHook('onRequest', async (request, reply) => {
    const principal = request.principal;
    if (!principal) return;
    const rateClass = request.routeOptions.config.rateClass;
    if (rateClass === 'unlimited') return;
    await limiter.enforce(request, reply, principal.tenantId, rateClass);
  });
  app.addHook('onSend', async (request, reply) => {
    describeUnspent(request, reply, deps.surfaceOf(request).id, deps.clock.now().getTime());
  });
}

/** For routes an anonymous visitor may call: counts the request against its address's budget at the tenant. */
export function enforceVisitorRateLimit(request: FastifyRequest, reply: FastifyReply, tenantId: string): Promise<void> {
  return request.server.rateLimiter.enforceVisitor(request, reply, tenantId);
}

/**
 * For routes that authenticate by signature (webhooks) and so know the tenant only once the
 * signature checks out: counts the request against that tenant's budget (default class: webhooks).
 */
export function enforceRateLimit(
  request: FastifyRequest,
  reply: FastifyReply,
  tenantId: string,
  rateClass: RateClass = 'webhooks',
): Promise<void> {
  return request.server.rateLimiter.enforce(request, reply, tenantId, rateClass);
}
