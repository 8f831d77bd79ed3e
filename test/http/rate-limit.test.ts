import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { enforceRateLimit } from '../../src/http/rate-limit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_REDIS_URL } from '../helpers/db.js';

// Time stands still one second past a full hour, so every window of a test is the same one; the
// hour is random so runs against one Redis never share a window (counters outlive a run).
const HOUR_START = Date.UTC(2030, 0, 1) + randomInt(24 * 365) * 3_600_000;
const T0 = HOUR_START + 1000;
const HOUR_END = (HOUR_START + 3_600_000) / 1000;
const MINUTE_END = (HOUR_START + 60_000) / 1000;
const BURST_END = (HOUR_START + 10_000) / 1000;

const TENANT = { auth: { allow: ['tenant-key', 'admin'] } } as const;

function throwawayRoutes(app: FastifyInstance): void {
  const ok = () => ({ ok: true });
  app.get('/v1/rl-test/management', { config: TENANT }, ok);
  app.get('/v1/rl-test/analytics', { config: { ...TENANT, rateClass: 'analytics' } }, ok);
  app.get('/api/leads/rl-test', { config: TENANT }, ok);
  app.get('/api/leads/rl-test/missing', { config: TENANT }, () => {
    throw new AppError('NOT_FOUND', 'Lead not found', { resource: 'lead' });
  });
  app.get('/api/rl-test', { config: TENANT }, ok);
  app.get('/api/rl-test/unlimited', { config: { ...TENANT, rateClass: 'unlimited' } }, ok);
  app.get('/v1/crm/rl-test', { config: TENANT }, ok);
  // A webhook that authenticates by signature and so counts itself once it knows the tenant.
  app.post<{ Querystring: { tenant: string } }>(
    '/v1/rl-test/webhook',
    { config: { auth: 'public' } },
    async (request, reply) => {
      await enforceRateLimit(request, reply, request.query.tenant);
      return { ok: true };
    },
  );
}

const stores = [
  { label: 'in-memory counters', env: {}, skip: false },
  {
    label: TEST_REDIS_URL ? 'Redis counters' : 'Redis counters (skipped: set TEST_REDIS_URL to run)',
    env: { REDIS_URL: TEST_REDIS_URL },
    skip: !TEST_REDIS_URL,
  },
];

for (const { label, env, skip } of stores) {
  describe.skipIf(skip)(`rate limits with ${label}`, () => {
    let t: TestApp;

    beforeAll(async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(T0);
      t = await startTestApp({ beforeReady: throwawayRoutes, env });
    });
    afterAll(async () => {
      await t.close();
      vi.useRealTimers();
    });

    const get = (url: string, apiKey: string) => t.app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });

    /** Sends `n` requests and returns the last response. */
    async function burn(url: string, apiKey: string, n: number) {
      let res = await get(url, apiKey);
      for (let i = 1; i < n; i++) res = await get(url, apiKey);
      return res;
    }

    describe('spec A (/v1)', () => {
      it('sends the hourly management budget in the X-RateLimit-* headers', async () => {
        const tenant = await t.createTenant();
        const res = await get('/v1/rl-test/management', tenant.apiKey);
        expect(res.statusCode).toBe(200);
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '500',
          'x-ratelimit-remaining': '499',
          'x-ratelimit-reset': String(HOUR_END),
          'x-ratelimit-window': '3600',
        });
      });

      it('gives the analytics class its own, smaller budget', async () => {
        const tenant = await t.createTenant();
        await get('/v1/rl-test/management', tenant.apiKey);
        const res = await get('/v1/rl-test/analytics', tenant.apiKey);
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '99',
          'x-ratelimit-window': '3600',
        });
      });

      it('refuses the eleventh analytics request within ten seconds with RATE_LIMIT_EXCEEDED and Retry-After', async () => {
        const tenant = await t.createTenant();
        const tenth = await burn('/v1/rl-test/analytics', tenant.apiKey, 10);
        expect(tenth.statusCode).toBe(200);
        const res = await get('/v1/rl-test/analytics', tenant.apiKey);
        expect(res.statusCode).toBe(429);
        expect(res.headers['retry-after']).toBe('9');
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '10',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(BURST_END),
          'x-ratelimit-window': '10',
        });
        expect(res.json()).toMatchObject({
          success: false,
          error: {
            code: 'RATE_LIMIT_EXCEEDED',
            details: {
              limit: 10,
              period: '10 seconds',
              retry_after: 9,
              reset_time: new Date(BURST_END * 1000).toISOString(),
            },
          },
          request_id: res.headers['x-request-id'],
        });
      });

      it('lets a signature-authenticated route count itself against the webhooks budget', async () => {
        const tenant = await t.createTenant();
        const res = await t.app.inject({ method: 'POST', url: `/v1/rl-test/webhook?tenant=${tenant.id}` });
        expect(res.statusCode).toBe(200);
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '999',
          'x-ratelimit-window': '3600',
        });
      });
    });

    describe('spec B (/api/leads …)', () => {
      it('sends the tighter of the per-minute and per-hour budgets of the tier', async () => {
        const free = await t.createTenant();
        expect((await get('/api/leads/rl-test', free.apiKey)).headers).toMatchObject({
          'x-ratelimit-limit': '30',
          'x-ratelimit-remaining': '29',
          'x-ratelimit-reset': String(MINUTE_END),
        });
        const enterprise = await t.createTenant({ plan: 'enterprise' });
        expect((await get('/api/leads/rl-test', enterprise.apiKey)).headers).toMatchObject({
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '299',
        });
      });

      it('gives the pro plan, which spec B does not name, the growth tier', async () => {
        const pro = await t.createTenant({ plan: 'pro' });
        expect((await get('/api/leads/rl-test', pro.apiKey)).headers).toMatchObject({ 'x-ratelimit-limit': '100' });
      });

      it('refuses past the hourly budget in spec B envelope, naming the window', async () => {
        const tenant = await t.createTenant({ configuration: { rate_limits: { classes: { api: { hour: 3 } } } } });
        const third = await burn('/api/leads/rl-test', tenant.apiKey, 3);
        expect(third.headers).toMatchObject({
          'x-ratelimit-limit': '3',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(HOUR_END),
        });
        const res = await get('/api/leads/rl-test', tenant.apiKey);
        expect(res.statusCode).toBe(429);
        expect(res.headers['retry-after']).toBe(String(HOUR_END - T0 / 1000));
        expect(res.json()).toEqual({
          error: {
            code: 'RATE_LIMIT_EXCEEDED',
            message: 'Rate limit exceeded for tenant: 3 requests per hour',
            details: { limit: 3, window_seconds: 3600, retry_after: HOUR_END - T0 / 1000 },
            request_id: res.headers['x-request-id'],
          },
        });
      });

      it('keeps the headers on an error the route itself returns', async () => {
        const tenant = await t.createTenant();
        const res = await get('/api/leads/rl-test/missing', tenant.apiKey);
        expect(res.statusCode).toBe(404);
        expect(res.headers).toMatchObject({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '29' });
      });
    });

    describe('spec D (/api/v2)', () => {
      it('sends the per-minute budget of the plan and X-RateLimit-Type', async () => {
        const free = await t.createTenant();
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/v2/tenants/${free.id}`,
          headers: { authorization: `ApiKey ${free.apiKey}` },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers).toMatchObject({
          'x-ratelimit-limit': '60',
          'x-ratelimit-remaining': '59',
          'x-ratelimit-reset': String(MINUTE_END),
          'x-ratelimit-type': 'api_key',
        });

        const enterprise = await t.createTenant({ plan: 'enterprise' });
        const big = await t.app.inject({
          method: 'GET',
          url: `/api/v2/tenants/${enterprise.id}`,
          headers: { authorization: `ApiKey ${enterprise.apiKey}` },
        });
        expect(big.headers['x-ratelimit-limit']).toBe('1000');
      });

      it('refuses in spec D envelope with RATE_LIMITED', async () => {
        const tenant = await t.createTenant({ configuration: { rate_limits: { classes: { api: { minute: 2 } } } } });
        const headers = { authorization: `ApiKey ${tenant.apiKey}` };
        for (let i = 0; i < 2; i++)
          expect(
            (await t.app.inject({ method: 'GET', url: `/api/v2/tenants/${tenant.id}/config`, headers })).statusCode,
          ).toBe(200);
        const res = await t.app.inject({ method: 'GET', url: `/api/v2/tenants/${tenant.id}/config`, headers });
        expect(res.statusCode).toBe(429);
        expect(res.headers['retry-after']).toBe('59');
        expect(res.json()).toMatchObject({
          status: 'error',
          error: {
            code: 'RATE_LIMITED',
            details: { limit: 2, window_seconds: 60, retry_after: 59 },
            trace_id: res.headers['x-request-id'],
          },
          meta: { request_id: res.headers['x-request-id'], api_version: 'v2' },
        });
      });

      it('counts the admin key without a tenant in its own bucket at the top plan', async () => {
        const res = await t.app.inject({ method: 'GET', url: '/api/v2/tenants', headers: t.adminHeaders });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBe('1000');
      });
    });

    describe('spec E (/api/…)', () => {
      it('sends the per-minute budget of each plan', async () => {
        const expected = { free: '10', starter: '30', pro: '60', growth: '120', enterprise: '300' };
        for (const [plan, limit] of Object.entries(expected)) {
          const tenant = await t.createTenant({ plan });
          const res = await get('/api/rl-test', tenant.apiKey);
          expect(res.headers, plan).toMatchObject({
            'x-ratelimit-limit': limit,
            'x-ratelimit-reset': String(MINUTE_END),
          });
        }
      });

      it('refuses the eleventh request of a free tenant within a minute with RATE_LIMITED and Retry-After', async () => {
        const tenant = await t.createTenant();
        expect((await burn('/api/rl-test', tenant.apiKey, 10)).statusCode).toBe(200);
        const res = await get('/api/rl-test', tenant.apiKey);
        expect(res.statusCode).toBe(429);
        expect(res.headers['retry-after']).toBe('59');
        expect(res.headers).toMatchObject({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0' });
        expect(res.json()).toEqual({
          error: {
            code: 'RATE_LIMITED',
            message: 'Rate limit exceeded for tenant: 10 requests per minute',
            details: { limit: 10, window_seconds: 60, retry_after: 59, request_id: res.headers['x-request-id'] },
          },
        });
      });

      it('scales the plan by the tenant override multiplier', async () => {
        const tenant = await t.createTenant({ configuration: { rate_limits: { multiplier: 10 } } });
        expect((await get('/api/rl-test', tenant.apiKey)).headers['x-ratelimit-limit']).toBe('100');
      });

      it('lets a route opt out', async () => {
        const tenant = await t.createTenant();
        const res = await burn('/api/rl-test/unlimited', tenant.apiKey, 12);
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      });
    });

    it('gives every tenant its own budget', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      expect((await burn('/api/rl-test', a.apiKey, 11)).statusCode).toBe(429);
      const res = await get('/api/rl-test', b.apiKey);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe('9');
    });

    it('does not limit spec C, which has no table', async () => {
      const tenant = await t.createTenant();
      const res = await burn('/v1/crm/rl-test', tenant.apiKey, 15);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    });

    it('never limits health, metrics or public routes', async () => {
      for (const url of ['/health', '/v1/health', '/api/v2/health', '/healthz', '/v1/metrics']) {
        const res = await burn(url, 'ignored', 12);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['x-ratelimit-limit'], url).toBeUndefined();
      }
    });

    it('lets only the platform admin set a tenant rate_limits override', async () => {
      const tenant = await t.createTenant();
      const body = { configuration: { rate_limits: { multiplier: 100 } } };
      const own = await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: { authorization: `ApiKey ${tenant.apiKey}` },
        payload: body,
      });
      expect(own.statusCode).toBe(403);
      const admin = await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: t.adminHeaders,
        payload: body,
      });
      expect(admin.statusCode).toBe(200);
      expect(admin.json().data.changes_applied).toEqual(['rate_limits.multiplier']);
    });

    it('rejects an override with unknown fields', async () => {
      const tenant = await t.createTenant();
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: t.adminHeaders,
        payload: { configuration: { rate_limits: { multipler: 10 } } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field).toBe('configuration.rate_limits');
    });
  });
}

describe.skipIf(!TEST_REDIS_URL)(
  `rate limits across processes${TEST_REDIS_URL ? '' : ' (skipped: set TEST_REDIS_URL to run)'}`,
  () => {
    // Another random hour than the suites above, so their counters never meet these.
    const hour = Date.UTC(2031, 0, 1) + randomInt(24 * 365) * 3_600_000;
    let first: TestApp;
    let second: TestApp;

    beforeAll(async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(hour + 1000);
      first = await startTestApp({ beforeReady: throwawayRoutes, env: { REDIS_URL: TEST_REDIS_URL } });
      // A second app instance on the same database and Redis, as a second API process would be.
      second = await startTestApp({
        beforeReady: throwawayRoutes,
        env: { REDIS_URL: TEST_REDIS_URL },
        sharedDatabase: first.db,
      });
    });
    afterAll(async () => {
      await second.close();
      await first.close();
      vi.useRealTimers();
    });

    it('holds one tenant budget across two app instances sharing Redis', async () => {
      const tenant = await first.createTenant({ configuration: { rate_limits: { classes: { api: { minute: 4 } } } } });
      const headers = { 'x-api-key': tenant.apiKey };
      const seen: { app: string; status: number; remaining: unknown }[] = [];
      for (const [name, t] of [
        ['first', first],
        ['second', second],
        ['first', first],
        ['second', second],
        ['first', first],
        ['second', second],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url: '/api/rl-test', headers });
        seen.push({ app: name, status: res.statusCode, remaining: res.headers['x-ratelimit-remaining'] });
      }
      expect(seen).toEqual([
        { app: 'first', status: 200, remaining: '3' },
        { app: 'second', status: 200, remaining: '2' },
        { app: 'first', status: 200, remaining: '1' },
        { app: 'second', status: 200, remaining: '0' },
        { app: 'first', status: 429, remaining: '0' },
        { app: 'second', status: 429, remaining: '0' },
      ]);
    });
  },
);
