import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsOutboxEntry } from '../../../src/providers/notify/sms.js';
import { startTwilioFake, type TwilioFake } from '../../fakes/twilio.fake.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { seedConversation } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { signedInUser, settleDueJobs, transferAndSettle } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const BASE = 'https://desk.example.com';
const SID = `AC${'c3'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-notices';
const FROM = '+14155550100';

const HOT_LEAD = {
  email: 'dana.whitfield@northwind-logistics.com',
  company: 'Northwind Logistics',
  name: 'Dana Whitfield',
  message:
    'We are a 120-person sales team evaluating lead scoring software. Budget approved at $40,000 this quarter; we need a demo this week and want to sign by end of month.',
  source: 'website_form',
};

describe.each(dialects)('people told by SMS on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let twilio: TwilioFake;

  beforeAll(async () => {
    if (skip) return;
    twilio = await startTwilioFake({ accountSid: SID, authToken: TOKEN });
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    await t.startWorkers();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await twilio.close();
  });

  const settle = () => settleDueJobs(t);
  const withTwilio = (notifications: object) => ({
    channels: { twilio: { account_sid: SID, auth_token: TOKEN, phone_number: FROM, api_base_url: twilio.url } },
    notifications: { sms: { enabled: true }, ...notifications },
  });
  /** The texts Twilio was asked to send to `to`. */
  const textsTo = (to: string) =>
    twilio.requests
      .filter((r) => r.path === `/2010-04-01/Accounts/${SID}/Messages.json` && (r.body as Body).To === to)
      .map((r) => r.body as { From: string; Body: string });
  const outboxTexts = (): SmsOutboxEntry[] => {
    const file = path.join(t.dataDir, 'outbox', 'sms.jsonl');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SmsOutboxEntry);
  };
  const givePhone = async (browser: { write: Record<string, string> }, phone: string) => {
    const res = await t.app.inject({ method: 'PATCH', url: '/app/api/me', headers: browser.write, payload: { phone } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const transfer = (tenant: Tenant, conversationId: string, body: object) =>
    transferAndSettle(t, tenant, conversationId, body);

  it.skipIf(skip)(
    'texts the agents on duty who gave a mobile through the tenant’s Twilio account: the gist and the link',
    async () => {
      const tenant = await t.createTenant({ name: 'Acme Heating', configuration: withTwilio({}) });
      const ann = await signedInUser(t, tenant.id, { email: 'ann@acme.example', role: 'agent' });
      await signedInUser(t, tenant.id, { email: 'bob@acme.example', role: 'agent' });
      await givePhone(ann.browser, '+14155550123');
      const id = await seedConversation(t.deps.database.db, tenant.id, {
        messages: [{ sender: 'customer', text: 'My boiler is leaking' }],
      });
      await transfer(tenant, id, { transfer_reason: 'boiler_leak', transfer_note: 'Leak under the boiler' });

      const [text, ...more] = textsTo('+14155550123');
      expect(more).toHaveLength(0);
      expect(text?.From).toBe(FROM);
      expect(text?.Body).toContain('[Acme Heating] A customer is waiting for a person');
      expect(text?.Body).toContain('Leak under the boiler');
      expect(text?.Body.endsWith(`${BASE}/app/conversations/${id}`)).toBe(true);
      expect(text!.Body.length).toBeLessThanOrEqual(320);
      expect(twilio.violations).toEqual([]);
    },
  );

  it.skipIf(skip)('files the text in the outbox when the tenant has no Twilio account', async () => {
    const tenant = await t.createTenant({
      name: 'Offline Co',
      configuration: { notifications: { sms: { enabled: true }, owner_phone: '+14155550199' } },
    });
    const id = await seedConversation(t.deps.database.db, tenant.id);
    await transfer(tenant, id, { transfer_note: 'nobody else here' });
    const filed = outboxTexts().filter((e) => e.to === '+14155550199');
    expect(filed).toHaveLength(1);
    expect(filed[0]?.body).toContain('nobody else here');
    expect(filed[0]?.body).toContain(`${BASE}/app/conversations/${id}`);
    expect(textsTo('+14155550199')).toHaveLength(0);
  });

  it.skipIf(skip)('sends no text unless the tenant turned SMS on, nor to a malformed owner_phone', async () => {
    const quiet = await t.createTenant({ configuration: { notifications: { owner_phone: '+14155550177' } } });
    const id = await seedConversation(t.deps.database.db, quiet.id);
    await transfer(quiet, id, {});
    expect(outboxTexts().filter((e) => e.to === '+14155550177')).toHaveLength(0);

    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v2/tenants',
      headers: t.adminHeaders,
      payload: { name: 'Bad Phone', configuration: { notifications: { owner_phone: '555-0100' } } },
    });
    expect(refused.statusCode).toBe(400);
  });

  it.skipIf(skip)('texts the owner of a HOT lead, a failed pipeline request and a disabled webhook', async () => {
    const tenant = await t.createTenant({
      name: 'Northwind Sales',
      admin_user: { email: 'owner@northwind.example' },
      configuration: withTwilio({ owner_phone: '+14155550155' }),
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { 'x-api-key': tenant.apiKey },
      payload: HOT_LEAD,
    });
    expect(res.json<Body>().tier).toBe('HOT');
    await settle();
    const { notifications } = t.deps.services;
    await notifications.tellOwner(tenant.id, {
      kind: 'pipeline_failed',
      requestId: 'req_1',
      step: 'scoring',
      error: 'the model timed out',
    });
    await notifications.tellOwner(tenant.id, {
      kind: 'webhook_disabled',
      endpointId: 'wh_1',
      url: 'https://hooks.example/x',
      reason: '410 Gone',
    });

    const bodies = textsTo('+14155550155').map((m) => m.Body);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatch(
      /^\[Northwind Sales\] HOT lead: Dana Whitfield \(score \d+\) https:\/\/desk\.example\.com\/app\/leads\//,
    );
    expect(bodies[1]).toBe(`[Northwind Sales] A lead request failed at scoring ${BASE}/app/requests/req_1`);
    expect(bodies[2]).toBe(`[Northwind Sales] A webhook was disabled ${BASE}/app/settings/webhooks`);
  });
});
