import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/ids.js';
import { zonedDay } from '../../../src/lib/zoned-day.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';

const ZONE = 'Pacific/Auckland';
const HOUR = 3_600_000;

interface Business {
  id: string;
  headers: Record<string, string>;
}

describe.each(dialects)('spec C owner dashboard on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: Business;
  let b: Business;
  let phone = 2000;
  const now = new Date();
  const tomorrow = zonedDay(now, ZONE, 1);
  const today = zonedDay(now, ZONE, 0);
  const at = (day: { start: Date }, hours: number) => new Date(day.start.getTime() + hours * HOUR).toISOString();

  const business = async (suffix: string): Promise<Business> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/businesses',
      headers: t.adminHeaders,
      payload: { name: `Owner ${suffix}`, business_id: `owner-${suffix}-${dialect}`, timezone: ZONE },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ business: { id: string }; owner_token: string }>();
    return { id: body.business.id, headers: { 'x-owner-token': body.owner_token } };
  };
  const call = (owner: Business, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
  const get = async <T>(owner: Business, url: string): Promise<T> => {
    const res = await call(owner, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const book = async (owner: Business, body: Record<string, unknown>) => {
    phone += 1;
    const customer = await call(owner, 'POST', '/v1/crm/customers', { name: 'Ana', phone: `+1415555${phone}` });
    const res = await call(owner, 'POST', '/v1/crm/appointments', {
      customer_id: customer.json<{ id: string }>().id,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  /** A conversation started an hour ago that asked for an appointment 30 minutes later. */
  const requestedInChat = async (tenantId: string, status: string) => {
    const started = new Date(now.getTime() - HOUR).toISOString();
    phone += 1;
    const conversationId = await seedConversation(t.db.database.db, tenantId, {
      channel: 'sms',
      createdAt: started,
      contact: { phone: `+1415555${phone}` },
    });
    await t.db.database.db
      .insertInto('appointment_requests')
      .values({
        id: newId('appt'),
        tenant_id: tenantId,
        conversation_id: conversationId,
        contact_id: null,
        lead_id: null,
        preferred_time: null,
        requested_start: null,
        requested_end: null,
        fields: '{}',
        status,
        service_type: 'drain cleaning',
        created_at: new Date(Date.parse(started) + 30 * 60_000).toISOString(),
        updated_at: started,
      })
      .execute();
    return conversationId;
  };

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    a = await business('a');
    b = await business('b');
    await book(a, {
      start_time: at(tomorrow, 9),
      service_type: 'water heater',
      is_emergency: true,
      estimated_value: 400,
    });
    await book(a, { start_time: at(tomorrow, 14), service_type: 'water heater', estimated_value: 100 });
    await book(a, { start_time: at(today, 11), service_type: 'furnace', technician: 'Sam' });
    await requestedInChat(a.id, 'scheduled');
    // A test-mode appointment and conversation: seen by nobody's figures.
    const testId = await book(a, { start_time: at(tomorrow, 10), service_type: 'test only' });
    await t.db.database.db.updateTable('appointment_requests').set({ livemode: 0 }).where('id', '=', testId).execute();
    const testConversation = await requestedInChat(a.id, 'requested');
    await t.db.database.db
      .updateTable('appointment_requests')
      .set({ livemode: 0 })
      .where('conversation_id', '=', testConversation)
      .execute();
    await t.db.database.db
      .updateTable('conversations')
      .set({ livemode: 0 })
      .where('id', '=', testConversation)
      .execute();
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)("lists tomorrow's appointments in the business's time zone, earliest first", async () => {
    const schedule = await get<{
      date: string;
      total: number;
      emergencies: number;
      appointments: { start_time: string }[];
    }>(a, '/v1/owner/schedule/tomorrow');
    expect(schedule).toMatchObject({
      business_id: a.id,
      date: tomorrow.date,
      timezone: ZONE,
      total: 2,
      emergencies: 1,
    });
    expect(schedule.appointments.map((x) => x.start_time)).toEqual([at(tomorrow, 9), at(tomorrow, 14)]);
  });

  it.skipIf(skip)("summarises today's appointments and conversations", async () => {
    const summary = await get<Record<string, unknown>>(a, '/v1/owner/summary/today');
    expect(summary).toMatchObject({ date: today.date, total: 1, estimated_value: 0, by_status: { scheduled: 1 } });
  });

  it.skipIf(skip)('counts the workload of each coming day', async () => {
    const workload = await get<{ items: Record<string, unknown>[] }>(a, '/v1/owner/workload/next?days=3');
    expect(workload.items).toEqual([
      { date: today.date, appointments: 1, emergencies: 0, estimated_value: 0 },
      { date: tomorrow.date, appointments: 2, emergencies: 1, estimated_value: 500 },
      { date: zonedDay(now, ZONE, 2).date, appointments: 0, emergencies: 0, estimated_value: 0 },
    ]);
    expect((await call(a, 'GET', '/v1/owner/workload/next?days=0')).statusCode).toBe(422);
  });

  it.skipIf(skip)('names the business of the credential', async () => {
    expect(await get(a, '/v1/owner/business')).toMatchObject({ id: a.id, name: 'Owner a', timezone: ZONE });
  });

  it.skipIf(skip)('reports the service mix and the pipeline of live appointments', async () => {
    const mix = await get<{ total: number; items: unknown[] }>(a, '/v1/owner/service-mix?days=7');
    expect(mix.total).toBe(4);
    expect(mix.items[0]).toEqual({ service_type: 'water heater', count: 2, share: 0.5, estimated_value: 500 });
    const pipeline = await get<{ stages: unknown[] }>(a, '/v1/owner/pipeline');
    expect(pipeline.stages).toEqual([{ status: 'scheduled', count: 4, estimated_value: 500 }]);
    const csv = await call(a, 'GET', '/v1/owner/export/service-mix.csv?days=7');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[1]).toBe('water heater,2,0.5,500');
  });

  it.skipIf(skip)('measures time to book, the funnel and data completeness from conversations', async () => {
    expect(await get(a, '/v1/owner/time-to-book')).toMatchObject({
      samples: 1,
      average_minutes: 30,
      median_minutes: 30,
    });
    expect(await get(a, '/v1/owner/conversion-funnel')).toMatchObject({
      conversations: 1,
      identified: 1,
      requested_appointment: 1,
      booked: 1,
      completed: 0,
      booking_rate: 1,
    });
    expect(await get(a, '/v1/owner/data-completeness')).toMatchObject({
      appointments: 4,
      appointment_fields: { customer: 0.75, start_time: 0.75, technician: 0.25 },
      conversations_with_customer: 1,
    });
    const recent = await get<{ items: { channel: string }[] }>(a, '/v1/owner/conversations/recent');
    expect(recent.items.map((c) => c.channel)).toEqual(['sms']);
  });

  it.skipIf(skip)("shows tenant B's owner none of A's data", async () => {
    expect(await get(b, '/v1/owner/schedule/tomorrow')).toMatchObject({ business_id: b.id, total: 0 });
    expect(await get(b, '/v1/owner/summary/today')).toMatchObject({ total: 0, new_conversations: 0 });
    expect(await get(b, '/v1/owner/business')).toMatchObject({ id: b.id });
    expect(await get(b, '/v1/owner/service-mix')).toMatchObject({ total: 0, items: [] });
    expect(await get(b, '/v1/owner/pipeline')).toMatchObject({ total: 0 });
    expect(await get(b, '/v1/owner/time-to-book')).toMatchObject({ samples: 0, average_minutes: null });
    expect(await get(b, '/v1/owner/conversion-funnel')).toMatchObject({ conversations: 0, booking_rate: null });
    expect(await get(b, '/v1/owner/data-completeness')).toMatchObject({ appointments: 0 });
    expect(await get(b, '/v1/owner/conversations/recent')).toMatchObject({ items: [] });
    const workload = await get<{ items: { appointments: number }[] }>(b, '/v1/owner/workload/next');
    expect(workload.items.every((d) => d.appointments === 0)).toBe(true);
    expect((await call(b, 'GET', '/v1/owner/export/service-mix.csv')).body).toBe(
      'service_type,count,share,estimated_value\r\n',
    );
  });

  /** A spoken answer: RIFF/WAVE with at least a second of sound (16-bit mono at 8 kHz or more). */
  const expectSpeech = (res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }) => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('audio/wav');
    expect(res.rawPayload.toString('ascii', 0, 4)).toBe('RIFF');
    expect(res.rawPayload.toString('ascii', 8, 12)).toBe('WAVE');
    expect(res.rawPayload.length).toBeGreaterThan(16_000);
  };

  it.skipIf(skip)("speaks tomorrow's schedule and today's summary as WAV through the local voices", async () => {
    const tomorrowAudio = await call(a, 'GET', '/v1/owner/schedule/tomorrow/audio');
    expectSpeech(tomorrowAudio);
    const todayAudio = await call(a, 'GET', '/v1/owner/summary/today/audio');
    expectSpeech(todayAudio);
    // Two appointments and an emergency take longer to say than B's empty day.
    const empty = await call(b, 'GET', '/v1/owner/schedule/tomorrow/audio');
    expectSpeech(empty);
    expect(tomorrowAudio.rawPayload.length).toBeGreaterThan(empty.rawPayload.length);
  });

  it.skipIf(skip)('says why when the business turned speech off, instead of sending audio', async () => {
    const quiet = await t.createTenant({ configuration: { text_to_speech: { provider: 'none' } } });
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/owner/summary/today/audio',
      headers: { 'x-api-key': quiet.apiKey },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ detail: string }>().detail).toContain('spoken replies are turned off');
    expect((await t.app.inject({ method: 'GET', url: '/v1/owner/schedule/tomorrow/audio' })).statusCode).toBe(401);
  });

  it.skipIf(skip)('refuses anonymous callers and the admin key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/owner/business' })).statusCode).toBe(401);
    const asAdmin = await t.app.inject({ method: 'GET', url: '/v1/owner/business', headers: t.adminHeaders });
    expect(asAdmin.statusCode).toBe(403);
  });
});
