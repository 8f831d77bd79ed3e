import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { tenantFootprint } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Report = {
  kind: string;
  candidates: number;
  sent: number;
  held: number;
  skipped_opted_out: number;
  already_sent: number;
};

const HOUR = 3_600_000;

describe.each(dialects)('spec C reminders and retention on $label', ({ dialect, skip }) => {
  let t: TestApp;
  // Moved forward to let a conversation go quiet before its follow-up.
  const clock = { shift: 0, now: () => new Date(Date.now() + clock.shift) };
  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect, clock });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  let phone = 2000;
  let sid = 0;
  const nextPhone = () => `+1415555${(phone += 1)}`;
  const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const addCustomer = async (tenant: Tenant, number = nextPhone()) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers: key(tenant),
      payload: { name: 'Ana Lopez', phone: number },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json<{ id: string }>().id, phone: number };
  };
  const book = async (tenant: Tenant, body: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers: key(tenant),
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();
  const run = async (tenant: Tenant, url: string, payload?: object): Promise<Report> => {
    const res = await t.app.inject({ method: 'POST', url, headers: key(tenant), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const sms = (tenant: Tenant, from: string, body: string) =>
    t.app.inject({
      method: 'POST',
      url: `/twilio/sms?business_id=${tenant.id}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        MessageSid: `SM${(sid += 1).toString(16).padStart(32, '0')}`,
        AccountSid: `AC${'a'.repeat(32)}`,
        From: from,
        To: '+13125550199',
        Body: body,
      }).toString(),
    });
  const deliveriesTo = async (tenant: Tenant, recipient: string) =>
    t.db.database.db
      .selectFrom('channel_deliveries')
      .select(['text', 'status'])
      .where('tenant_id', '=', tenant.id)
      .where('recipient', '=', recipient)
      .execute();

  it.skipIf(skip)('reminds of an upcoming appointment once, and answers already_sent the second time', async () => {
    const tenant = await t.createTenant();
    const ana = await addCustomer(tenant);
    await book(tenant, { customer_id: ana.id, start_time: inHours(5), service_type: 'drain cleaning' });
    await book(tenant, { customer_id: (await addCustomer(tenant)).id, start_time: inHours(30) });

    const first = await run(tenant, '/v1/reminders/send-upcoming?hours_ahead=24');
    expect(first).toMatchObject({ kind: 'upcoming', candidates: 1, sent: 1, already_sent: 0, skipped_opted_out: 0 });
    const second = await run(tenant, '/v1/reminders/send-upcoming?hours_ahead=24');
    expect(second).toMatchObject({ candidates: 1, sent: 0, already_sent: 1 });

    const sent = await deliveriesTo(tenant, ana.phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('drain cleaning appointment');
    expect(sent[0]?.text).toContain('Reply CONFIRM');
  });

  it.skipIf(skip)("takes the window from the tenant's default_reminder_hours", async () => {
    const tenant = await t.createTenant({ configuration: { reminders: { default_reminder_hours: 48 } } });
    await book(tenant, { customer_id: (await addCustomer(tenant)).id, start_time: inHours(30) });
    expect(await run(tenant, '/v1/reminders/send-upcoming')).toMatchObject({ candidates: 1, sent: 1 });
  });

  it.skipIf(skip)('never messages a customer who opted out', async () => {
    const tenant = await t.createTenant();
    const ana = await addCustomer(tenant);
    await book(tenant, { customer_id: ana.id, start_time: inHours(2) });
    expect((await sms(tenant, ana.phone, 'STOP')).statusCode).toBe(200);

    const report = await run(tenant, '/v1/reminders/send-upcoming');
    expect(report).toMatchObject({ candidates: 1, sent: 0, skipped_opted_out: 1, already_sent: 0 });
    // STOP's confirmation went back inline as TwiML: nothing at all was queued for the number.
    expect(await deliveriesTo(tenant, ana.phone)).toEqual([]);
  });

  it.skipIf(skip)('holds a reminder outside the allowed hours instead of sending it now', async () => {
    // +1415 is in Los Angeles: allow only a window that starts two hours from now there.
    const hour = Number(
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: '2-digit', hourCycle: 'h23' }).format(
        clock.now(),
      ),
    );
    const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const tenant = await t.createTenant({
      configuration: { compliance: { allowed_hours: { start: at(hour + 2), end: at(hour + 3) } } },
    });
    await book(tenant, { customer_id: (await addCustomer(tenant)).id, start_time: inHours(6) });
    expect(await run(tenant, '/v1/reminders/send-upcoming')).toMatchObject({ candidates: 1, sent: 0, held: 1 });
    expect(await run(tenant, '/v1/reminders/send-upcoming')).toMatchObject({ held: 0, already_sent: 1 });
  });

  it.skipIf(skip)("tenant B's run never touches tenant A's appointments", async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    await book(a, { customer_id: (await addCustomer(a)).id, start_time: inHours(3) });
    const before = await tenantFootprint(t, a.id);

    expect(await run(b, '/v1/reminders/send-upcoming')).toMatchObject({ candidates: 0, sent: 0 });
    expect(await run(b, '/v1/reminders/send-followups')).toMatchObject({ candidates: 0 });
    expect(await run(b, '/v1/retention/send-retention', { min_days_since_last_visit: 1 })).toMatchObject({
      candidates: 0,
    });
    expect(await tenantFootprint(t, a.id)).toEqual(before);
    expect(await run(a, '/v1/reminders/send-upcoming')).toMatchObject({ candidates: 1, sent: 1 });
  });

  it.skipIf(skip)("a test key's run leaves live customers alone", async () => {
    const tenant = await t.createTenant();
    await book(tenant, { customer_id: (await addCustomer(tenant)).id, start_time: inHours(3) });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/reminders/send-upcoming',
      headers: { 'x-api-key': tenant.credentials.test_key },
    });
    expect(res.json()).toMatchObject({ candidates: 0, sent: 0 });
    expect(await run(tenant, '/v1/reminders/send-upcoming')).toMatchObject({ candidates: 1, sent: 1 });
  });

  it.skipIf(skip)('follows up leads whose quiet conversation has no booking, once', async () => {
    const tenant = await t.createTenant();
    const lead = nextPhone();
    const booked = await addCustomer(tenant);
    expect((await sms(tenant, lead, 'Hi, do you fix water heaters?')).statusCode).toBe(200);
    expect((await sms(tenant, booked.phone, 'Hi, can you come Tuesday?')).statusCode).toBe(200);
    await book(tenant, { customer_id: booked.id, start_time: inHours(72) });

    expect(await run(tenant, '/v1/reminders/send-followups')).toMatchObject({ candidates: 0 });
    clock.shift += 2 * HOUR;
    try {
      expect(await run(tenant, '/v1/reminders/send-followups')).toMatchObject({ candidates: 1, sent: 1 });
      expect(await run(tenant, '/v1/reminders/send-followups')).toMatchObject({ sent: 0, already_sent: 1 });
    } finally {
      clock.shift -= 2 * HOUR;
    }
    const toLead = await deliveriesTo(tenant, lead);
    expect(toLead.filter((d) => d.text.includes('Would you like to book'))).toHaveLength(1);
    expect((await deliveriesTo(tenant, booked.phone)).filter((d) => d.text.includes('Would you like'))).toEqual([]);
  });

  it.skipIf(skip)('invites back lapsed customers with nothing booked ahead', async () => {
    const tenant = await t.createTenant({ configuration: { retention: { min_days_since_last_visit: 90 } } });
    const lapsed = await addCustomer(tenant);
    const returning = await addCustomer(tenant);
    const recent = await addCustomer(tenant);
    await book(tenant, { customer_id: lapsed.id, status: 'completed', start_time: inHours(-200 * 24) });
    await book(tenant, { customer_id: returning.id, status: 'completed', start_time: inHours(-200 * 24) });
    await book(tenant, { customer_id: returning.id, status: 'scheduled', start_time: inHours(24 * 10) });
    await book(tenant, { customer_id: recent.id, status: 'completed', start_time: inHours(-30 * 24) });

    expect(await run(tenant, '/v1/retention/send-retention')).toMatchObject({
      kind: 'retention',
      candidates: 1,
      sent: 1,
    });
    expect(await run(tenant, '/v1/retention/send-retention')).toMatchObject({ sent: 0, already_sent: 1 });
    expect(await run(tenant, '/v1/retention/send-retention?min_days_since_last_visit=20')).toMatchObject({
      candidates: 2,
      sent: 1,
      already_sent: 1,
    });
    expect(await deliveriesTo(tenant, lapsed.phone)).toHaveLength(1);
    expect(await deliveriesTo(tenant, returning.phone)).toEqual([]);
  });

  it.skipIf(skip)('sends once when two processes run on one database at the same time', async () => {
    const other = await startTestApp({ dialect, clock, sharedDatabase: t.db });
    try {
      const tenant = await t.createTenant();
      const customers = await Promise.all([1, 2, 3].map(() => addCustomer(tenant)));
      for (const c of customers) await book(tenant, { customer_id: c.id, start_time: inHours(4) });
      const [x, y] = await Promise.all(
        [t, other].map((app) =>
          app.app.inject({ method: 'POST', url: '/v1/reminders/send-upcoming', headers: key(tenant) }),
        ),
      );
      const reports = [x, y].map((r) => r?.json<Report>());
      expect(reports.reduce((n, r) => n + (r?.sent ?? 0), 0)).toBe(3);
      expect(reports.reduce((n, r) => n + (r?.already_sent ?? 0), 0)).toBe(3);
      for (const c of customers) expect(await deliveriesTo(tenant, c.phone)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)('counts sent reminders in the spec C metrics', async () => {
    const tenant = await t.createTenant();
    await book(tenant, { customer_id: (await addCustomer(tenant)).id, start_time: inHours(1) });
    await run(tenant, '/v1/reminders/send-upcoming');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).json<Record<string, unknown>>();
    expect(metrics.sms_sent_customer).toBeGreaterThan(0);
    expect(metrics.sms_by_business).toMatchObject({ [tenant.id]: { sms_sent_customer: 1, reminders_sent: 1 } });
    expect(metrics.lead_followups_sent).toBeGreaterThan(0);
    expect(metrics.retention_messages_sent).toBeGreaterThan(0);
    // The retention case above sent two, to one tenant.
    expect(Object.values(metrics.retention_by_business as object)).toContainEqual({ lapsed_customer: 2 });
  });
});
