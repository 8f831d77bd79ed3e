import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

const BASE = 'https://frontdesk.example.com';
const TOKEN = 'auth-token-of-the-consent-tenant-01';
const PHONE = '+12125550177';

let seq = 0;
const form = (fields: Record<string, string>) => ({
  MessageSid: `SM${(seq += 1).toString(16).padStart(32, '0')}`,
  AccountSid: `AC${'a'.repeat(32)}`,
  To: '+13125550199',
  ...fields,
});

interface Consent {
  customer_id: string;
  phone: string | null;
  opted_out: boolean;
  items: { id: string; change: string; channel: string; source: string; evidence: string | null; created_at: string }[];
}

describe.each(dialects)('GET /v1/crm/customers/{id}/consent on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let customerId = '';

  /** A text from PHONE to tenant A, signed as Twilio signs it. */
  const text = async (body: string) => {
    const path = `/twilio/sms?business_id=${a.id}`;
    const fields = form({ From: PHONE, Body: body });
    const res = await t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${BASE}${path}`, fields),
      },
      payload: new URLSearchParams(fields).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const consentOf = (apiKey: string, id: string) =>
    t.app.inject({ method: 'GET', url: `/v1/crm/customers/${id}/consent`, headers: { 'x-api-key': apiKey } });

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    a = await t.createTenant({ configuration: { channels: { twilio: { auth_token: TOKEN } } } });
    b = await t.createTenant();
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers: { 'x-api-key': a.apiKey },
      payload: { name: 'Rosa Diaz', phone: '(212) 555-0177' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    customerId = customer.json<{ id: string }>().id;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('has no history before the customer has said anything about consent', async () => {
    const res = await consentOf(a.apiKey, customerId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ customer_id: customerId, phone: PHONE, opted_out: false, items: [] });
  });

  it.skipIf(skip)('lists STOP then START over SMS, oldest first, with time, channel and source', async () => {
    const before = new Date().toISOString();
    await text('STOP');
    const stopped = (await consentOf(a.apiKey, customerId)).json<Consent>();
    expect(stopped.opted_out).toBe(true);
    expect(stopped.items).toMatchObject([{ change: 'opt_out', channel: 'sms', source: 'keyword', evidence: 'STOP' }]);
    await text('START');
    const res = await consentOf(a.apiKey, customerId);
    expect(res.statusCode).toBe(200);
    const consent = res.json<Consent>();
    expect(consent.opted_out).toBe(false);
    expect(consent.items.map(({ change, channel, source }) => ({ change, channel, source }))).toEqual([
      { change: 'opt_out', channel: 'sms', source: 'keyword' },
      { change: 'opt_in', channel: 'sms', source: 'keyword' },
    ]);
    for (const item of consent.items) expect(item.created_at >= before).toBe(true);
    expect(consent.items[0]!.created_at <= consent.items[1]!.created_at).toBe(true);
  });

  it.skipIf(skip)("answers 404 for another tenant's customer and for an unknown id", async () => {
    const foreign = await consentOf(b.apiKey, customerId);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ detail: expect.any(String) });
    expect(foreign.body).not.toContain(PHONE);
    expect((await consentOf(a.apiKey, 'cust_unknown')).statusCode).toBe(404);
  });

  it.skipIf(skip)('refuses a caller without a credential', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/crm/customers/${customerId}/consent` });
    expect(res.statusCode).toBe(401);
  });
});
