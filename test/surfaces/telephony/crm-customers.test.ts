import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

describe.each(dialects)('spec C CRM customers on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const crm = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey, 'x-owner-token': tenant.credentials.owner_token });
  const addCustomer = async (tenant: Tenant, body: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/crm/customers', headers: crm(tenant), payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; phone: string }>();
  };

  it.skipIf(skip)('creates a customer with a normalised phone, and the same phone is the same customer', async () => {
    const tenant = await t.createTenant();
    const first = await addCustomer(tenant, {
      name: 'Ana Lopez',
      phone: '(415) 555-0100',
      address: '12 Oak St',
      tags: ['vip'],
    });
    expect(first).toMatchObject({
      business_id: tenant.id,
      name: 'Ana Lopez',
      phone: '+14155550100',
      address: '12 Oak St',
      tags: ['vip'],
    });
    const again = await addCustomer(tenant, { name: 'Ana', phone: '415-555-0100', email: 'ana@example.com' });
    expect(again).toMatchObject({ id: first.id, email: 'ana@example.com', address: '12 Oak St' });

    const res = await t.app.inject({ method: 'GET', url: `/v1/crm/customers/${first.id}`, headers: crm(tenant) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: first.id, phone: '+14155550100' });
  });

  it.skipIf(skip)('lists customers newest first, a page at a time, with the total in X-Total-Count', async () => {
    const tenant = await t.createTenant();
    for (const n of [1, 2, 3]) await addCustomer(tenant, { name: `Person ${n}`, phone: `+1415555020${n}` });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/crm/customers?limit=2&offset=0',
      headers: { 'x-owner-token': tenant.credentials.owner_token },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.json<{ name: string }[]>().map((c) => c.name)).toEqual(['Person 3', 'Person 2']);
    const rest = await t.app.inject({ method: 'GET', url: '/v1/crm/customers?limit=2&offset=2', headers: crm(tenant) });
    expect(rest.json<{ name: string }[]>().map((c) => c.name)).toEqual(['Person 1']);
  });

  it.skipIf(skip)('searches by part of a name in any case and by a phone written any way', async () => {
    const tenant = await t.createTenant();
    const ana = await addCustomer(tenant, { name: 'Ana Lopez', phone: '+14155550300' });
    await addCustomer(tenant, { name: 'Bo 100%_off', phone: '+14155550301' });
    const search = async (q: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/crm/customers/search?q=${encodeURIComponent(q)}`,
        headers: crm(tenant),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ id: string; name: string }[]>().map((c) => c.name);
    };
    expect(await search('lopez')).toEqual(['Ana Lopez']);
    expect(await search('(415) 555-0300')).toEqual(['Ana Lopez']);
    expect(await search('%_')).toEqual(['Bo 100%_off']);
    expect(await search('nobody')).toEqual([]);
    expect(ana.phone).toBe('+14155550300');
  });

  it.skipIf(skip)('refuses anonymous callers, unknown keys, the admin key and a mismatched X-Business-ID', async () => {
    const tenant = await t.createTenant();
    const other = await t.createTenant();
    const cases: [Record<string, string>, number][] = [
      [{}, 401],
      [{ 'x-api-key': 'fd_live_nope' }, 401],
      [{ 'x-owner-token': 'fd_ot_nope' }, 401],
      [t.adminHeaders, 403],
      [{ 'x-widget-token': tenant.credentials.widget_token }, 403],
      [{ 'x-api-key': tenant.apiKey, 'x-owner-token': other.credentials.owner_token }, 403],
      [{ ...crm(tenant), 'x-business-id': other.id }, 403],
    ];
    for (const [headers, status] of cases) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/crm/customers', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(status);
      expect(res.json()).toEqual({ detail: expect.any(String), request_id: expect.any(String) });
    }
    const named = await t.app.inject({
      method: 'GET',
      url: '/v1/crm/customers',
      headers: { ...crm(tenant), 'x-business-id': tenant.id },
    });
    expect(named.statusCode, named.body).toBe(200);
  });

  it.skipIf(skip)(
    'answers 422 in FastAPI shape for bad input, 415 for a body that is not JSON and 404 for an unknown customer',
    async () => {
      const tenant = await t.createTenant();
      const cases: [string, string, Record<string, unknown> | undefined, string[]][] = [
        ['POST', '/v1/crm/customers', { phone: '+14155550400' }, ['body', 'name']],
        ['POST', '/v1/crm/customers', { name: 'No Phone', phone: 'abc' }, ['body', 'phone']],
        ['GET', '/v1/crm/customers?limit=0', undefined, ['query', 'limit']],
        ['GET', '/v1/crm/customers/search', undefined, ['query', 'q']],
      ];
      for (const [method, url, payload, loc] of cases) {
        const res = await t.app.inject({
          method: method as 'GET' | 'POST',
          url,
          headers: crm(tenant),
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(422);
        expect(res.json().detail[0].loc).toEqual(loc);
      }
      const notJson = await t.app.inject({
        method: 'POST',
        url: '/v1/crm/customers',
        headers: { ...crm(tenant), 'content-type': 'text/plain' },
        payload: 'name=Ana',
      });
      expect(notJson.statusCode, notJson.body).toBe(415);
      expect(notJson.json()).toEqual({ detail: expect.any(String), request_id: expect.any(String) });
      const missing = await t.app.inject({
        method: 'GET',
        url: '/v1/crm/customers/contact_nope',
        headers: crm(tenant),
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: expect.stringContaining('not found'), request_id: expect.any(String) });
    },
  );

  describe.skipIf(skip)('tenant isolation', () => {
    const ownedCustomer = async (_t: TestApp, owner: Tenant) =>
      (await addCustomer(owner, { name: 'Owned', phone: '+14155550500' })).id;
    itIsolatesTenants(() => t, [{ method: 'GET', path: '/v1/crm/customers/:object', createObject: ownedCustomer }]);

    it.skipIf(skip)("lists and searches only the tenant's own customers", async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      await addCustomer(a, { name: 'Secret Person', phone: '+14155550600' });
      const list = await t.app.inject({ method: 'GET', url: '/v1/crm/customers', headers: crm(b) });
      expect(list.json()).toEqual([]);
      for (const q of ['Secret', '+14155550600']) {
        const res = await t.app.inject({ method: 'GET', url: `/v1/crm/customers/search?q=${q}`, headers: crm(b) });
        expect(res.json()).toEqual([]);
      }
    });
  });
});
