import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/ids.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';

const HOUR = 3_600_000;

interface Business {
  id: string;
  headers: Record<string, string>;
}

describe.each(dialects)('spec C owner customer figures and lists on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: Business;
  let b: Business;
  let ana: string;
  let ben: string;
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR).toISOString();

  const business = async (suffix: string): Promise<Business> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/businesses',
      headers: t.adminHeaders,
      payload: { name: `People ${suffix}`, business_id: `people-${suffix}-${dialect}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ business: { id: string }; owner_token: string }>();
    return { id: body.business.id, headers: { 'x-owner-token': body.owner_token } };
  };
  const call = (owner: Business, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
  const get = async <T>(owner: Business, url: string): Promise<T> => {
    const res = await call(owner, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const customer = async (owner: Business, name: string, phone: string, address: string) => {
    const res = await call(owner, 'POST', '/v1/crm/customers', { name, phone, address });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const book = async (owner: Business, body: Record<string, unknown>, status?: string) => {
    const res = await call(owner, 'POST', '/v1/crm/appointments', body);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    if (status) expect((await call(owner, 'PATCH', `/v1/crm/appointments/${id}`, { status })).statusCode).toBe(200);
    return id;
  };
  const db = () => t.db.database.db;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    a = await business('a');
    b = await business('b');
    ana = await customer(a, 'Ana', '+14155550101', '12 Oak St, Springfield, IL 62704');
    ben = await customer(a, 'Ben', '+14155550102', '9 Elm Rd, Shelbyville');
    await book(a, { customer_id: ana, service_type: 'furnace', estimated_value: 300 }, 'completed');
    await book(a, { customer_id: ben, service_type: 'furnace', estimated_value: 100 }, 'cancelled');
    await book(a, { customer_id: ben, service_type: 'drain', is_emergency: true }, 'reschedule_requested');
    // Ben had a follow-up an hour ago: his bookings above came after it.
    await db()
      .insertInto('reminder_sends')
      .values({
        tenant_id: a.id,
        kind: 'followup',
        subject_id: newId('conv'),
        contact_id: ben,
        message_id: null,
        created_at: ago(1),
      })
      .execute();
    await db()
      .insertInto('reminder_sends')
      .values({
        tenant_id: a.id,
        kind: 'retention',
        subject_id: ana,
        contact_id: ana,
        message_id: null,
        created_at: ago(1),
      })
      .execute();
    // Ben's retention message comes after his bookings, so it brought nothing back.
    await db()
      .insertInto('reminder_sends')
      .values({
        tenant_id: a.id,
        kind: 'retention',
        subject_id: ben,
        contact_id: ben,
        message_id: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    // A flagged widget chat, a voice call that ended with a promised callback, an SMS handed to a person.
    const widget = await seedConversation(db(), a.id, {
      channel: 'widget',
      createdAt: ago(3),
      contact: { phone: '+14155550103' },
    });
    const qa = await call(a, 'PATCH', `/v1/crm/conversations/${widget}/qa`, { flags: ['rude'], outcome: 'negative' });
    expect(qa.statusCode, qa.body).toBe(200);
    await seedConversation(db(), a.id, {
      channel: 'voice',
      createdAt: ago(2),
      state: { conversation_stage: 'completed', collected: { name: 'Cara', phone: '+14155550104' } },
      contact: { phone: '+14155550104' },
    });
    await seedConversation(db(), a.id, { channel: 'sms', status: 'waiting_agent', createdAt: ago(4) });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('counts customers across channels: new, repeat, per channel, and the top ones', async () => {
    const figures = await get<Record<string, unknown>>(a, '/v1/owner/customers/analytics?days=7');
    expect(figures).toMatchObject({
      business_id: a.id,
      days: 7,
      customers: 4,
      new_customers: 4,
      returning_customers: 0,
    });
    expect(figures.repeat_customers).toBe(1);
    expect(figures.by_channel).toEqual([
      { channel: 'crm', customers: 2 },
      { channel: 'voice', customers: 1 },
      { channel: 'widget', customers: 1 },
    ]);
    expect((figures.top_customers as unknown[])[0]).toEqual({
      customer_id: ben,
      name: 'Ben',
      appointments: 2,
      estimated_value: 100,
    });
  });

  it.skipIf(skip)('prices each service: completed, cancelled, emergencies, known and average value', async () => {
    const { items } = await get<{ items: Record<string, unknown>[] }>(a, '/v1/owner/service-economics');
    expect(items).toEqual([
      {
        service_type: 'furnace',
        appointments: 2,
        completed: 1,
        cancelled: 1,
        emergencies: 0,
        estimated_value: 400,
        completed_value: 300,
        average_value: 200,
        completion_rate: 0.5,
      },
      {
        service_type: 'drain',
        appointments: 1,
        completed: 0,
        cancelled: 0,
        emergencies: 1,
        estimated_value: 0,
        completed_value: 0,
        average_value: null,
        completion_rate: 0,
      },
    ]);
  });

  it.skipIf(skip)("groups appointments by the customer's ZIP code, else town", async () => {
    const { items } = await get<{ items: unknown[] }>(a, '/v1/owner/neighborhoods');
    expect(items).toEqual([
      { neighborhood: 'shelbyville', appointments: 2, customers: 1, emergencies: 1, estimated_value: 100 },
      { neighborhood: '62704', appointments: 1, customers: 1, emergencies: 0, estimated_value: 300 },
    ]);
  });

  it.skipIf(skip)('counts follow-ups and retention messages and who booked after them', async () => {
    expect(await get(a, '/v1/owner/followups')).toMatchObject({
      messages_sent: 1,
      customers_messaged: 1,
      customers_booked_after: 1,
      booking_rate: 1,
      awaiting_followup: 2,
    });
    expect(await get(a, '/v1/owner/retention?days=90')).toMatchObject({
      days: 90,
      messages_sent: 2,
      customers_messaged: 2,
      customers_booked_after: 1,
      booking_rate: 0.5,
    });
  });

  it.skipIf(skip)('lists conversations to review with their reasons, newest first', async () => {
    const { items } = await get<{ items: Record<string, unknown>[] }>(a, '/v1/owner/conversations/review');
    expect(items.map((c) => [c.channel, c.reasons])).toEqual([
      ['widget', ['flagged', 'negative_outcome']],
      ['sms', ['handoff']],
    ]);
    expect(items[0]).toMatchObject({ flags: ['rude'], outcome: 'negative' });
    expect((await get<{ items: unknown[] }>(a, '/v1/owner/conversations/review?limit=1')).items).toHaveLength(1);
  });

  it.skipIf(skip)('lists reschedule requests and requested callbacks', async () => {
    const reschedules = await get<{ items: Record<string, unknown>[] }>(a, '/v1/owner/reschedules');
    expect(reschedules.items).toHaveLength(1);
    expect(reschedules.items[0]).toMatchObject({
      customer_id: ben,
      status: 'reschedule_requested',
      service_type: 'drain',
    });
    const callbacks = await get<{ items: Record<string, unknown>[] }>(a, '/v1/owner/callbacks');
    expect(callbacks.items).toHaveLength(1);
    expect(callbacks.items[0]).toMatchObject({ channel: 'voice', name: 'Cara', phone: '+14155550104', open: true });
  });

  it.skipIf(skip)('exports the conversations of every channel as CSV', async () => {
    const res = await call(a, 'GET', '/v1/owner/export/conversations.csv?days=7');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,channel,status,customer_id,lead_id,message_count,last_message_at,sentiment,qa_outcome,qa_flags,summary',
    );
    expect(lines.slice(1, -1).map((l) => l.split(',')[2])).toEqual(['voice', 'widget', 'sms']);
    expect(lines[2]).toContain(',negative,rude,');
  });

  it.skipIf(skip)('refuses a bad days or limit', async () => {
    expect((await call(a, 'GET', '/v1/owner/customers/analytics?days=0')).statusCode).toBe(422);
    expect((await call(a, 'GET', '/v1/owner/callbacks?limit=501')).statusCode).toBe(422);
    expect((await call(a, 'GET', '/v1/owner/reschedules?limit=x')).statusCode).toBe(422);
    expect((await call(a, 'GET', '/v1/owner/export/conversations.csv?days=366')).statusCode).toBe(422);
  });

  it.skipIf(skip)("shows tenant B's owner none of A's customers, conversations or appointments", async () => {
    expect(await get(b, '/v1/owner/customers/analytics')).toMatchObject({
      customers: 0,
      by_channel: [],
      top_customers: [],
    });
    expect(await get(b, '/v1/owner/service-economics')).toMatchObject({ items: [] });
    expect(await get(b, '/v1/owner/neighborhoods')).toMatchObject({ items: [] });
    expect(await get(b, '/v1/owner/followups')).toMatchObject({ messages_sent: 0, awaiting_followup: 0 });
    expect(await get(b, '/v1/owner/retention')).toMatchObject({ messages_sent: 0 });
    expect(await get(b, '/v1/owner/conversations/review')).toMatchObject({ items: [] });
    expect(await get(b, '/v1/owner/reschedules')).toMatchObject({ business_id: b.id, items: [] });
    expect(await get(b, '/v1/owner/callbacks')).toMatchObject({ items: [] });
    expect((await call(b, 'GET', '/v1/owner/export/conversations.csv')).body.split('\r\n')).toHaveLength(2);
  });

  it.skipIf(skip)('refuses anonymous callers', async () => {
    for (const url of ['/v1/owner/customers/analytics', '/v1/owner/reschedules', '/v1/owner/export/conversations.csv'])
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});
