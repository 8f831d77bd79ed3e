import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

type Json = Record<string, unknown>;

describe.each(dialects)('spec C admin API on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: t.adminHeaders, ...(payload ? { payload } : {}) });
  let seq = 0;
  const createBusiness = async (body: Json = {}) => {
    seq += 1;
    const res = await admin('POST', '/v1/admin/businesses', { name: `Plumbing ${seq}`, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ business: { id: string }; api_key: string; widget_token: string; owner_token: string }>();
  };
  const crmStatus = async (headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/v1/crm/customers', headers })).statusCode;

  it.skipIf(skip)('creates a business whose API key and owner token open the CRM, and lists it', async () => {
    const created = await createBusiness({ business_id: `acme-${dialect}`, timezone: 'America/Denver' });
    expect(created.business).toMatchObject({ id: `acme-${dialect}`, timezone: 'America/Denver', status: 'active' });
    expect(await crmStatus({ 'x-api-key': created.api_key, 'x-owner-token': created.owner_token })).toBe(200);
    const list = await admin('GET', '/v1/admin/businesses?limit=200');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ id: string }[]>().map((b) => b.id)).toContain(`acme-${dialect}`);
    expect(Number(list.headers['x-total-count'])).toBeGreaterThanOrEqual(1);
    const again = await admin('POST', '/v1/admin/businesses', { name: 'Again', business_id: `acme-${dialect}` });
    expect(again.statusCode, again.body).toBe(409);
  });

  it.skipIf(skip)('changes a business; a suspended one is refused on the CRM', async () => {
    const created = await createBusiness();
    const res = await admin('PATCH', `/v1/admin/businesses/${created.business.id}`, {
      name: 'Renamed',
      status: 'suspended',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Renamed', status: 'suspended' });
    expect(await crmStatus({ 'x-api-key': created.api_key })).toBe(403);
  });

  it.skipIf(skip)('rotates the API key and the widget token, refusing the old values at once', async () => {
    const created = await createBusiness();
    const id = created.business.id;
    const key = await admin('POST', `/v1/admin/businesses/${id}/rotate-key`);
    expect(key.statusCode, key.body).toBe(200);
    const { api_key } = key.json<{ api_key: string }>();
    expect(api_key).not.toBe(created.api_key);
    expect(await crmStatus({ 'x-api-key': created.api_key })).toBe(401);
    expect(await crmStatus({ 'x-api-key': api_key })).toBe(200);

    const widget = await admin('POST', `/v1/admin/businesses/${id}/rotate-widget-token`);
    expect(widget.statusCode, widget.body).toBe(200);
    const { widget_token } = widget.json<{ widget_token: string; business_id: string }>();
    expect(widget_token).not.toBe(created.widget_token);
    // The CRM refuses any widget token as a credential kind (403); an unknown one is not authenticated at all (401).
    expect(await crmStatus({ 'x-widget-token': created.widget_token })).toBe(401);
    expect(await crmStatus({ 'x-widget-token': widget_token })).toBe(403);
  });

  it.skipIf(skip)('creates a demo business with customers and appointments, counted in the usage report', async () => {
    const res = await admin('POST', '/v1/admin/demo-tenants', {});
    expect(res.statusCode, res.body).toBe(201);
    const demo = res.json<{ business: { id: string; name: string }; api_key: string }>();
    expect(res.json()).toMatchObject({ customers: 3, appointments: 3, business: { name: 'Demo Home Services' } });
    const customers = await t.app.inject({
      method: 'GET',
      url: '/v1/crm/customers',
      headers: { 'x-api-key': demo.api_key },
    });
    expect(customers.json()).toHaveLength(3);

    const usage = await admin('GET', '/v1/admin/businesses/usage');
    expect(usage.statusCode, usage.body).toBe(200);
    const row = usage.json<Json[]>().find((r) => r.business_id === demo.business.id);
    expect(row).toMatchObject({
      appointments: 3,
      emergencies: 1,
      service_mix: { 'water heater repair': 2, 'drain cleaning': 1 },
      period: new Date().toISOString().slice(0, 7),
    });
    expect(row?.api_calls).toBeGreaterThanOrEqual(1);

    const csv = await admin('GET', '/v1/admin/businesses/usage.csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'business_id,name,status,period,api_calls,sms_messages,conversations,appointments,emergencies,service_mix',
    );
    const line = lines.find((l) => l.startsWith(`${demo.business.id},`));
    expect(line).toMatch(/,3,1,water heater repair:2;drain cleaning:1$|,3,1,drain cleaning:1;water heater repair:2$/);
  });

  it.skipIf(skip)('refuses tenant credentials and anonymous callers, validates input and answers 404', async () => {
    const created = await createBusiness();
    const id = created.business.id;
    const as = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const tenantKey = { 'x-api-key': created.api_key };
    const owner = { 'x-owner-token': created.owner_token };
    const cases: [Promise<{ statusCode: number; body: string }>, number][] = [
      [as({}, 'GET', '/v1/admin/businesses'), 401],
      [as({ 'x-admin-api-key': 'wrong' }, 'GET', '/v1/admin/businesses'), 401],
      [as(tenantKey, 'GET', '/v1/admin/businesses'), 403],
      [as(owner, 'POST', `/v1/admin/businesses/${id}/rotate-key`), 403],
      [as(tenantKey, 'GET', '/v1/admin/businesses/usage'), 403],
      [as(owner, 'GET', '/v1/admin/businesses/usage.csv'), 403],
      [as(tenantKey, 'POST', '/v1/admin/demo-tenants', {}), 403],
      [as(tenantKey, 'PATCH', `/v1/admin/businesses/${id}`, { name: 'x' }), 403],
      [admin('POST', '/v1/admin/businesses', {}), 422],
      [admin('POST', '/v1/admin/businesses', { name: 'x', business_id: 'bad id!' }), 422],
      [admin('PATCH', `/v1/admin/businesses/${id}`, {}), 422],
      [admin('PATCH', `/v1/admin/businesses/${id}`, { status: 'gone' }), 422],
      [admin('GET', '/v1/admin/businesses/usage?period=2025-13'), 422],
      [admin('PATCH', '/v1/admin/businesses/nope', { name: 'x' }), 404],
      [admin('POST', '/v1/admin/businesses/nope/rotate-key'), 404],
      [admin('POST', '/v1/admin/businesses/nope/rotate-widget-token'), 404],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      expect(res.statusCode, res.body).toBe(status);
      expect(JSON.parse(res.body)).toHaveProperty('detail');
    }
    expect(await crmStatus({ 'x-api-key': created.api_key })).toBe(200);
  });
});
