import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every list route's query string is validated by its schema: random strings in any query
 * parameter get the surface's 4xx, never a 5xx. The routes and their parameters are read from the
 * OpenAPI document the app serves, so a route added later is covered without touching this test.
 */

interface Parameter {
  name: string;
  in: string;
}
interface Operation {
  parameters?: Parameter[];
}

/** Deterministic, so a failure names the same input on every run. */
function randomStrings(seed: number, count: number): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  const alphabet = 'aZ09-_.:/%+ ~!@#$^&*()[]{}<>?=,;\'"\\|`éü漢\u0000\u200b';
  const fixed = [
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    '2025-13-45',
    '9999-99-99T99:99:99Z',
    'null',
    '[]',
    '{}',
    'a'.repeat(5000),
  ];
  const random = Array.from({ length: count }, () =>
    Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]).join(''),
  );
  return [...fixed, ...random];
}

describe('query strings of every GET route with query parameters', () => {
  let t: TestApp;
  let routes: Array<{ path: string; query: string[] }> = [];
  let tenant: Awaited<ReturnType<TestApp['createTenant']>>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant({ plan: 'enterprise', configuration: { rate_limits: { multiplier: 1000 } } });
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get?: Operation }> }>();
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const query = (ops.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      return query.length > 0 ? [{ path, query }] : [];
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the list routes in the OpenAPI document', () => {
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/v1/tenants/{tenant_id}/requests', '/api/v2/conversations', '/api/analytics']),
    );
  });

  it('answers random query values with no 5xx, as the tenant and as the admin', async () => {
    const failures: string[] = [];
    const seen = new Set<number>();
    const values = randomStrings(7, 12);
    for (const { path, query } of routes) {
      const url = path.replace(/\{tenant_id\}|\{id\}/g, tenant.id).replace(/\{[^}]+\}/g, 'x_unknown');
      for (const name of query) {
        for (const value of values) {
          for (const headers of [
            { 'x-api-key': tenant.apiKey, 'x-tenant-id': tenant.id },
            { ...t.adminHeaders, 'x-tenant-id': tenant.id },
          ]) {
            const res = await t.app.inject({ method: 'GET', url, query: { [name]: value }, headers });
            seen.add(res.statusCode);
            if (res.statusCode >= 500) failures.push(`${res.statusCode} ${url}?${name}=${JSON.stringify(value)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The inputs reached the routes: some were taken, some refused by the schemas.
    expect(seen.has(200)).toBe(true);
    expect([...seen].some((s) => s === 400 || s === 422)).toBe(true);
  }, 180_000);
});
