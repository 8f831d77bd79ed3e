import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/tenants/index.js';
import { resolveWindows } from '../../../src/http/rate-limit.js';
import type { Clock } from '../../../src/lib/clock.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = ReturnType<typeof JSON.parse>;

/** Spec B sends every key in X-API-Key, the platform admin's included. */
const admin = { 'x-api-key': ADMIN_KEY };
const key = (tenant: { apiKey: string }) => ({ 'x-api-key': tenant.apiKey });

const xyzSolar = {
  company_name: 'XYZ Solar',
  contact_name: 'Amit Kumar',
  contact_phone: '+919876543210',
  contact_email: 'amit@xyzsolar.com',
  industry: 'solar',
  target_niches: ['residential_solar', 'commercial_solar'],
  target_cities: ['Mumbai', 'Delhi', 'Bangalore'],
};

const PLATFORM_ROUTES = [
  { method: 'GET', url: '/api/platform/stats' },
  { method: 'POST', url: '/api/platform/start' },
  { method: 'POST', url: '/api/platform/stop' },
  { method: 'GET', url: '/api/platform/tenants' },
  { method: 'POST', url: '/api/platform/tenants', payload: xyzSolar },
  { method: 'POST', url: '/api/platform/tenants/anyone/upgrade', payload: { tier: 'growth' } },
] as const;

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`spec B platform on ${label}`, () => {
    let t: TestApp;
    // Mid-minute, so a test's requests never straddle a rate-limit window.
    const clock: Clock & { at: number } = { at: Date.parse('2026-12-07T10:00:05Z'), now: () => new Date(clock.at) };

    beforeAll(async () => {
      t = await startTestApp({ dialect, clock });
    });
    afterAll(async () => t.close());

    const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
      t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const stats = async (): Promise<Body> => {
      const res = await inject('GET', '/api/platform/stats', admin);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const createB = async (body: object = xyzSolar) => {
      const res = await inject('POST', '/api/platform/tenants', admin, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Body>();
    };
    const upgrade = (tenantId: string, tier: string) =>
      inject('POST', `/api/platform/tenants/${tenantId}/upgrade`, admin, { tier });

    it('counts tenants, calls and live leads from the stored rows, in spec B’s exact shape', async () => {
      const before = await stats();
      expect(Object.keys(before).sort()).toEqual([
        'active_tenants',
        'is_running',
        'total_calls_made',
        'total_leads_generated',
        'total_tenants',
        'trial_tenants',
      ]);
      const active = await createB();
      const trial = await t.createTenant({ status: 'trial', plan: 'enterprise' });
      const lead = await inject('POST', '/api/leads/', key({ apiKey: active.api_key }), { phone: '+919811111111' });
      expect(lead.statusCode, lead.body).toBe(201);
      const testLead = await inject(
        'POST',
        '/api/leads/',
        { 'x-api-key': trial.credentials.test_key },
        {
          phone: '+919822222222',
        },
      );
      expect(testLead.statusCode, testLead.body).toBe(201);
      const call = await inject('POST', '/telephony/inbound', key(trial), { caller_phone: '+14155550100' });
      expect(call.statusCode, call.body).toBe(200);

      const after = await stats();
      expect({
        total_tenants: after.total_tenants - before.total_tenants,
        active_tenants: after.active_tenants - before.active_tenants,
        trial_tenants: after.trial_tenants - before.trial_tenants,
        total_calls_made: after.total_calls_made - before.total_calls_made,
        total_leads_generated: after.total_leads_generated - before.total_leads_generated,
      }).toEqual({
        total_tenants: 2,
        active_tenants: 1,
        trial_tenants: 1,
        total_calls_made: 1,
        total_leads_generated: 1,
      });
    });

    it('starts and stops the automation, persisted where the campaign scheduler reads it', async () => {
      const started = await inject('POST', '/api/platform/start', admin);
      expect(started.statusCode).toBe(200);
      expect(started.json()).toEqual({ is_running: true, changed_at: '2026-12-07T10:00:05.000Z' });
      expect(await t.deps.services.platform.automation.isRunning()).toBe(true);
      expect((await stats()).is_running).toBe(true);
      const stopped = await inject('POST', '/api/platform/stop', admin);
      expect(stopped.json()).toMatchObject({ is_running: false });
      expect(await t.deps.services.platform.automation.isRunning()).toBe(false);
      expect((await stats()).is_running).toBe(false);
    });

    it('creates a tenant from spec B’s body, shows its API key once, and lists it with the others', async () => {
      const created = await createB();
      expect(created).toMatchObject({ ...xyzSolar, id: expect.any(String), tier: 'free', status: 'active' });
      expect(created.api_key).toEqual(expect.any(String));
      // The key works at once, on spec B and on the other surfaces.
      expect((await inject('GET', '/api/leads/', key({ apiKey: created.api_key }))).statusCode).toBe(200);
      const d = await inject('GET', `/api/v2/tenants/${created.id}`, { 'x-admin-api-key': ADMIN_KEY });
      expect(d.statusCode, d.body).toBe(200);

      const listed = await inject('GET', '/api/platform/tenants?limit=500', admin);
      expect(listed.statusCode).toBe(200);
      const mine = listed.json<Body[]>().find((x) => x.id === created.id);
      const { api_key: _shownOnce, ...shown } = created;
      expect(mine).toEqual(shown);
      expect(listed.json<Body[]>().every((x) => !('api_key' in x))).toBe(true);

      const other = await t.createTenant();
      expect(listed.json<Body[]>().some((x) => x.id === other.id)).toBe(false);
      const again = await inject('GET', '/api/platform/tenants?limit=500', admin);
      expect(again.json<Body[]>().some((x) => x.id === other.id)).toBe(true);
    });

    it('refuses a tenant body with a bad phone or no company with 422 naming the fields', async () => {
      const res = await inject('POST', '/api/platform/tenants', admin, { contact_phone: '12345' });
      expect(res.statusCode).toBe(422);
      const fields = res
        .json()
        .error.details.errors.map((e: Body) => e.field)
        .sort();
      expect(fields).toEqual(['company_name', 'contact_phone']);
    });

    it('upgrades a tenant’s tier, and answers 404 for an unknown tenant and 422 for an unknown tier', async () => {
      const created = await createB();
      const res = await upgrade(created.id, 'growth');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: created.id, tier: 'growth' });
      const missing = await upgrade('no-such-tenant', 'growth');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
      const bad = await upgrade(created.id, 'platinum');
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.details.errors[0]).toMatchObject({ field: 'tier' });
    });

    it('answers 403 AUTHORIZATION_ERROR to a tenant’s key and 401 AUTHENTICATION_ERROR to none, on every platform route', async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      for (const route of PLATFORM_ROUTES) {
        const payload = 'payload' in route ? route.payload : undefined;
        const forbidden = await inject(route.method, route.url, key(tenant), payload);
        expect(forbidden.statusCode, `${route.method} ${route.url}`).toBe(403);
        expect(forbidden.json().error.code).toBe('AUTHORIZATION_ERROR');
        const anonymous = await inject(route.method, route.url, {}, payload);
        expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(anonymous.json().error.code).toBe('AUTHENTICATION_ERROR');
      }
      expect(await t.deps.services.platform.automation.isRunning()).toBe(false);
    });

    describe('tiers', () => {
      const listLeads = (apiKey: string) => inject('GET', '/api/leads/', { 'x-api-key': apiKey });

      it('limits a free tenant to 30 requests a minute with the X-RateLimit headers, and an upgrade lifts it at once', async () => {
        const tenant: Tenant = await t.createTenant();
        const first = await listLeads(tenant.apiKey);
        const reset = Math.ceil((Math.floor(clock.at / 60_000) + 1) * 60);
        expect(first.headers).toMatchObject({
          'x-ratelimit-limit': '30',
          'x-ratelimit-remaining': '29',
          'x-ratelimit-reset': String(reset),
        });
        for (let i = 0; i < 29; i++) expect((await listLeads(tenant.apiKey)).statusCode).toBe(200);
        const refused = await listLeads(tenant.apiKey);
        expect(refused.statusCode).toBe(429);
        expect(refused.headers).toMatchObject({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0' });
        expect(refused.json().error).toMatchObject({
          code: 'RATE_LIMIT_EXCEEDED',
          details: { limit: 30, window_seconds: 60 },
        });

        expect((await upgrade(tenant.id, 'starter')).statusCode).toBe(200);
        const lifted = await listLeads(tenant.apiKey);
        expect(lifted.statusCode).toBe(200);
        expect(lifted.headers).toMatchObject({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '29' });
      });

      it('gives each tier spec B’s per-minute and per-hour numbers, the minute shown in the headers', async () => {
        const expected: Record<string, [minute: number, hour: number]> = {
          free: [30, 500],
          starter: [60, 1000],
          growth: [100, 2000],
          enterprise: [300, 10_000],
        };
        for (const [tier, [minute, hour]] of Object.entries(expected)) {
          const tenant = await t.createTenant({ plan: tier });
          const res = await listLeads(tenant.apiKey);
          expect(res.headers['x-ratelimit-limit'], tier).toBe(String(minute));
          // Spend the minute and step into the next one: the hour's count carries on.
          for (let i = 1; i < minute; i++) await listLeads(tenant.apiKey);
          clock.at += 60_000;
          const nextMinute = await listLeads(tenant.apiKey);
          expect(nextMinute.statusCode, tier).toBe(200);
          expect(nextMinute.headers['x-ratelimit-remaining'], tier).toBe(String(minute - 1));
          // The hour a request is counted in (spending it over HTTP is the free tier's test below).
          const windows = resolveWindows('leadgen', undefined, tier as Plan, undefined)?.windows;
          expect(windows?.map((w) => [w.name, w.limit])).toEqual([
            ['minute', minute],
            ['hour', hour],
          ]);
        }
      });

      it('refuses a free tenant’s 501st request of the hour even with the minute’s budget left', async () => {
        clock.at = Date.parse('2026-12-07T12:00:05Z');
        const tenant = await t.createTenant();
        for (let sent = 0; sent < 500; sent++) {
          if (sent > 0 && sent % 30 === 0) clock.at += 60_000;
          expect((await listLeads(tenant.apiKey)).statusCode).toBe(200);
        }
        clock.at += 60_000;
        const refused = await listLeads(tenant.apiKey);
        expect(refused.statusCode).toBe(429);
        expect(refused.headers).toMatchObject({
          'x-ratelimit-limit': '500',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.parse('2026-12-07T13:00:00Z') / 1000),
        });
        expect(refused.json().error).toMatchObject({
          code: 'RATE_LIMIT_EXCEEDED',
          details: { limit: 500, window_seconds: 3600 },
        });
      });

      it('refuses a new lead past the monthly quota with 429 QUOTA_EXCEEDED until the tier is raised', async () => {
        const created = await createB({ company_name: 'Quota Test' });
        const apiKey = created.api_key as string;
        const create = (phone: string) => inject('POST', '/api/leads/', { 'x-api-key': apiKey }, { phone });
        // Leads from every channel count: 99 already this month.
        t.deps.services.usage.add(created.id, 'leads.created', 99);
        expect((await create('+919833333301')).statusCode).toBe(201);
        const refused = await create('+919833333302');
        expect(refused.statusCode).toBe(429);
        expect(refused.json().error).toMatchObject({
          code: 'QUOTA_EXCEEDED',
          details: { quota: 'leads', limit: 100, used: 100, plan: 'free' },
        });
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

        expect((await upgrade(created.id, 'starter')).statusCode).toBe(200);
        expect((await create('+919833333302')).statusCode).toBe(201);
        const month = clock.now().toISOString().slice(0, 7);
        expect((await t.deps.services.usage.get(created.id, month))['leads.created']).toBe(101);
      });

      it('counts a lead from another channel toward the quota', async () => {
        const tenant = await t.createTenant({ plan: 'enterprise' });
        const month = clock.now().toISOString().slice(0, 7);
        const qualified = await inject('POST', '/api/qualify', key(tenant), {
          email: 'lee@harbor.dev',
          company: 'Harbor',
          message: 'Send pricing',
        });
        expect(qualified.statusCode, qualified.body).toBe(200);
        expect((await t.deps.services.usage.get(tenant.id, month))['leads.created']).toBe(1);
      });
    });
  });
}
