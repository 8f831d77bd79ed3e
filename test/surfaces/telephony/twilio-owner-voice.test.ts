import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedDay } from '../../../src/lib/zoned-day.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

const BASE = 'https://frontdesk.example.com';
const TOKEN_A = 'owner-voice-token-a-0123456789';
const TOKEN_B = 'owner-voice-token-b-0123456789';
const HOUR = 3_600_000;

const call = {
  CallSid: `CA${'d'.repeat(32)}`,
  AccountSid: `AC${'a'.repeat(32)}`,
  From: '+12125550111',
  To: '+13125550188',
};

describe.each(dialects)('POST /twilio/owner-voice on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };

  const post = (path: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(call).toString(),
    });
  const signed = (path: string, token: string, headers: Record<string, string> = {}) =>
    post(path, { 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${BASE}${path}`, call), ...headers });

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    a = await t.createTenant({ configuration: { channels: { twilio: { auth_token: TOKEN_A } } } });
    b = await t.createTenant({ configuration: { channels: { twilio: { auth_token: TOKEN_B } } } });
    const headers = { 'x-api-key': a.apiKey };
    const business = await t.app.inject({ method: 'GET', url: '/v1/owner/business', headers });
    const tomorrow = zonedDay(new Date(), business.json<{ timezone: string }>().timezone, 1);
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers,
      payload: { name: 'Ana', phone: '+14155550199' },
    });
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers,
      payload: {
        customer_id: customer.json<{ id: string }>().id,
        start_time: new Date(tomorrow.start.getTime() + 9 * HOUR).toISOString(),
        service_type: 'boiler repair',
        is_emergency: true,
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)("tells the owner today's summary and tomorrow's schedule, then hangs up", async () => {
    const path = `/twilio/owner-voice?business_id=${a.id}`;
    const res = await signed(path, TOKEN_A);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    const says = [...res.body.matchAll(/<Say>([^<]*)<\/Say>/g)].map((m) => m[1]);
    expect(says).toHaveLength(3);
    expect(says[0]).toMatch(/^Today, .* you have no appointments\. No new conversations started today\.$/);
    expect(says[1]).toMatch(
      /^Tomorrow, .* you have 1 appointment, 1 emergency among them\. At 9:00 AM, boiler repair, an emergency\.$/,
    );
    expect(res.body.endsWith('<Hangup/></Response>')).toBe(true);
  });

  it.skipIf(skip)('finds the business by X-API-Key as well as by business_id', async () => {
    const res = await signed('/twilio/owner-voice', TOKEN_A, { 'x-api-key': a.apiKey });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('boiler repair');
  });

  it.skipIf(skip)('refuses a wrong or missing signature', async () => {
    const path = `/twilio/owner-voice?business_id=${a.id}`;
    expect((await signed(path, TOKEN_B)).statusCode).toBe(401);
    expect((await post(path, {})).statusCode).toBe(401);
  });

  it.skipIf(skip)("gives tenant B's owner only B's day, and refuses B's business under A's signature", async () => {
    const mine = await signed(`/twilio/owner-voice?business_id=${b.id}`, TOKEN_B);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('you have no appointments');
    expect(mine.body).not.toContain('boiler repair');
    expect((await signed(`/twilio/owner-voice?business_id=${b.id}`, TOKEN_A)).statusCode).toBe(401);
  });

  it.skipIf(skip)('asks for the business when neither business_id nor an API key names it', async () => {
    expect((await signed('/twilio/owner-voice', TOKEN_A)).statusCode).toBe(401);
  });
});
