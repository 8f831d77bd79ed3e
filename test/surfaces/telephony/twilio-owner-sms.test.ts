import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedDay } from '../../../src/lib/zoned-day.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

const BASE = 'https://frontdesk.example.com';
const TOKEN_A = 'auth-token-of-owner-sms-tenant-a-01';
const TOKEN_B = 'auth-token-of-owner-sms-tenant-b-02';
const OWNER = '+12125550150';
const ZONE = 'America/Chicago';

let seq = 0;
const form = (from: string, body: string) => ({
  MessageSid: `SM${(seq += 1).toString(16).padStart(32, '0')}`,
  AccountSid: `AC${'a'.repeat(32)}`,
  From: from,
  To: '+13125550199',
  Body: body,
});

interface Totals {
  sms_sent_owner: number;
  sms_sent_customer: number;
  sms_by_business: Record<string, Record<string, number>>;
}

describe.each(dialects)('the owner texting /twilio/sms on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: Awaited<ReturnType<TestApp['createTenant']>>;
  let b: Awaited<ReturnType<TestApp['createTenant']>>;

  const text = (tenantId: string, token: string, fields: Record<string, string>, signature?: string) => {
    const path = `/twilio/sms?business_id=${tenantId}`;
    return t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(token, `${BASE}${path}`, fields),
      },
      payload: new URLSearchParams(fields).toString(),
    });
  };
  const totals = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).json<Totals>();
  const conversationsOf = async (tenantId: string) =>
    t.db.database.db.selectFrom('conversations').select('id').where('tenant_id', '=', tenantId).execute();

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    // The owner's number is written as people write it; the sender's is E.164.
    const twilioOf = (token: string) => ({
      channels: { twilio: { auth_token: token, owner_phone: '(212) 555-0150' } },
    });
    a = await t.createTenant({ timezone: ZONE, configuration: twilioOf(TOKEN_A) });
    b = await t.createTenant({ configuration: twilioOf(TOKEN_B) });
    const headers = { 'x-api-key': a.apiKey };
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers,
      payload: { name: 'Ana Lopez', phone: '+14155550190' },
    });
    const tomorrow = zonedDay(new Date(), ZONE, 1);
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers,
      payload: {
        customer_id: customer.json<{ id: string }>().id,
        start_time: new Date(tomorrow.start.getTime() + 9 * 3_600_000).toISOString(),
        service_type: 'boiler repair',
        is_emergency: true,
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)(
    "answers the owner's text with today's summary and tomorrow's schedule, counted as an owner SMS",
    async () => {
      const before = await totals();
      const res = await text(a.id, TOKEN_A, form(OWNER, 'schedule?'));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/xml');
      const tomorrow = zonedDay(new Date(), ZONE, 1).date;
      expect(res.body).toContain('<Message>Today, ');
      expect(res.body).toContain(`Tomorrow, ${tomorrow}, you have 1 appointment, 1 emergency among them.`);
      expect(res.body).toContain('boiler repair, an emergency.');
      expect(await conversationsOf(a.id)).toEqual([]);
      const after = await totals();
      expect(after.sms_sent_owner - before.sms_sent_owner).toBe(1);
      expect(after.sms_sent_customer).toBe(before.sms_sent_customer);
      expect(after.sms_by_business[a.id]).toMatchObject({ sms_sent_owner: 1, sms_sent_total: 1 });
      const mine = await t.app.inject({
        method: 'GET',
        url: '/v1/owner/sms-metrics',
        headers: { 'x-owner-token': a.credentials.owner_token },
      });
      expect(mine.json()).toMatchObject({ business_id: a.id, sms_sent_owner: 1, sms_sent_customer: 0 });
    },
  );

  it.skipIf(skip)("gives each business's owner only their own business's day", async () => {
    const res = await text(b.id, TOKEN_B, form(OWNER, 'schedule'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('you have no appointments.');
    expect(res.body).not.toContain('boiler repair');
  });

  it.skipIf(skip)("refuses a forged signature on the owner's number and says nothing of the day", async () => {
    const before = await totals();
    const res = await text(a.id, TOKEN_A, form(OWNER, 'schedule'), 'forged');
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('boiler repair');
    expect((await totals()).sms_sent_owner).toBe(before.sms_sent_owner);
    const wrongToken = await text(a.id, TOKEN_B, form(OWNER, 'schedule'));
    expect(wrongToken.statusCode).toBe(401);
  });

  it.skipIf(skip)('still hands a customer text to the conversation, counted as a customer SMS', async () => {
    const before = await totals();
    const res = await text(a.id, TOKEN_A, form('+14155550191', 'Hi, my boiler is making noises'));
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('you have 1 appointment');
    expect(await conversationsOf(a.id)).toHaveLength(1);
    const after = await totals();
    expect(after.sms_sent_customer - before.sms_sent_customer).toBe(1);
    expect(after.sms_sent_owner).toBe(before.sms_sent_owner);
  });
});
