import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type AppErrorOptions, type ErrorCode } from '../../src/domain/errors.js';
import { defaultStatus } from '../../src/http/envelope.js';
import { ERROR_ANCHOR_SCRIPT_FILE, RESOURCES } from '../../src/http/error-catalogue.js';
import type { SurfaceDialect } from '../../src/http/surface.js';
import { chatbotDialect } from '../../src/surfaces/chatbot/plugin.js';
import { ingestionDialect } from '../../src/surfaces/ingestion/plugin.js';
import { leadgenDialect } from '../../src/surfaces/leadgen/plugin.js';
import { qualifierDialect } from '../../src/surfaces/qualifier/plugin.js';
import { telephonyDialect } from '../../src/surfaces/telephony/plugin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const DIALECTS: SurfaceDialect[] = [
  ingestionDialect,
  leadgenDialect,
  telephonyDialect,
  chatbotDialect,
  qualifierDialect,
];

/**
 * Every `error.code` each surface's envelope can put in a body: every internal code (the keys of
 * the status table every code must be in), bare, about each resource, with a field and with a rate limit.
 */
function emittableCodes(): Map<string, Set<string>> {
  const variants: AppErrorOptions[] = [
    {},
    ...RESOURCES.map((resource) => ({ resource })),
    { fields: [{ field: 'email', issue: 'is required' }] },
    { rateLimit: { limit: 10, windowSeconds: 60, resetAt: 60, retryAfterSeconds: 5 } },
  ];
  const codes = new Map<string, Set<string>>();
  for (const dialect of DIALECTS) {
    for (const code of Object.keys(defaultStatus) as ErrorCode[]) {
      for (const options of variants) {
        const { body } = dialect.render(new AppError(code, 'probe', options), { requestId: 'req_1', now: new Date() });
        const emitted = (body as { error?: { code?: unknown } }).error?.code;
        if (typeof emitted !== 'string') continue;
        if (!codes.has(emitted)) codes.set(emitted, new Set());
        codes.get(emitted)?.add(dialect.id);
      }
    }
  }
  return codes;
}

/** Every `documentation` value anywhere in a body. */
function documentationLinks(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(documentationLinks);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'documentation' && typeof v === 'string' ? [v] : documentationLinks(v),
  );
}

/** The ids of the elements the description declares. */
function anchorsOf(description: string): string[] {
  return [...description.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1] ?? '');
}

describe('error documentation anchors', () => {
  let t: TestApp;
  let tenant: Awaited<ReturnType<TestApp['createTenant']>>;
  let served: string;
  let uiDocument: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    served = (await t.app.inject({ url: '/openapi.json' })).json<{ info: { description: string } }>().info.description;
    // What the Swagger UI page at /docs loads and renders.
    uiDocument = (await t.app.inject({ url: '/docs/json' })).json<{ info: { description: string } }>().info.description;
  });
  afterAll(async () => t.close());

  it('declares an anchor errors-<CODE> for every code any surface can emit, once each', () => {
    const codes = emittableCodes();
    // The probe reaches the codes the envelopes add of their own, not only the shared names.
    expect([...codes.keys()]).toEqual(
      expect.arrayContaining(['TENANT_NOT_FOUND', 'REQUEST_NOT_FOUND', 'AUTHENTICATION_ERROR', 'DATABASE_ERROR']),
    );
    for (const description of [served, uiDocument]) {
      const anchors = anchorsOf(description);
      const missing = [...codes.keys()].filter((code) => !anchors.includes(`errors-${code}`));
      expect(missing, 'codes an envelope can emit without an anchor in the /docs description').toEqual([]);
      expect(anchors.length).toBe(new Set(anchors).size);
    }
  });

  it('says under each anchor which surfaces use the code and with which status', () => {
    for (const [code, surfaces] of emittableCodes()) {
      const section = served.split(`id="errors-${code}"`)[1]?.split('<h3')[0] ?? '';
      expect(section, code).toMatch(/HTTP \d{3} on /);
      for (const surface of surfaces)
        expect(section, `${code} on ${surface}`).toContain(surface.replace('leadgen', 'lead-gen'));
    }
  });

  it('serves the script that scrolls /docs to the anchor once Swagger UI has rendered it', async () => {
    const page = await t.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`theme/${ERROR_ANCHOR_SCRIPT_FILE}`);
    const script = await t.app.inject({ url: `/docs/static/theme/${ERROR_ANCHOR_SCRIPT_FILE}` });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('errors-');
  });

  it('links every real error body to an anchor that exists', async () => {
    const key = { 'x-api-key': tenant.apiKey };
    const json = { 'content-type': 'application/json' };
    const requests = [
      { method: 'GET', url: `/v1/tenants/${tenant.id}/requests` },
      { method: 'GET', url: `/v1/tenants/${tenant.id}/requests`, headers: { 'x-api-key': 'fd_live_nope' } },
      { method: 'GET', url: '/v1/tenants/no_such_tenant/requests', headers: t.adminHeaders },
      { method: 'GET', url: `/v1/tenants/${tenant.id}/requests/req_missing`, headers: key },
      { method: 'GET', url: `/v1/tenants/${tenant.id}/requests?start_date=2025-13-45`, headers: key },
      { method: 'GET', url: '/v1/tenants/another_tenant/requests', headers: key },
      { method: 'POST', url: '/v1/leads/webhook', headers: { ...key, ...json }, payload: '{"customer_email":' },
      { method: 'POST', url: '/v1/leads/webhook', headers: { ...key, 'content-type': 'text/plain' }, payload: 'hi' },
      {
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: { ...json, 'x-callrail-signature': `sha256=${'0'.repeat(64)}`, 'x-timestamp': '1' },
        payload: JSON.stringify({ call_id: 'CAL1', tenant_id: tenant.id }),
      },
      { method: 'GET', url: '/v1/exports/exp_1/download?expires=1&signature=00' },
      { method: 'DELETE', url: '/v1/auth/token' },
      { method: 'GET', url: '/v1/no-such-route' },
      { method: 'GET', url: '/api/v2/conversations' },
      { method: 'POST', url: '/api/qualify', headers: { ...key, ...json }, payload: '{}' },
      { method: 'GET', url: '/api/leads/lead_1' },
      { method: 'GET', url: '/v1/crm/nothing' },
    ] as const;
    const anchors = anchorsOf(served);
    const links: string[] = [];
    for (const r of requests) {
      const res = await t.app.inject(r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBeGreaterThanOrEqual(400);
      const found = documentationLinks(res.json());
      if (r.url.startsWith('/v1/') && !r.url.startsWith('/v1/crm'))
        expect(found, `${r.method} ${r.url}`).toHaveLength(1);
      links.push(...found);
    }
    expect(new Set(links.map((l) => l.split('#errors-')[1])).size).toBeGreaterThanOrEqual(8);
    for (const link of links) {
      const match = /^\/docs#(errors-[A-Z0-9_]+)$/.exec(link);
      expect(match, link).not.toBeNull();
      expect(anchors, link).toContain(match?.[1]);
    }
  });
});
