import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

describe.each(dialects)('web app appointments on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const get = async (browser: Browser, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const post = async (browser: Browser, url: string, payload: object = {}) => {
    const res = await t.app.inject({ method: 'POST', url, headers: browser.write, payload });
    return { status: res.statusCode, body: res.json<Body>() };
  };
  const crm = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey, 'x-owner-token': tenant.credentials.owner_token });
  let phone = 2000;
  /** Books through spec C's CRM route, as a dispatcher's tool would. */
  const book = async (tenant: Tenant, body: Record<string, unknown>): Promise<string> => {
    phone += 1;
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers: crm(tenant),
      payload: { name: 'Ana Lopez', phone: `+1415555${phone}` },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers: crm(tenant),
      payload: { customer_id: customer.json<{ id: string }>().id, ...body },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  /** A request a chat collected, recorded through the appointments door as a conversation's turn does. */
  const requested = async (tenantId: string, window: { start: string | null; end: string | null }) => {
    const conversationId = await seedConversation(t.deps.database.db, tenantId, {
      messages: [{ sender: 'customer', text: 'Can you come round?' }],
    });
    const id = newId('appt');
    const at = new Date().toISOString();
    await t.deps.database.db.transaction().execute((tx) =>
      t.deps.services.appointments.requestIn(tx, tenantId, {
        id,
        conversationId,
        contactId: null,
        leadId: null,
        preferredTime: 'Tuesday morning',
        requestedStart: window.start,
        requestedEnd: window.end,
        fields: { name: 'Bo Chen', phone: '+14155550199', service: 'boiler service' },
        status: 'requested',
        createdAt: at,
        updatedAt: at,
      }),
    );
    return { id, conversationId };
  };
  const ownerOf = async (tenant: Tenant, email: string) =>
    (await signedInUser(t, tenant.id, { email, role: 'owner' })).browser;
  const ids = (list: Body[]) => list.map((a) => a.id);

  it.skipIf(skip)('places appointments on the dates of the tenant’s time zone, booked and requested', async () => {
    const tenant = await t.createTenant({ timezone: 'America/Los_Angeles' });
    const owner = await ownerOf(tenant, 'olga@tz.example');
    // 23:30 on the 4th and 00:30 on the 5th in Los Angeles, both on the 5th in UTC.
    const late = await book(tenant, { start_time: '2030-03-05T07:30:00Z', service_type: 'leak' });
    const early = await book(tenant, { start_time: '2030-03-05T08:30:00Z' });
    const chat = await requested(tenant.id, { start: '2030-03-05T09:00:00-08:00', end: '2030-03-05T12:00:00-08:00' });
    const untimed = await requested(tenant.id, { start: null, end: null });

    const fourth = await get(owner, '/app/api/appointments?from=2030-03-04&to=2030-03-04');
    expect(fourth.status, JSON.stringify(fourth.body)).toBe(200);
    expect(fourth.body.data.timezone).toBe('America/Los_Angeles');
    expect(ids(fourth.body.data.appointments)).toEqual([late]);
    expect(fourth.body.data.appointments[0]).toMatchObject({
      kind: 'booked',
      status: 'scheduled',
      start: '2030-03-05T07:30:00.000Z',
      service: 'leak',
      contact: { name: 'Ana Lopez' },
      conversation_id: null,
    });

    const fifth = await get(owner, '/app/api/appointments?from=2030-03-05&to=2030-03-05');
    expect(ids(fifth.body.data.appointments)).toEqual([early, chat.id]);
    expect(fifth.body.data.appointments[1]).toMatchObject({
      kind: 'requested',
      status: 'requested',
      start: '2030-03-05T17:00:00.000Z',
      end: '2030-03-05T20:00:00.000Z',
      service: 'boiler service',
      contact: { name: 'Bo Chen', phone: '+14155550199' },
      conversation_id: chat.conversationId,
    });
    expect(ids(fifth.body.data.untimed)).toEqual([untimed.id]);

    const week = await get(owner, '/app/api/appointments?from=2030-03-02&to=2030-03-08&status=scheduled');
    expect(ids(week.body.data.appointments)).toEqual([late, early]);
    expect(week.body.data.untimed).toEqual([]);

    const reversed = await get(owner, '/app/api/appointments?from=2030-03-08&to=2030-03-02');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.fields[0].field).toBe('to');
    expect((await get(owner, '/app/api/appointments?from=2030-03-01&to=2030-05-01')).status).toBe(400);
    expect((await get(owner, '/app/api/appointments?from=March&to=2030-03-02')).status).toBe(400);
  });

  it.skipIf(skip)('confirms, reschedules and cancels, and refuses what the status does not allow', async () => {
    const tenant = await t.createTenant({ timezone: 'America/Los_Angeles' });
    const owner = await ownerOf(tenant, 'olga@actions.example');
    const id = await book(tenant, { start_time: '2030-04-01T16:00:00Z', end_time: '2030-04-01T17:30:00Z' });

    const confirmed = await post(owner, `/app/api/appointments/${id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.data).toMatchObject({ id, status: 'confirmed', kind: 'booked' });
    const again = await post(owner, `/app/api/appointments/${id}/confirm`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already confirmed/);

    const moved = await post(owner, `/app/api/appointments/${id}/reschedule`, { start: '2030-04-02T09:00:00-07:00' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data).toMatchObject({
      status: 'scheduled',
      start: '2030-04-02T16:00:00.000Z',
      end: '2030-04-02T17:30:00.000Z',
    });
    const past = await post(owner, `/app/api/appointments/${id}/reschedule`, { start: '2020-01-01T09:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.fields).toEqual([expect.objectContaining({ field: 'start' })]);
    expect((await post(owner, `/app/api/appointments/${id}/reschedule`, { start: 'tomorrow' })).status).toBe(400);

    const cancelled = await post(owner, `/app/api/appointments/${id}/cancel`, { reason: 'Fixed it themselves' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancel_reason: 'Fixed it themselves' });
    for (const [action, body] of [
      ['confirm', {}],
      ['reschedule', { start: '2030-04-03T09:00:00Z' }],
      ['cancel', {}],
    ] as const) {
      const refused = await post(owner, `/app/api/appointments/${id}/${action}`, body);
      expect(refused.status, action).toBe(409);
      expect(refused.body.error.code).toBe('CONFLICT');
      expect(refused.body.error.message).toMatch(/cancelled/);
    }
    const crmView = await t.app.inject({ method: 'GET', url: `/v1/crm/appointments/${id}`, headers: crm(tenant) });
    expect(crmView.json<Body>().status).toBe('cancelled');
  });

  it.skipIf(skip)(
    'confirms a request at the exact time asked, and asks for a time when only a window was',
    async () => {
      const tenant = await t.createTenant({ timezone: 'Europe/London' });
      const owner = await ownerOf(tenant, 'olga@requests.example');
      const exact = await requested(tenant.id, { start: '2030-06-10T14:00:00+01:00', end: null });
      const window = await requested(tenant.id, {
        start: '2030-06-10T09:00:00+01:00',
        end: '2030-06-10T12:00:00+01:00',
      });

      const confirmed = await post(owner, `/app/api/appointments/${exact.id}/confirm`);
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body.data).toMatchObject({
        status: 'confirmed',
        kind: 'booked',
        start: '2030-06-10T13:00:00.000Z',
      });

      const vague = await post(owner, `/app/api/appointments/${window.id}/confirm`);
      expect(vague.status).toBe(409);
      expect(vague.body.error.message).toMatch(/no exact time/);
      const booked = await post(owner, `/app/api/appointments/${window.id}/reschedule`, {
        start: '2030-06-10T10:00:00+01:00',
      });
      expect(booked.body.data).toMatchObject({ status: 'scheduled', kind: 'booked', end: null });
      expect((await post(owner, `/app/api/appointments/${window.id}/confirm`)).status).toBe(200);
    },
  );

  it.skipIf(skip)(
    'lets a viewer read but not act, a developer not read, and keeps each tenant to its own appointments',
    async () => {
      const mine = await t.createTenant();
      const theirs = await t.createTenant();
      const id = await book(mine, { start_time: '2030-05-01T10:00:00Z' });
      const viewer = (await signedInUser(t, mine.id, { email: 'vic@mine.example', role: 'viewer' })).browser;
      const agent = (await signedInUser(t, mine.id, { email: 'sam@mine.example', role: 'agent' })).browser;
      const stranger = await ownerOf(theirs, 'olga@theirs.example');

      const developer = (await signedInUser(t, mine.id, { email: 'dev@mine.example', role: 'developer' })).browser;
      expect((await get(developer, '/app/api/appointments?from=2030-05-01&to=2030-05-01')).status).toBe(403);
      const seen = await get(viewer, '/app/api/appointments?from=2030-05-01&to=2030-05-01');
      expect(ids(seen.body.data.appointments)).toEqual([id]);
      for (const [action, body] of [
        ['confirm', {}],
        ['reschedule', { start: '2030-05-02T10:00:00Z' }],
        ['cancel', {}],
      ] as const) {
        const refused = await post(viewer, `/app/api/appointments/${id}/${action}`, body);
        expect(refused.status, action).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
        const hidden = await post(stranger, `/app/api/appointments/${id}/${action}`, body);
        expect(hidden.status, action).toBe(404);
      }
      expect(
        (await get(stranger, '/app/api/appointments?from=2030-05-01&to=2030-05-01')).body.data.appointments,
      ).toEqual([]);
      expect((await post(agent, `/app/api/appointments/${id}/confirm`)).status).toBe(200);
      const unsigned = await t.app.inject({
        method: 'GET',
        url: '/app/api/appointments?from=2030-05-01&to=2030-05-01',
      });
      expect(unsigned.statusCode).toBe(401);
    },
  );
});
