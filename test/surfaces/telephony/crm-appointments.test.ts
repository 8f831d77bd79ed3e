import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Appointment = Record<string, unknown> & { id: string };

describe.each(dialects)('spec C CRM appointments on $label', ({ dialect, skip }) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const crm = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey, 'x-owner-token': tenant.credentials.owner_token });
  let phone = 1000;
  const addCustomer = async (tenant: Tenant) => {
    phone += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers: crm(tenant),
      payload: { name: 'Ana Lopez', phone: `+1415555${phone}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const book = async (tenant: Tenant, body: Record<string, unknown>): Promise<Appointment> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers: crm(tenant),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const get = (tenant: Tenant, url: string) => t.app.inject({ method: 'GET', url, headers: crm(tenant) });

  it.skipIf(skip)('books an appointment for a customer and reads it back', async () => {
    const tenant = await t.createTenant();
    const customer = await addCustomer(tenant);
    const booked = await book(tenant, {
      customer_id: customer,
      start_time: '2025-06-03T08:00:00-07:00',
      service_type: 'water heater repair',
      is_emergency: true,
      estimated_value: 450,
      technician: 'Sam',
      tags: ['warranty'],
    });
    expect(booked).toMatchObject({
      business_id: tenant.id,
      customer_id: customer,
      conversation_id: null,
      source: 'crm',
      status: 'scheduled',
      start_time: '2025-06-03T15:00:00.000Z',
      is_emergency: true,
      estimated_value: 450,
      technician: 'Sam',
      tags: ['warranty'],
    });
    const res = await get(tenant, `/v1/crm/appointments/${booked.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(booked);
  });

  it.skipIf(skip)('changes status, emergency flag, value, tags, technician and start time', async () => {
    const tenant = await t.createTenant();
    const booked = await book(tenant, { customer_id: await addCustomer(tenant), start_time: '2025-06-03T15:00:00Z' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/crm/appointments/${booked.id}`,
      headers: { 'x-owner-token': tenant.credentials.owner_token },
      payload: {
        status: 'confirmed',
        is_emergency: true,
        estimated_value: 120.5,
        tags: ['repeat'],
        technician: 'Jo',
        start_time: '2025-06-04T09:30:00Z',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'confirmed',
      is_emergency: true,
      estimated_value: 120.5,
      tags: ['repeat'],
      technician: 'Jo',
      start_time: '2025-06-04T09:30:00.000Z',
    });
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/v1/crm/appointments/${booked.id}`,
      headers: crm(tenant),
      payload: { technician: null },
    });
    expect(cleared.json()).toMatchObject({ technician: null, status: 'confirmed' });
  });

  it.skipIf(skip)("filters the list, and lists a customer's own appointments", async () => {
    const tenant = await t.createTenant();
    const ana = await addCustomer(tenant);
    const bo = await addCustomer(tenant);
    const urgent = await book(tenant, { customer_id: ana, is_emergency: true, start_time: '2025-06-03T15:00:00Z' });
    const later = await book(tenant, { customer_id: ana, technician: 'Sam', start_time: '2025-07-01T15:00:00Z' });
    const other = await book(tenant, { customer_id: bo, status: 'completed' });
    const ids = async (url: string) => {
      const res = await get(tenant, url);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Appointment[]>().map((a) => a.id);
    };
    expect(await ids('/v1/crm/appointments')).toEqual([other.id, later.id, urgent.id]);
    expect(await ids('/v1/crm/appointments?is_emergency=true')).toEqual([urgent.id]);
    expect(await ids('/v1/crm/appointments?status=completed')).toEqual([other.id]);
    expect(await ids('/v1/crm/appointments?technician=Sam')).toEqual([later.id]);
    expect(await ids(`/v1/crm/appointments?customer_id=${bo}`)).toEqual([other.id]);
    expect(await ids('/v1/crm/appointments?start_from=2025-06-15T00:00:00Z')).toEqual([later.id]);
    expect(await ids(`/v1/crm/customers/${ana}/appointments`)).toEqual([later.id, urgent.id]);
    const page = await get(tenant, '/v1/crm/appointments?limit=1&offset=1');
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.json<Appointment[]>().map((a) => a.id)).toEqual([later.id]);
  });

  it.skipIf(skip)('answers 401, 403, 404 and 422 in spec C’s envelope', async () => {
    const tenant = await t.createTenant();
    const booked = await book(tenant, { customer_id: await addCustomer(tenant) });
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
      t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const cases: [Promise<{ statusCode: number; body: string }>, number][] = [
      [call('GET', '/v1/crm/appointments', {}), 401],
      [call('POST', '/v1/crm/appointments', { 'x-api-key': 'fd_live_nope' }, { customer_id: 'x' }), 401],
      [call('GET', `/v1/crm/appointments/${booked.id}`, t.adminHeaders), 403],
      [call('GET', '/v1/crm/appointments/appt_nope', crm(tenant)), 404],
      [call('GET', '/v1/crm/customers/contact_nope/appointments', crm(tenant)), 404],
      [call('POST', '/v1/crm/appointments', crm(tenant), { customer_id: 'contact_nope' }), 404],
      [call('PATCH', '/v1/crm/appointments/appt_nope', crm(tenant), { status: 'confirmed' }), 404],
      [call('POST', '/v1/crm/appointments', crm(tenant), {}), 422],
      [call('POST', '/v1/crm/appointments', crm(tenant), { customer_id: 'c', start_time: 'tomorrow' }), 422],
      [call('PATCH', `/v1/crm/appointments/${booked.id}`, crm(tenant), {}), 422],
      [call('PATCH', `/v1/crm/appointments/${booked.id}`, crm(tenant), { status: 'lost' }), 422],
      [call('GET', '/v1/crm/appointments?is_emergency=maybe', crm(tenant)), 422],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      expect(res.statusCode, res.body).toBe(status);
      expect(JSON.parse(res.body)).toHaveProperty('detail');
    }
  });

  describe.skipIf(skip)('tenant isolation', () => {
    const ownedAppointment = async (_t: TestApp, owner: Tenant) =>
      (await book(owner, { customer_id: await addCustomer(owner) })).id;
    const ownedCustomer = (_t: TestApp, owner: Tenant) => addCustomer(owner);
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/v1/crm/appointments/:object', createObject: ownedAppointment },
        {
          method: 'PATCH',
          path: '/v1/crm/appointments/:object',
          payload: { status: 'cancelled' },
          createObject: ownedAppointment,
        },
        { method: 'GET', path: '/v1/crm/customers/:object/appointments', createObject: ownedCustomer },
      ],
    );

    it.skipIf(skip)("cannot book on another tenant's customer nor list its appointments", async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const customer = await addCustomer(a);
      await book(a, { customer_id: customer });
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/crm/appointments',
        headers: crm(b),
        payload: { customer_id: customer },
      });
      expect(res.statusCode, res.body).toBe(404);
      expect((await get(b, '/v1/crm/appointments')).json()).toEqual([]);
      expect((await get(b, `/v1/crm/appointments?customer_id=${customer}`)).json()).toEqual([]);
    });
  });
});
