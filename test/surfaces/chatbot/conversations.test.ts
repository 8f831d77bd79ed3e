import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../../src/domain/live/index.js';
import type { OutboundMessage } from '../../../src/domain/conversations/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { createAgent, seedConversation, seedFeedback } from '../../helpers/conversations.js';
import { dialects } from '../../helpers/db.js';
import { startOpenAiFake } from '../../fakes/openai.fake.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

describe.each(dialects)('chatbot conversation routes on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect, clock });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const call = async (tenant: Tenant, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { 'x-api-key': tenant.apiKey },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: res.statusCode, body: res.json<Body>(), raw: res };
  };
  const db = () => t.deps.database.db;

  describe.skipIf(skip)('listing and details', () => {
    it('filters by status, channel, user, dates and message text, sorts and paginates as spec D shows', async () => {
      const tenant = await t.createTenant();
      const a = await seedConversation(db(), tenant.id, {
        channel: 'whatsapp',
        userId: 'whatsapp_+1234567890',
        createdAt: '2025-06-01T10:30:00.000Z',
        currentIntent: 'order_status_inquiry',
        messages: [
          { sender: 'customer', text: 'Where is my ORDER #123? It said 50% off' },
          { sender: 'bot', text: 'Let me check that for you.' },
        ],
      });
      const b = await seedConversation(db(), tenant.id, {
        channel: 'whatsapp',
        userId: 'whatsapp_+9876543210',
        createdAt: '2025-06-01T12:15:00.000Z',
        messages: [
          { sender: 'customer', text: 'I cannot log in' },
          { sender: 'bot', text: 'Sorry to hear that' },
          { sender: 'customer', text: 'still broken' },
        ],
      });
      const c = await seedConversation(db(), tenant.id, {
        channel: 'web',
        createdAt: '2025-05-30T09:00:00.000Z',
        status: 'closed',
        resolution: 'resolved',
        messages: [{ sender: 'customer', text: 'hello' }],
      });
      await seedFeedback(db(), tenant.id, a, { rating: 4 });
      await seedFeedback(db(), tenant.id, a, { rating: 5 });

      const list = await call(
        tenant,
        'GET',
        '/api/v2/conversations?status=active&channel=whatsapp&date_from=2025-06-01&limit=50&sort=last_activity_desc',
      );
      expect(list.status).toBe(200);
      expect(list.body.status).toBe('success');
      expect(list.body.data.conversations.map((x: Body) => x.conversation_id)).toEqual([b, a]);
      expect(list.body.data.pagination).toEqual({ total: 2, page: 1, page_size: 50, has_next: false });
      const first = list.body.data.conversations.find((x: Body) => x.conversation_id === a);
      expect(first).toMatchObject({
        user_id: 'whatsapp_+1234567890',
        channel: 'whatsapp',
        status: 'active',
        started_at: '2025-06-01T10:30:00.000Z',
        last_activity_at: '2025-06-01T10:32:00.000Z',
        message_count: 2,
        current_intent: 'order_status_inquiry',
        summary: {
          primary_issue: 'Order status inquiry',
          resolution_status: 'in_progress',
          customer_satisfaction: 4.5,
        },
      });

      const search = async (q: string) =>
        (
          await call(tenant, 'GET', `/api/v2/conversations?search=${encodeURIComponent(q)}`)
        ).body.data.conversations.map((x: Body) => x.conversation_id);
      expect(await search('order')).toEqual([a]);
      expect(await search('LOG IN')).toEqual([b]);
      expect(await search('50%')).toEqual([a]);
      expect(await search('%')).toEqual([a]);
      expect(await search('order broken')).toEqual([]);
      expect(await search('nothing-like-this')).toEqual([]);

      expect(
        (await call(tenant, 'GET', '/api/v2/conversations?user_id=whatsapp_%2B9876543210')).body.data.conversations.map(
          (x: Body) => x.conversation_id,
        ),
      ).toEqual([b]);
      expect(
        (await call(tenant, 'GET', '/api/v2/conversations?date_to=2025-05-31')).body.data.conversations.map(
          (x: Body) => x.conversation_id,
        ),
      ).toEqual([c]);
      expect(
        (
          await call(tenant, 'GET', '/api/v2/conversations?date_from=2025-06-01T11:00:00Z&date_to=2025-06-01T13:00:00Z')
        ).body.data.conversations.map((x: Body) => x.conversation_id),
      ).toEqual([b]);
      expect(
        (await call(tenant, 'GET', '/api/v2/conversations?status=closed')).body.data.conversations[0].summary
          .resolution_status,
      ).toBe('resolved');
      expect(
        (await call(tenant, 'GET', '/api/v2/conversations?sort=created_at&order=asc')).body.data.conversations.map(
          (x: Body) => x.conversation_id,
        ),
      ).toEqual([c, a, b]);
      expect(
        (await call(tenant, 'GET', '/api/v2/conversations?sort=created_at_desc')).body.data.conversations.map(
          (x: Body) => x.conversation_id,
        ),
      ).toEqual([b, a, c]);

      const page2 = await call(tenant, 'GET', '/api/v2/conversations?sort=created_at_asc&limit=2&page=2');
      expect(page2.body.data.conversations.map((x: Body) => x.conversation_id)).toEqual([b]);
      expect(page2.body.data.pagination).toEqual({ total: 3, page: 2, page_size: 2, has_next: false });
      expect((await call(tenant, 'GET', '/api/v2/conversations?limit=2')).body.data.pagination.has_next).toBe(true);
    });

    it('rejects bad filters with spec D’s validation envelope', async () => {
      const tenant = await t.createTenant();
      for (const q of [
        'status=pending',
        'channel=fax',
        'date_from=yesterday',
        'limit=0',
        'limit=101',
        'sort=random',
        'page=0',
      ]) {
        const res = await call(tenant, 'GET', `/api/v2/conversations?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body.status).toBe('error');
        expect(res.body.error.code).toBe('VALIDATION_ERROR');
        expect(res.body.meta.api_version).toBe('v2');
      }
    });

    it('returns the latest messages in order, with context and summary, as spec D’s detail example', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, {
        createdAt: '2025-06-01T10:00:00.000Z',
        state: {
          current_intent: 'order_inquiry',
          entities: { order_number: 'ORD123456' },
          collected: { email: 'john@example.com' },
        },
        messages: Array.from({ length: 6 }, (_, i) => ({
          sender: i % 2 === 0 ? ('customer' as const) : ('bot' as const),
          text: `message ${i + 1}`,
        })),
      });
      const res = await call(tenant, 'GET', `/api/v2/conversations/${id}?include_messages=true&message_limit=4`);
      expect(res.status).toBe(200);
      const d = res.body.data;
      expect(d.conversation_id).toBe(id);
      expect(d.context).toMatchObject({
        current_intent: 'order_inquiry',
        entities: { order_number: 'ORD123456', email: 'john@example.com' },
      });
      expect(d.messages.map((m: Body) => m.content.text)).toEqual(['message 3', 'message 4', 'message 5', 'message 6']);
      expect(d.messages[0]).toMatchObject({
        direction: 'inbound',
        sender: 'customer',
        timestamp: '2025-06-01T10:03:00.000Z',
        content: { type: 'text', text: 'message 3' },
      });
      expect(d.has_more_messages).toBe(true);
      expect(d.summary).toEqual({
        total_messages: 6,
        duration_minutes: 6,
        resolution_status: 'in_progress',
        escalation_count: 0,
      });

      const bare = await call(tenant, 'GET', `/api/v2/conversations/${id}?include_messages=false`);
      expect(bare.body.data.messages).toBeUndefined();
      expect((await call(tenant, 'GET', `/api/v2/conversations/${id}?message_limit=0`)).status).toBe(400);
    });

    it('answers 404 NOT_FOUND for an unknown conversation on every route', async () => {
      const tenant = await t.createTenant();
      const routes: [method: 'GET' | 'POST', suffix: string, body?: object][] = [
        ['GET', ''],
        ['POST', '/export', { format: 'json' }],
        ['POST', '/transfer', { priority: 'high' }],
        ['POST', '/close'],
        ['POST', '/reopen'],
        ['GET', '/summary'],
        ['GET', '/analytics'],
        ['POST', '/handback'],
        ['POST', '/messages', { text: 'hi' }],
      ];
      for (const [method, suffix, body] of routes) {
        const res = await call(tenant, method, `/api/v2/conversations/conv_missing${suffix}`, body);
        expect(res.status, `${method} ${suffix}`).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
        expect(res.body.error.message).toContain('conv_missing');
      }
    });
  });

  describe.skipIf(skip)('export', () => {
    it('writes a json file with the messages in range, metadata and analytics, behind a signed link that expires', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, {
        createdAt: '2025-06-01T09:58:00.000Z',
        messages: [
          { sender: 'customer', text: 'before the range', at: '2025-05-31T23:00:00.000Z' },
          {
            sender: 'customer',
            text: 'Hello, I need help with my order',
            at: '2025-06-01T10:00:00.000Z',
            intent: 'order_inquiry',
          },
          { sender: 'bot', text: 'Could you please provide your order number?', at: '2025-06-01T10:00:01.000Z' },
        ],
      });
      const res = await call(tenant, 'POST', `/api/v2/conversations/${id}/export`, {
        format: 'json',
        include_metadata: true,
        include_analytics: true,
        date_range: { start: '2025-06-01T00:00:00Z', end: '2025-06-01T23:59:59Z' },
      });
      expect(res.status).toBe(200);
      const d = res.body.data;
      expect(d.export_id).toMatch(/^export_[0-9a-z]{26}$/);
      expect(d.message_count).toBe(2);
      expect(Date.parse(d.expires_at) - Date.now()).toBeGreaterThan(23 * 3_600_000);
      const url = new URL(d.download_url);
      expect(url.pathname).toBe(`/api/v2/conversations/exports/${d.export_id}.json`);

      const file = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toContain('application/json');
      expect(file.headers['content-disposition']).toBe(`attachment; filename="${d.export_id}.json"`);
      expect(file.rawPayload.length).toBe(d.file_size_bytes);
      const content = file.json<Body>();
      expect(content.conversation.conversation_id).toBe(id);
      expect(content.conversation.state).toBeDefined();
      expect(content.messages.map((m: Body) => m.content.text)).toEqual([
        'Hello, I need help with my order',
        'Could you please provide your order number?',
      ]);
      expect(content.messages[0].metadata).toEqual({});
      expect(content.analytics.messages.total).toBe(2);

      const forged = new URL(url);
      forged.searchParams.set('signature', 'a'.repeat(64));
      expect((await t.app.inject({ method: 'GET', url: forged.pathname + forged.search })).statusCode).toBe(403);
      const otherTenant = new URL(url);
      otherTenant.searchParams.set('tenant_id', 'someone-else');
      expect((await t.app.inject({ method: 'GET', url: otherTenant.pathname + otherTenant.search })).statusCode).toBe(
        403,
      );

      offsetMs = 25 * 3_600_000;
      try {
        const expired = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
        expect(expired.statusCode).toBe(410);
        expect(expired.json<Body>().error.code).toBe('GONE');
      } finally {
        offsetMs = 0;
      }
    });

    it('writes csv with one row per message, quoting and defusing spreadsheet formulas', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, {
        messages: [
          { sender: 'customer', text: 'Hi, "quoted", and\nnew line' },
          { sender: 'customer', text: '=HYPERLINK("http://x")' },
        ],
      });
      const res = await call(tenant, 'POST', `/api/v2/conversations/${id}/export`, { format: 'csv' });
      expect(res.status).toBe(200);
      const url = new URL(res.body.data.download_url);
      const file = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
      expect(file.headers['content-type']).toContain('text/csv');
      const lines = file.body.split('\r\n');
      expect(lines[0]).toBe(
        'conversation_id,message_id,timestamp,direction,sender,content_type,text,intent,confidence,sentiment,status',
      );
      expect(file.body).toContain('"Hi, ""quoted"", and\nnew line"');
      expect(file.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    });

    it('refuses bad export requests', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
      for (const body of [
        { format: 'pdf' },
        { format: 'csv', include_analytics: true },
        { date_range: { start: 'yesterday' } },
        { date_range: { start: '2025-06-02T00:00:00Z', end: '2025-06-01T00:00:00Z' } },
      ]) {
        const res = await call(tenant, 'POST', `/api/v2/conversations/${id}/export`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_ERROR');
      }
    });
  });

  describe.skipIf(skip)('transfer to a human and back', () => {
    it('assigns a named agent, tells the customer, pauses the bot and publishes the transfer live', async () => {
      const tenant = await t.createTenant();
      const john = await createAgent(t, tenant.id, {
        email: 'john@acme.test',
        first_name: 'John',
        last_name: 'Doe',
        department: 'technical_support',
      });
      const id = await seedConversation(db(), tenant.id, {
        messages: [{ sender: 'customer', text: 'I cannot log in' }],
      });
      const events: LiveEvent[] = [];
      const sub = await t.deps.live.subscribe(tenant.id, id, (e) => events.push(e));
      const res = await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {
        transfer_reason: 'complex_technical_issue',
        transfer_note: 'Customer has login issues that require account verification',
        department: 'technical_support',
        priority: 'high',
        agent_id: john,
      });
      await sub.close();
      expect(res.status).toBe(200);
      const d = res.body.data;
      expect(d.transfer_id).toMatch(/^transfer_/);
      expect(d.assigned_agent).toEqual({ agent_id: john, name: 'John Doe', department: 'technical_support' });
      expect(d.queue_position).toBe(1);
      expect(d.estimated_wait_time_minutes).toBe(0);
      expect(d.transfer_message).toBe(
        "I'm connecting you with John from our technical support team. They will be with you shortly.",
      );

      const detail = (await call(tenant, 'GET', `/api/v2/conversations/${id}`)).body.data;
      expect(detail).toMatchObject({
        status: 'waiting_agent',
        bot_paused: true,
        assigned_agent_id: john,
        department: 'technical_support',
        priority: 'high',
      });
      expect(detail.messages.at(-1)).toMatchObject({
        direction: 'outbound',
        sender: 'system',
        content: { text: d.transfer_message },
      });
      expect(detail.summary.escalation_count).toBe(1);
      const transferred = events.find((e) => e.type === 'conversation.transferred');
      expect(transferred?.data).toMatchObject({
        transfer_id: d.transfer_id,
        queue_position: 1,
        priority: 'high',
        message: { text: d.transfer_message },
      });

      const row = await db()
        .selectFrom('transfers')
        .selectAll()
        .where('id', '=', d.transfer_id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        tenant_id: tenant.id,
        conversation_id: id,
        agent_user_id: john,
        status: 'queued',
        reason: 'complex_technical_issue',
        note: 'Customer has login issues that require account verification',
      });
    });

    it('gives a department transfer to its least-busy agent', async () => {
      const tenant = await t.createTenant();
      const ann = await createAgent(t, tenant.id, { email: 'ann@acme.test', first_name: 'Ann', department: 'billing' });
      const bob = await createAgent(t, tenant.id, { email: 'bob@acme.test', first_name: 'Bob', department: 'billing' });
      await createAgent(t, tenant.id, {
        email: 'viewer@acme.test',
        first_name: 'Vic',
        department: 'billing',
        role: 'viewer',
      });
      await createAgent(t, tenant.id, { email: 'sales@acme.test', first_name: 'Sal', department: 'sales' });
      const transfer = async () => {
        const id = await seedConversation(db(), tenant.id, {
          messages: [{ sender: 'customer', text: 'refund please' }],
        });
        return (
          await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {
            department: 'billing',
            transfer_reason: 'refund',
          })
        ).body.data;
      };
      // Both idle: the longer-standing user; then the other, who now has fewer; then back to Ann.
      expect((await transfer()).assigned_agent.agent_id).toBe(ann);
      expect((await transfer()).assigned_agent.agent_id).toBe(bob);
      const third = await transfer();
      expect(third.assigned_agent.agent_id).toBe(ann);
      expect(third.queue_position).toBe(2);

      // A department with no one who may answer: the tenant's queue for that department.
      const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'hello' }] });
      const none = (await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, { department: 'legal' })).body
        .data;
      expect(none.assigned_agent).toBeNull();
      expect(none.transfer_message).toBe(
        "I'm connecting you with a member of our legal team. They will be with you shortly.",
      );
    });

    it('estimates the wait from the queue ahead and the average handling time of completed transfers', async () => {
      const tenant = await t.createTenant();
      const agent = await createAgent(t, tenant.id, {
        email: 'solo@acme.test',
        first_name: 'Solo',
        department: 'support',
      });
      const open = async (priority = 'normal') => {
        const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'help' }] });
        return {
          id,
          data: (
            await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, { department: 'support', priority })
          ).body.data,
        };
      };
      // No completed transfer yet: the documented default of 5 minutes per conversation ahead.
      const first = await open();
      expect(first.data).toMatchObject({
        queue_position: 1,
        estimated_wait_time_seconds: 0,
        average_handling_time_seconds: 300,
      });
      const second = await open();
      expect(second.data).toMatchObject({
        queue_position: 2,
        estimated_wait_time_seconds: 300,
        estimated_wait_time_minutes: 5,
      });
      expect(second.data.transfer_message).toBe(
        "I'm connecting you with Solo from our support team. You are number 2 in the queue. Estimated wait time: 5 minutes.",
      );

      // The agent takes the first one, spends 10 minutes, hands it back: the average becomes 600 s.
      expect(
        (await call(tenant, 'POST', `/api/v2/conversations/${first.id}/messages`, { text: 'Hi, Solo here.' })).status,
      ).toBe(201);
      offsetMs = 10 * 60_000;
      try {
        expect((await call(tenant, 'POST', `/api/v2/conversations/${first.id}/handback`)).status).toBe(200);
        const third = await open();
        // Ahead of it now: only the second conversation.
        expect(third.data).toMatchObject({
          queue_position: 2,
          estimated_wait_time_seconds: 600,
          estimated_wait_time_minutes: 10,
          average_handling_time_seconds: 600,
        });
        // An urgent one goes ahead of every normal one.
        const urgent = await open('urgent');
        expect(urgent.data).toMatchObject({ queue_position: 1, estimated_wait_time_seconds: 0 });
        const fourth = await open();
        expect(fourth.data.queue_position).toBe(4);
        expect(fourth.data.assigned_agent.agent_id).toBe(agent);
      } finally {
        offsetMs = 0;
      }
    });

    it('lets the agent reply and hand back: the transfer is accepted, then completed, and the bot answers again', async () => {
      const tenant = await t.createTenant();
      const agent = await createAgent(t, tenant.id, { email: 'kim@acme.test', first_name: 'Kim' });
      const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
      const early = await call(tenant, 'POST', `/api/v2/conversations/${id}/messages`, { text: 'Hello' });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('CONFLICT');
      expect((await call(tenant, 'POST', `/api/v2/conversations/${id}/handback`)).status).toBe(409);

      const transfer = (await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, { agent_id: agent })).body
        .data;
      const events: LiveEvent[] = [];
      const sub = await t.deps.live.subscribe(tenant.id, id, (e) => events.push(e));
      const sent = await call(tenant, 'POST', `/api/v2/conversations/${id}/messages`, {
        text: 'Kim here, how can I help?',
      });
      await sub.close();
      expect(sent.status).toBe(201);
      expect(sent.body.data).toMatchObject({
        sender: 'agent',
        agent: { agent_id: agent, name: 'Kim' },
        transfer_id: transfer.transfer_id,
        content: { text: 'Kim here, how can I help?' },
        status: 'sent',
      });
      expect(events.find((e) => e.type === 'message.created')?.data).toMatchObject({
        message_id: sent.body.data.message_id,
        sender: 'agent',
      });
      expect((await call(tenant, 'GET', `/api/v2/conversations/${id}`)).body.data).toMatchObject({
        status: 'with_agent',
        bot_paused: true,
      });
      expect(
        await db()
          .selectFrom('transfers')
          .select(['status', 'accepted_at'])
          .where('id', '=', transfer.transfer_id)
          .executeTakeFirstOrThrow(),
      ).toMatchObject({ status: 'accepted' });

      const back = await call(tenant, 'POST', `/api/v2/conversations/${id}/handback`);
      expect(back.status).toBe(200);
      expect(back.body.data).toMatchObject({ conversation_id: id, status: 'active', bot_paused: false });
      expect(
        (
          await db()
            .selectFrom('transfers')
            .select('status')
            .where('id', '=', transfer.transfer_id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('completed');
      expect((await call(tenant, 'POST', `/api/v2/conversations/${id}/handback`)).status).toBe(409);
      expect((await call(tenant, 'POST', `/api/v2/conversations/${id}/messages`, { text: 'too late' })).status).toBe(
        409,
      );
    });

    it('sends the transfer notice and agent replies out through the channel when the conversation is not web', async () => {
      const tenant = await t.createTenant();
      const sent: OutboundMessage[] = [];
      // The handoff holds the composed delivery service: its `deliver` is replaced for this test.
      const deliver = vi.spyOn(t.deps.services.channelDelivery, 'deliver').mockImplementation((_tenantId, message) => {
        sent.push(message);
        return Promise.resolve();
      });
      try {
        const id = await seedConversation(db(), tenant.id, {
          channel: 'whatsapp',
          userId: 'whatsapp_+15551234567',
          contact: { phone: '+15551234567', platformUserId: '15551234567' },
          messages: [{ sender: 'customer', text: 'agent please' }],
        });
        const web = await seedConversation(db(), tenant.id, {
          channel: 'web',
          messages: [{ sender: 'customer', text: 'agent please' }],
        });
        const transfer = (await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {})).body.data;
        await call(tenant, 'POST', `/api/v2/conversations/${web}/transfer`, {});
        await call(tenant, 'POST', `/api/v2/conversations/${id}/messages`, { text: 'Hello from a human' });
        expect(sent.map((m) => [m.channel, m.to, m.text])).toEqual([
          ['whatsapp', '15551234567', transfer.transfer_message],
          ['whatsapp', '15551234567', 'Hello from a human'],
        ]);
        expect(sent[0]!.conversationId).toBe(id);

        // A delivery that fails leaves the handoff standing and the failure on the message.
        deliver.mockImplementation(() => Promise.reject(new Error('platform down')));
        const failed = await call(tenant, 'POST', `/api/v2/conversations/${id}/messages`, { text: 'Are you there?' });
        expect(failed.status).toBe(201);
        expect(failed.body.data.status).toBe('failed');
        expect(
          (
            await db()
              .selectFrom('messages')
              .select(['status', 'error'])
              .where('id', '=', failed.body.data.message_id)
              .executeTakeFirstOrThrow()
          ).error,
        ).toBe('platform down');
      } finally {
        deliver.mockRestore();
      }
    });

    it('refuses bad transfer requests and closed conversations', async () => {
      const tenant = await t.createTenant();
      const other = await t.createTenant();
      const foreignAgent = await createAgent(t, other.id, { email: 'x@other.test' });
      const viewer = await createAgent(t, tenant.id, { email: 'v@acme.test', role: 'viewer' });
      const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
      for (const [body, field] of [
        [{ priority: 'asap' }, 'priority'],
        [{ agent_id: 'user_nobody' }, 'agent_id'],
        [{ agent_id: foreignAgent }, 'agent_id'],
        [{ agent_id: viewer }, 'agent_id'],
      ] as const) {
        const res = await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.details.field).toBe(field);
      }
      const closed = await seedConversation(db(), tenant.id, {
        status: 'closed',
        resolution: 'resolved',
        messages: [{ sender: 'customer', text: 'bye' }],
      });
      const res = await call(tenant, 'POST', `/api/v2/conversations/${closed}/transfer`, { priority: 'high' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: { conversation_status: 'closed' } });
      expect(res.body.error.message).toContain('closed');
    });
  });

  describe.skipIf(skip)('close and reopen', () => {
    it('closes with a stored resolution, ending open transfers, and reopens only a closed conversation', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, { messages: [{ sender: 'customer', text: 'hi' }] });
      const transfer = (await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {})).body.data;

      const reopenActive = await call(tenant, 'POST', `/api/v2/conversations/${id}/reopen`);
      expect(reopenActive.status).toBe(409);
      expect(reopenActive.body.error.message).toContain('not closed');

      const close = await call(tenant, 'POST', `/api/v2/conversations/${id}/close`, { resolution: 'unresolved' });
      expect(close.status).toBe(200);
      expect(close.body.data).toMatchObject({
        conversation_id: id,
        status: 'closed',
        previous_status: 'waiting_agent',
        resolution: 'unresolved',
      });
      const stored = await db().selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ status: 'closed', resolution: 'unresolved', bot_paused: 0 });
      expect(stored.closed_at).not.toBeNull();
      expect(
        (
          await db()
            .selectFrom('transfers')
            .select('status')
            .where('id', '=', transfer.transfer_id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('cancelled');
      expect(
        (await call(tenant, 'GET', `/api/v2/conversations?status=closed`)).body.data.conversations[0].summary
          .resolution_status,
      ).toBe('unresolved');

      const again = await call(tenant, 'POST', `/api/v2/conversations/${id}/close`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('already closed');
      expect(
        (await call(tenant, 'POST', `/api/v2/conversations/${id}/close`, { resolution: 'Not A Label!' })).status,
      ).toBe(400);

      const reopen = await call(tenant, 'POST', `/api/v2/conversations/${id}/reopen`);
      expect(reopen.status).toBe(200);
      expect(reopen.body.data).toMatchObject({ conversation_id: id, status: 'active', previous_status: 'closed' });
      expect(
        await db()
          .selectFrom('conversations')
          .select(['status', 'resolution', 'closed_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ status: 'active', resolution: null, closed_at: null });

      const closeDefault = await call(tenant, 'POST', `/api/v2/conversations/${id}/close`);
      expect(closeDefault.body.data.resolution).toBe('resolved');
    });
  });

  describe.skipIf(skip)('summary and analytics', () => {
    const story = {
      channel: 'web',
      createdAt: '2025-06-01T10:00:00.000Z',
      currentIntent: 'book_appointment',
      state: {
        current_intent: 'book_appointment',
        conversation_stage: 'collecting' as const,
        collected: { name: 'Maria Lopez', phone: '+15551230000', service: 'AC repair' },
        entities: { preferred_day: 'tomorrow' },
      },
      messages: [
        {
          sender: 'customer' as const,
          text: 'My AC is broken and this is terrible, I am really frustrated',
          intent: 'book_appointment',
          at: '2025-06-01T10:00:00.000Z',
        },
        { sender: 'bot' as const, text: 'Sorry to hear that! What is your name?', at: '2025-06-01T10:00:02.000Z' },
        {
          sender: 'customer' as const,
          text: 'Maria Lopez, 555 123 0000',
          intent: 'provide_contact',
          at: '2025-06-01T10:01:00.000Z',
        },
        { sender: 'bot' as const, text: 'Thanks Maria. When suits you?', at: '2025-06-01T10:01:04.000Z' },
        {
          sender: 'customer' as const,
          text: 'Tomorrow would be great, thank you so much!',
          intent: 'book_appointment',
          at: '2025-06-01T10:02:00.000Z',
        },
      ],
    };

    it('summarises the goal, what was collected, the outcome and the sentiment from the stored conversation', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, story);
      const res = await call(tenant, 'GET', `/api/v2/conversations/${id}/summary`);
      expect(res.status).toBe(200);
      const s = res.body.data;
      // The answer's keys, nested ones included, in the order spec D clients have always received them.
      const keyPaths = (o: Body, at = ''): string[] =>
        Object.entries(o).flatMap(([k, v]) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) && k !== 'fields' && k !== 'entities'
            ? [`${at}${k}`, ...keyPaths(v, `${at}${k}.`)]
            : [`${at}${k}`],
        );
      expect(keyPaths(s)).toEqual([
        'conversation_id',
        'status',
        'customer',
        'customer.name',
        'customer.phone',
        'customer.email',
        'customer_goal',
        'customer_goal.intent',
        'customer_goal.description',
        'customer_goal.first_message',
        'collected',
        'collected.fields',
        'collected.entities',
        'collected.missing_fields',
        'outcome',
        'outcome.resolution_status',
        'outcome.resolution',
        'outcome.description',
        'outcome.lead_id',
        'outcome.transferred',
        'outcome.assigned_agent',
        'sentiment',
        'sentiment.overall',
        'sentiment.trend',
        'sentiment.first',
        'sentiment.last',
        'message_count',
        'duration_minutes',
        'text',
        'generated_by',
      ]);
      expect(s.customer_goal).toEqual({
        intent: 'book_appointment',
        description: 'Book appointment (AC repair)',
        first_message: 'My AC is broken and this is terrible, I am really frustrated',
      });
      expect(s.customer).toEqual({ name: 'Maria Lopez', phone: '+15551230000', email: null });
      expect(s.collected.fields).toEqual({ name: 'Maria Lopez', phone: '+15551230000', service: 'AC repair' });
      expect(s.collected.entities).toEqual({ preferred_day: 'tomorrow' });
      expect(s.collected.missing_fields).toEqual(['email', 'address', 'preferred_time']);
      expect(s.outcome).toMatchObject({
        resolution_status: 'in_progress',
        transferred: false,
        description: 'In progress with the bot (stage: collecting)',
      });
      expect(s.sentiment).toMatchObject({ first: 'negative', last: 'positive', trend: 'improving' });
      expect(s.generated_by).toBe('local');
      expect(s.text).toContain('Maria Lopez contacted us on web: book appointment about AC repair.');
      expect(s.text).toContain('Collected: name Maria Lopez, phone +15551230000, service AC repair.');

      await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {
        department: 'field_service',
        transfer_reason: 'customer_request',
      });
      await call(tenant, 'POST', `/api/v2/conversations/${id}/close`, { resolution: 'appointment_booked' });
      const after = (await call(tenant, 'GET', `/api/v2/conversations/${id}/summary`)).body.data;
      expect(after.outcome).toMatchObject({
        resolution_status: 'appointment_booked',
        transferred: true,
        description: 'Closed as appointment booked',
      });
      expect(after.text).toContain('Transferred to a human once (customer request).');
    });

    it('lets the tenant’s LLM chain phrase the summary, keeping the structured facts from the stored conversation', async () => {
      const llm = await startOpenAiFake();
      try {
        const phrased = 'Maria Lopez wants her broken AC repaired tomorrow; name and phone are collected.';
        llm.reply({
          kind: 'valid',
          model: 'gpt-4o-mini',
          output: {
            intent: 'book_appointment',
            intent_confidence: 0.9,
            sentiment: 'positive',
            scoring_breakdown: { company_fit: 0.5, intent_signal: 0.8, budget_indicator: 0.2, urgency: 0.7 },
            reasoning: 'Asks for a repair visit tomorrow.',
            next_actions: ['Confirm the slot'],
            summary: phrased,
            entities: {},
          },
        });
        const tenant = await t.createTenant({
          configuration: {
            ai_models: {
              primary_provider: 'openai',
              primary_model: 'gpt-4o-mini',
              providers: { openai: { api_key: 'sk-test', base_url: llm.baseUrl } },
            },
          },
        });
        const id = await seedConversation(db(), tenant.id, story);
        const s = (await call(tenant, 'GET', `/api/v2/conversations/${id}/summary`)).body.data;
        expect(s.text).toBe(phrased);
        expect(s.generated_by).toBe('openai:gpt-4o-mini');
        expect(s.customer_goal.intent).toBe('book_appointment');
        expect(JSON.stringify(llm.requests[0]?.body)).toContain(
          'Customer: Tomorrow would be great, thank you so much!',
        );
      } finally {
        await llm.close();
      }
    });

    it('reports duration, messages by sender, intents, sentiment over time, resolution, transfers and feedback', async () => {
      const tenant = await t.createTenant();
      const id = await seedConversation(db(), tenant.id, story);
      await seedFeedback(db(), tenant.id, id, { rating: 5, helpful: true, comment: 'quick and kind' });
      await seedFeedback(db(), tenant.id, id, { rating: 3, helpful: false });
      await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {
        transfer_reason: 'requested',
        priority: 'urgent',
      });
      const res = await call(tenant, 'GET', `/api/v2/conversations/${id}/analytics`);
      expect(res.status).toBe(200);
      const a = res.body.data;
      expect(a.messages).toEqual({
        total: 6,
        by_sender: { customer: 3, bot: 2, agent: 0, system: 1 },
        by_direction: { inbound: 3, outbound: 3 },
        failed: 0,
      });
      expect(a.response_times).toEqual({ first_response_seconds: 2, average_response_seconds: 3 });
      expect(a.intents).toEqual([
        {
          intent: 'book_appointment',
          count: 2,
          first_seen_at: '2025-06-01T10:00:00.000Z',
          last_seen_at: '2025-06-01T10:02:00.000Z',
        },
        {
          intent: 'provide_contact',
          count: 1,
          first_seen_at: '2025-06-01T10:01:00.000Z',
          last_seen_at: '2025-06-01T10:01:00.000Z',
        },
      ]);
      expect(a.sentiment.timeline.map((p: Body) => p.sentiment)).toEqual(['negative', 'neutral', 'positive']);
      expect(a.sentiment.trend).toBe('improving');
      expect(a.resolution).toMatchObject({
        status: 'escalated',
        resolution: null,
        stage: 'collecting',
        collected_fields: ['name', 'phone', 'service'],
      });
      expect(a.escalations.count).toBe(1);
      expect(a.escalations.open).toBe(true);
      expect(a.escalations.transfers[0]).toMatchObject({ status: 'queued', reason: 'requested', priority: 'urgent' });
      expect(a.feedback).toEqual({
        count: 2,
        average_rating: 4,
        helpful: 1,
        not_helpful: 1,
        comments: [{ message_id: null, comment: 'quick and kind', rating: 5, at: '2025-06-01T11:00:00.000Z' }],
      });
      expect(a.duration_seconds).toBeGreaterThanOrEqual(120);
    });
  });

  describe.skipIf(skip)('end to end through the chat API', () => {
    it('lists, searches and summarises a conversation the chat API stored, and keeps the bot silent after a transfer', async () => {
      const tenant = await t.createTenant();
      const chat = async (text: string, conversationId?: string) =>
        call(tenant, 'POST', '/api/v2/chat/message', {
          user_id: 'user_e2e',
          channel: 'web',
          content: { type: 'text', text },
          ...(conversationId ? { conversation_id: conversationId } : {}),
        });
      const first = await chat('What are your opening hours? My zebra question');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const id = first.body.data.conversation_id as string;

      const list = (await call(tenant, 'GET', '/api/v2/conversations?search=ZEBRA&user_id=user_e2e')).body.data;
      expect(list.conversations.map((c: Body) => c.conversation_id)).toEqual([id]);
      expect(list.conversations[0].message_count).toBeGreaterThanOrEqual(2);
      const summary = (await call(tenant, 'GET', `/api/v2/conversations/${id}/summary`)).body.data;
      expect(summary.customer_goal.first_message).toBe('What are your opening hours? My zebra question');

      const transfer = await call(tenant, 'POST', `/api/v2/conversations/${id}/transfer`, {
        transfer_reason: 'customer_request',
      });
      expect(transfer.status).toBe(200);
      const paused = await chat('Hello? Anyone there?', id);
      expect(paused.status).toBe(200);
      expect(paused.body.data.response).toBeNull();
      expect(paused.body.data.conversation_status).toBe('waiting_agent');

      await call(tenant, 'POST', `/api/v2/conversations/${id}/handback`);
      const resumed = await chat('Thanks, what are your hours again?', id);
      expect(resumed.body.data.response).not.toBeNull();
      const analytics = (await call(tenant, 'GET', `/api/v2/conversations/${id}/analytics`)).body.data;
      expect(analytics.messages.by_sender.customer).toBe(3);
      expect(analytics.escalations.transfers[0].status).toBe('completed');
      // Handed back without an agent accepting it: no wait was ended, the handling ran from the transfer.
      expect(analytics.escalations.transfers[0]).toMatchObject({
        wait_seconds: null,
        handling_seconds: expect.any(Number),
      });
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    it('never lists another tenant’s conversations', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      await seedConversation(db(), a.id, { messages: [{ sender: 'customer', text: 'secret order' }] });
      const res = await call(b, 'GET', '/api/v2/conversations?search=secret');
      expect(res.body.data.conversations).toEqual([]);
      expect(res.body.data.pagination.total).toBe(0);
    });

    const createObject = async (tt: TestApp, owner: Tenant) => {
      const id = await seedConversation(tt.deps.database.db, owner.id, {
        messages: [{ sender: 'customer', text: 'hi' }],
      });
      await tt.app.inject({
        method: 'POST',
        url: `/api/v2/conversations/${id}/transfer`,
        headers: { 'x-api-key': owner.apiKey },
        payload: {},
      });
      return id;
    };
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/api/v2/conversations/:object', createObject },
        { method: 'POST', path: '/api/v2/conversations/:object/export', payload: { format: 'json' }, createObject },
        { method: 'POST', path: '/api/v2/conversations/:object/transfer', payload: { priority: 'high' }, createObject },
        {
          method: 'POST',
          path: '/api/v2/conversations/:object/close',
          payload: { resolution: 'resolved' },
          createObject,
        },
        { method: 'POST', path: '/api/v2/conversations/:object/reopen', createObject },
        { method: 'GET', path: '/api/v2/conversations/:object/summary', createObject },
        { method: 'GET', path: '/api/v2/conversations/:object/analytics', createObject },
        { method: 'POST', path: '/api/v2/conversations/:object/handback', createObject },
        { method: 'POST', path: '/api/v2/conversations/:object/messages', payload: { text: 'hello' }, createObject },
      ],
    );
  });
});
