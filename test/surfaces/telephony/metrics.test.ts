import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterName } from '../../../src/domain/metrics/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';

const BASE = 'https://frontdesk.example.com';
const TOKEN = 'auth-token-of-the-metrics-tenant-01';

type Totals = Record<CounterName | 'total_requests' | 'total_errors', number> & {
  route_metrics: Record<string, { requests: number; errors: number }>;
  twilio_by_business: Record<string, Record<string, number>>;
  sms_by_business: Record<string, Record<string, number>>;
  callbacks_by_business: Record<string, Record<string, number>>;
};

describe("spec C's /metrics counted from real traffic", () => {
  let t: TestApp;
  let tenant: Awaited<ReturnType<TestApp['createTenant']>>;
  let seq = 0;

  const totals = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).json<Totals>();
  const twilioPost = (path: string, fields: Record<string, string>, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(TOKEN, `${BASE}${path}`, fields),
      },
      payload: new URLSearchParams(fields).toString(),
    });
  const sms = (body: string) => ({
    MessageSid: `SM${(seq += 1).toString(16).padStart(32, '0')}`,
    AccountSid: `AC${'a'.repeat(32)}`,
    From: '+12125550100',
    To: '+13125550199',
    Body: body,
  });

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_BASE_URL: BASE } });
    tenant = await t.createTenant({ configuration: { channels: { twilio: { auth_token: TOKEN } } } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts a Twilio SMS, the reply texted back, and a bad signature under the tenant', async () => {
    const before = await totals();
    const path = `/twilio/sms?business_id=${tenant.id}`;
    expect((await twilioPost(path, sms('Hi, my water heater is leaking'))).statusCode).toBe(200);
    expect((await twilioPost(path, sms('Hello again'), 'forged')).statusCode).toBe(401);
    const after = await totals();
    expect(after.twilio_sms_requests - before.twilio_sms_requests).toBe(2);
    expect(after.twilio_sms_errors - before.twilio_sms_errors).toBe(1);
    expect(after.twilio_by_business[tenant.id]).toMatchObject({ sms_requests: 2, sms_errors: 1 });
    expect(after.sms_sent_total - before.sms_sent_total).toBe(1);
    expect(after.sms_sent_customer - before.sms_sent_customer).toBe(1);
    expect(after.sms_by_business[tenant.id]).toEqual({ sms_sent_total: 1, sms_sent_customer: 1 });
    expect(after.total_requests - before.total_requests).toBe(3);
    expect(after.total_errors - before.total_errors).toBe(1);
    expect(after.route_metrics['/twilio/sms']).toMatchObject({ requests: 2, errors: 1 });
  });

  it('counts a Twilio voice turn under the tenant', async () => {
    const before = await totals();
    const path = `/twilio/voice?business_id=${tenant.id}`;
    const call = { CallSid: `CA${'c'.repeat(32)}`, AccountSid: `AC${'a'.repeat(32)}`, From: '+12125550100', To: '+1' };
    expect((await twilioPost(path, call)).statusCode).toBe(200);
    const after = await totals();
    expect(after.twilio_voice_requests - before.twilio_voice_requests).toBe(1);
    expect(after.twilio_voice_errors).toBe(before.twilio_voice_errors);
    expect(after.twilio_by_business[tenant.id]).toMatchObject({ voice_requests: 1 });
  });

  it('counts an appointment booked through the CRM', async () => {
    const headers = { 'x-api-key': tenant.apiKey };
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers,
      payload: { name: 'Ana Lopez', phone: '+14155550101' },
    });
    const before = await totals();
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers,
      payload: { customer_id: customer.json<{ id: string }>().id, start_time: '2030-06-03T08:00:00Z' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect((await totals()).appointments_scheduled - before.appointments_scheduled).toBe(1);
  });

  it('counts an appointment and a promised call back for a widget chat, once the chat is confirmed', async () => {
    const booker = await t.createTenant({
      configuration: { chatbot: { collect_fields: ['name', 'phone', 'preferred_time'] } },
    });
    const headers = { 'x-widget-token': booker.credentials.widget_token };
    const post = (url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url, headers, payload });
    const started = await post('/v1/widget/session/start', {});
    expect(started.statusCode, started.body).toBe(200);
    const id = started.json<{ session_id: string }>().session_id;
    const before = await totals();
    const asked = await post(`/v1/widget/session/${id}/input`, {
      text: 'Hi, I am Jane Doe, my sink is blocked. Call me on 415-555-0100, tomorrow morning works.',
    });
    expect(asked.json<{ reply_text: string }>().reply_text).toContain('Is that all correct?');
    expect((await totals()).appointments_scheduled).toBe(before.appointments_scheduled);
    expect((await totals()).callbacks_by_business[booker.id]).toBeUndefined();
    const confirmed = await post(`/v1/widget/session/${id}/input`, { text: 'Yes' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const after = await totals();
    expect(after.appointments_scheduled - before.appointments_scheduled).toBe(1);
    expect(after.callbacks_by_business[booker.id]).toEqual({ callbacks_requested: 1, callbacks_requested_web: 1 });
    // Talking on after the call back was promised promises nothing new.
    await post(`/v1/widget/session/${id}/input`, { text: 'Thanks!' });
    expect((await totals()).callbacks_by_business[booker.id]).toEqual({
      callbacks_requested: 1,
      callbacks_requested_web: 1,
    });
    const requested = await t.app.inject({
      method: 'GET',
      url: '/v1/crm/appointments',
      headers: { 'x-api-key': booker.apiKey },
    });
    expect(requested.json<{ status: string }[]>().map((a) => a.status)).toEqual(['requested']);
  });

  it('reports the same counters in the Prometheus text format', async () => {
    const { appointments_scheduled, twilio_sms_requests } = await totals();
    const res = await t.app.inject({ method: 'GET', url: '/metrics/prometheus' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain(`frontdesk_appointments_scheduled_total ${appointments_scheduled}`);
    expect(res.body).toContain(`frontdesk_twilio_sms_requests_total ${twilio_sms_requests}`);
    expect(res.body).toMatch(/frontdesk_http_requests_total\{method="POST",route="\/twilio\/sms",status="200"\} 1/);
  });

  it("shows each business's Twilio webhook health to the admin key only", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/admin/twilio/health', headers: t.adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    const health = res.json<{ twilio_sms_errors: number; businesses: Record<string, unknown>[] }>();
    expect(health.twilio_sms_errors).toBeGreaterThanOrEqual(1);
    expect(health.businesses.find((b) => b.business_id === tenant.id)).toEqual({
      business_id: tenant.id,
      voice_requests: 1,
      voice_errors: 0,
      voice_error_rate: 0,
      sms_requests: 2,
      sms_errors: 1,
      sms_error_rate: 0.5,
    });
    const asTenant = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/twilio/health',
      headers: { 'x-api-key': tenant.apiKey },
    });
    expect(asTenant.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/twilio/health' })).statusCode).toBe(401);
  });

  it("shows an owner their business's SMS and Twilio counters and no other business's", async () => {
    const other = await t.createTenant();
    const asOwner = (who: typeof tenant, url: string) =>
      t.app.inject({ method: 'GET', url, headers: { 'x-owner-token': who.credentials.owner_token } });
    const sms = await asOwner(tenant, '/v1/owner/sms-metrics');
    expect(sms.statusCode, sms.body).toBe(200);
    expect(sms.json()).toEqual({
      business_id: tenant.id,
      sms_sent_total: 1,
      sms_sent_customer: 1,
      sms_sent_owner: 0,
      lead_followups_sent: 0,
      retention_messages_sent: 0,
    });
    expect((await asOwner(tenant, '/v1/owner/twilio-metrics')).json()).toMatchObject({
      business_id: tenant.id,
      sms_requests: 2,
      sms_errors: 1,
      sms_error_rate: 0.5,
      voice_requests: 1,
    });
    expect((await asOwner(other, '/v1/owner/sms-metrics')).json()).toMatchObject({
      business_id: other.id,
      sms_sent_total: 0,
    });
    expect((await asOwner(other, '/v1/owner/twilio-metrics')).json()).toMatchObject({
      business_id: other.id,
      sms_requests: 0,
      sms_error_rate: null,
    });
  });
});
