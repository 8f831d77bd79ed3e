import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';
import { sleep, waitFor } from '../helpers/queue.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.fake.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const BASE = 'https://frontdesk.example.com';

const hotLead = (email: string) => ({
  email,
  company: 'Acme Roofing',
  message: 'We need a new roof before winter, budget around $15k, can you start next week?',
});

const formLead = (name: string, email: string) => ({
  source: 'website_form',
  customer_name: name,
  customer_phone: '+15551234567',
  customer_email: email,
  project_type: 'kitchen_remodel',
  project_description: 'Kitchen remodel, about 200 sq ft, budget around $30,000, start within 3 months',
  budget_range: '25000-50000',
  timeline: '3-6_months',
});

describe.each(dialects)('test-mode keys on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({
      dialect,
      env: { PUBLIC_BASE_URL: BASE },
      webhooks: { retryScheduleMs: [0, 0], timeoutMs: 2_000 },
    });
    await t.startWorkers();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await receiver.close();
  });
  afterEach(() => {
    if (!skip) receiver.requests.length = 0;
  });

  const newTenant = () => t.createTenant({ plan: 'enterprise', configuration: { rate_limits: { multiplier: 100 } } });
  const live = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.apiKey}` });
  const test = (tenant: Tenant) => ({ authorization: `Bearer ${tenant.credentials.test_key}` });
  const db = () => t.deps.database.db;
  const liveFlag = (v: number | boolean | undefined) => Boolean(v);

  const subscribe = async (tenant: Tenant, events: string[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: live(tenant),
      payload: { url: `${receiver.url}/hooks/${tenant.id}`, events },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const qualify = async (headers: Record<string, string>, email: string): Promise<Body> => {
    const res = await t.app.inject({ method: 'POST', url: '/api/qualify', headers, payload: hotLead(email) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** The tenant's events, once the live ones arrived and a moment passed for any stray test one. */
  const delivered = async (tenant: Tenant, count: number): Promise<Body[]> => {
    const mine = () => receiver.requests.filter((r) => r.path === `/hooks/${tenant.id}`);
    await waitFor(() => mine().length >= count, 15_000);
    await sleep(300);
    return mine().map((r) => JSON.parse(r.body));
  };

  it.skipIf(skip)(
    'keeps qualified test leads out of webhooks and analytics, while storing them and answering for them',
    async () => {
      const tenant = await newTenant();
      await subscribe(tenant, ['lead.qualified']);
      const asTest = await qualify(test(tenant), 'tess@acme.example');
      const asLive = await qualify(live(tenant), 'liv@acme.example');
      // The same e-mail under the test key is a lead of its own; the live lead is left as it was.
      const sameAsLive = await qualify(test(tenant), 'liv@acme.example');
      expect(sameAsLive.id).not.toBe(asLive.id);

      const events = await delivered(tenant, 1);
      expect(events.map((e) => [e.event, e.data.id])).toEqual([['lead.qualified', asLive.id]]);

      const read = await t.app.inject({ url: `/api/qualify/${asTest.id}`, headers: test(tenant) });
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json().email).toBe('tess@acme.example');
      const rows = await db()
        .selectFrom('leads')
        .select(['id', 'livemode'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(Object.fromEntries(rows.map((r) => [r.id, liveFlag(r.livemode)]))).toEqual({
        [asTest.id]: false,
        [asLive.id]: true,
        [sameAsLive.id]: false,
      });

      const analytics = await t.app.inject({ url: '/api/analytics', headers: live(tenant) });
      expect(analytics.json()).toMatchObject({ total_leads: 1 });
    },
  );

  it.skipIf(skip)("keeps a tenant's test data from another tenant's live and test keys", async () => {
    const owner = await newTenant();
    const other = await newTenant();
    const lead = await qualify(test(owner), 'private@acme.example');
    for (const headers of [live(other), test(other)]) {
      const res = await t.app.inject({ url: `/api/qualify/${lead.id}`, headers });
      expect(res.statusCode).toBe(404);
    }
    const res = await t.app.inject({ url: `/api/qualify/${lead.id}`, headers: live(owner) });
    expect(res.statusCode, res.body).toBe(200);
  });

  it.skipIf(skip)('runs a test batch on test leads and announces its completion to no subscription', async () => {
    const tenant = await newTenant();
    await subscribe(tenant, ['batch.completed']);
    const start = async (headers: Record<string, string>, email: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/batch/qualify',
        headers,
        payload: { leads: [hotLead(email)] },
      });
      expect(res.statusCode, res.body).toBe(202);
      return res.json<Body>().batch_id as string;
    };
    const testBatch = await start(test(tenant), 'batch-tess@acme.example');
    await waitFor(async () => {
      const res = await t.app.inject({ url: `/api/batch/${testBatch}/status`, headers: test(tenant) });
      return res.json<Body>().status === 'completed';
    });
    const liveBatch = await start(live(tenant), 'batch-liv@acme.example');
    const events = await delivered(tenant, 1);
    expect(events.map((e) => [e.event, e.data.batch_id])).toEqual([['batch.completed', liveBatch]]);
    const batches = await db()
      .selectFrom('batches')
      .select(['id', 'livemode'])
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(Object.fromEntries(batches.map((b) => [b.id, liveFlag(b.livemode)]))).toEqual({
      [testBatch]: false,
      [liveBatch]: true,
    });
    const leads = await db()
      .selectFrom('leads')
      .select(['email', 'livemode'])
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(Object.fromEntries(leads.map((l) => [l.email, liveFlag(l.livemode)]))).toEqual({
      'batch-tess@acme.example': false,
      'batch-liv@acme.example': true,
    });
  });

  it.skipIf(skip)(
    'leaves test ingestion requests out of spec A analytics, tenant figures and exports, and lists them still',
    async () => {
      const tenant = await newTenant();
      await subscribe(tenant, ['lead.qualified']);
      const send = async (headers: Record<string, string>, name: string, email: string) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/leads/webhook',
          headers,
          payload: formLead(name, email),
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Body>().request_id as string;
      };
      // One Idempotency-Key under both keys: each mode keeps its own, so neither answers for the other.
      const once = { 'idempotency-key': 'form-1' };
      const testRequest = await send({ ...test(tenant), ...once }, 'Tess Test', 'tess.form@acme.example');
      const liveRequest = await send({ ...live(tenant), ...once }, 'Liv Live', 'liv.form@acme.example');
      expect(testRequest).not.toBe(liveRequest);
      const finished = () =>
        waitFor(async () => {
          const rows = await db()
            .selectFrom('ingestion_requests')
            .select('status')
            .where('tenant_id', '=', tenant.id)
            .execute();
          return rows.length === 2 && rows.every((r) => r.status === 'completed' || r.status === 'failed');
        }, 60_000);
      await finished();

      const requests = await db()
        .selectFrom('ingestion_requests')
        .select(['id', 'livemode', 'lead_id'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(Object.fromEntries(requests.map((r) => [r.id, liveFlag(r.livemode)]))).toEqual({
        [testRequest]: false,
        [liveRequest]: true,
      });
      const testLeadId = requests.find((r) => r.id === testRequest)?.lead_id;
      expect(testLeadId).toBeTruthy();
      const testLead = await db()
        .selectFrom('leads')
        .select('livemode')
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', testLeadId!)
        .executeTakeFirstOrThrow();
      expect(liveFlag(testLead.livemode)).toBe(false);
      const events = await delivered(tenant, 1);
      expect(events.map((e) => e.data.email)).toEqual(['liv.form@acme.example']);

      const headers = { 'x-api-key': tenant.apiKey };
      const analytics = await t.app.inject({ url: `/v1/tenants/${tenant.id}/analytics`, headers });
      expect(analytics.statusCode, analytics.body).toBe(200);
      expect(analytics.json().data.summary.total_calls).toBe(1);

      const exported = await t.app.inject({ url: `/v1/tenants/${tenant.id}/requests/export?format=json`, headers });
      expect(exported.statusCode, exported.body).toBe(200);
      const { download_url: link, record_count: count } = exported.json().data;
      expect(count).toBe(1);
      const file = await t.app.inject({ url: String(link).slice(BASE.length) });
      expect(file.json().map((r: Body) => r.request_id)).toEqual([liveRequest]);

      const listed = await t.app.inject({ url: `/v1/tenants/${tenant.id}/requests`, headers });
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json().data.pagination.total).toBe(2);
      const one = await t.app.inject({
        url: `/v1/tenants/${tenant.id}/requests/${testRequest}`,
        headers: test(tenant),
      });
      expect(one.statusCode, one.body).toBe(200);
    },
  );

  it.skipIf(skip)(
    'writes test conversations, messages and sessions that the usage report leaves out and stay readable',
    async () => {
      const tenant = await newTenant();
      const chat = async (headers: Record<string, string>, id: string, userId: string) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v2/chat/message',
          headers,
          payload: {
            message_id: id,
            user_id: userId,
            channel: 'web',
            content: { type: 'text', text: 'Hi, are you open?' },
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<Body>().data.conversation_id as string;
      };
      const testConversation = await chat(test(tenant), 'm_test_1', 'visitor_test');
      const liveConversation = await chat(live(tenant), 'm_live_1', 'visitor_live');
      const session = await t.app.inject({
        method: 'POST',
        url: '/api/v2/sessions',
        headers: test(tenant),
        payload: { channel: 'web', user_id: 'visitor_test' },
      });
      expect(session.statusCode, session.body).toBe(201);

      const conversations = await db()
        .selectFrom('conversations')
        .select(['id', 'livemode'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(Object.fromEntries(conversations.map((c) => [c.id, liveFlag(c.livemode)]))).toEqual({
        [testConversation]: false,
        [liveConversation]: true,
      });
      const messages = await db()
        .selectFrom('messages')
        .select(['conversation_id', 'livemode'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(messages.length).toBeGreaterThanOrEqual(4);
      for (const m of messages) expect(liveFlag(m.livemode)).toBe(m.conversation_id === liveConversation);
      const sessions = await db()
        .selectFrom('chat_sessions')
        .select('livemode')
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(sessions.map((s) => liveFlag(s.livemode))).toEqual([false]);

      // A test key may not write into a live conversation.
      const crossed = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers: test(tenant),
        payload: {
          message_id: 'm_test_2',
          user_id: 'visitor_live',
          channel: 'web',
          conversation_id: liveConversation,
          content: { type: 'text', text: 'Hello again' },
        },
      });
      expect(crossed.statusCode).toBe(409);

      const read = await t.app.inject({ url: `/api/v2/conversations/${testConversation}`, headers: test(tenant) });
      expect(read.statusCode, read.body).toBe(200);
      const usage = await t.app.inject({ url: `/api/v2/tenants/${tenant.id}/usage`, headers: t.adminHeaders });
      expect(usage.json().data.usage.conversations.total).toBe(1);
    },
  );

  it.skipIf(skip)(
    'turns a test chat into a test lead and a test appointment request that no subscription hears of',
    async () => {
      const tenant = await t.createTenant({
        plan: 'enterprise',
        configuration: {
          rate_limits: { multiplier: 100 },
          chatbot: { collect_fields: ['name', 'phone', 'preferred_time'] },
        },
      });
      await subscribe(tenant, ['lead.qualified']);
      const converse = async (headers: Record<string, string>, who: string, phone: string) => {
        let conversationId: string | undefined;
        for (const text of ['I need a quote for a kitchen remodel', who, phone, 'tomorrow afternoon', 'yes']) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v2/chat/message',
            headers,
            payload: {
              message_id: `m_${who}_${text.length}_${Date.now()}`,
              user_id: `visitor_${who}`,
              channel: 'web',
              content: { type: 'text', text },
              ...(conversationId ? { conversation_id: conversationId } : {}),
            },
          });
          expect(res.statusCode, res.body).toBe(200);
          conversationId = res.json<Body>().data.conversation_id as string;
        }
        return conversationId!;
      };
      const testConversation = await converse(test(tenant), 'Tess', '415-555-2672');
      const liveConversation = await converse(live(tenant), 'Liv', '415-555-2673');

      const appointments = await db()
        .selectFrom('appointment_requests')
        .select(['conversation_id', 'lead_id', 'livemode'])
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(Object.fromEntries(appointments.map((a) => [a.conversation_id, liveFlag(a.livemode)]))).toEqual({
        [testConversation]: false,
        [liveConversation]: true,
      });
      const testLead = appointments.find((a) => a.conversation_id === testConversation)?.lead_id;
      const liveLead = appointments.find((a) => a.conversation_id === liveConversation)?.lead_id;
      const events = await delivered(tenant, 1);
      expect(events.map((e) => [e.event, e.data.id])).toEqual([['lead.qualified', liveLead]]);
      const read = await t.app.inject({ url: `/api/qualify/${testLead}`, headers: test(tenant) });
      expect(read.statusCode, read.body).toBe(200);
      const row = await db()
        .selectFrom('leads')
        .select('livemode')
        .where('tenant_id', '=', tenant.id)
        .where('id', '=', testLead!)
        .executeTakeFirstOrThrow();
      expect(liveFlag(row.livemode)).toBe(false);
    },
  );
});
