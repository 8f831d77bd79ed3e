import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveBus, LiveEvent } from '../../../src/domain/live/index.js';
import { closeServer } from '../../../src/http/shutdown.js';
import type { Db } from '../../../src/store/db.js';
import { HEARTBEAT_MS } from '../../../src/http/live-stream.js';
import { startTestApp, ADMIN_KEY, type TestApp } from '../../helpers/app.js';
import { TEST_REDIS_URL } from '../../helpers/db.js';
import { conversationRow } from '../../helpers/conversations.js';
import { openSse, type SseStream } from '../../pubsub/sse-client.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

let sequence = 0;
/** A conversation row of the tenant, as the chat core would have stored it. */
async function insertConversation(db: Db, tenantId: string): Promise<string> {
  sequence += 1;
  const id = `conv_live_${Date.now()}_${sequence}`;
  const now = new Date().toISOString();
  await db
    .insertInto('conversations')
    .values(conversationRow({ id, tenant_id: tenantId, user_id: `visitor_${sequence}`, created_at: now }))
    .execute();
  return id;
}

function event(
  tenantId: string,
  conversationId: string,
  type: LiveEvent['type'] = 'message.created',
  data: Record<string, unknown> = {},
): LiveEvent {
  return { type, tenantId, conversationId, at: new Date().toISOString(), data };
}

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Listeners the in-process bus holds; the Redis twin counts this process's listeners the same way. */
function subscriberCount(bus: LiveBus): number {
  if (!('subscriberCount' in bus) || typeof bus.subscriberCount !== 'function')
    throw new Error('this bus cannot count its subscribers');
  return (bus.subscriberCount as () => number)();
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const twins = [
  { name: 'in-process bus', env: {}, skip: false },
  {
    name: TEST_REDIS_URL ? 'Redis bus' : 'Redis bus (skipped: set TEST_REDIS_URL to run)',
    env: { REDIS_URL: TEST_REDIS_URL ?? '' },
    skip: !TEST_REDIS_URL,
  },
];

for (const twin of twins) {
  describe.skipIf(twin.skip)(`live updates over server-sent events, ${twin.name}`, () => {
    let t: TestApp;
    let url: string;
    let a: Tenant;
    let b: Tenant;
    let convA1: string;
    let convA2: string;
    let convB1: string;
    const streams: SseStream[] = [];

    const open = async (path: string, headers: Record<string, string>) => {
      const s = await openSse(`${url}${path}`, headers);
      streams.push(s);
      return s;
    };
    const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });

    beforeAll(async () => {
      t = await startTestApp({ env: twin.env });
      url = await listen(t);
      a = await t.createTenant({ plan: 'enterprise' });
      b = await t.createTenant({ plan: 'enterprise' });
      convA1 = await insertConversation(t.deps.database.db, a.id);
      convA2 = await insertConversation(t.deps.database.db, a.id);
      convB1 = await insertConversation(t.deps.database.db, b.id);
    });
    afterEach(async () => {
      for (const s of streams.splice(0)) s.close();
      // Every stream of the test let go of its subscription once its client hung up.
      await until(() => subscriberCount(t.deps.live) === 0);
    });
    afterAll(async () => {
      await t.deps.live.close();
      await t.close();
    });

    it('streams every conversation of the tenant as text/event-stream with event, id and JSON data', async () => {
      const s = await open('/api/v2/live/events', key(a));
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(s.headers['cache-control']).toBe('no-cache, no-transform');
      await s.waitForComment('connected');
      expect(s.retries).toEqual([3000]);

      const first = event(a.id, convA1, 'message.created', {
        message_id: 'msg_1',
        direction: 'inbound',
        text: 'Do you fix boilers?',
      });
      const second = event(a.id, convA2, 'typing', { typing: true });
      await t.deps.live.publish(first);
      await t.deps.live.publish(second);
      const [m1, m2] = await s.waitForMessages(2);
      expect(m1?.event).toBe('message.created');
      expect(m1?.json).toEqual({
        type: 'message.created',
        tenant_id: a.id,
        conversation_id: convA1,
        timestamp: first.at,
        data: first.data,
      });
      expect(m2?.event).toBe('typing');
      expect(m2?.json).toEqual({
        type: 'typing',
        tenant_id: a.id,
        conversation_id: convA2,
        timestamp: second.at,
        data: { typing: true },
      });
      expect(m1?.id).toMatch(/^evt_[0-9a-z]{26}$/);
      expect(m2?.id).not.toBe(m1?.id);
    });

    it('streams only the named conversation on /conversations/{id}/events', async () => {
      const s = await open(`/api/v2/conversations/${convA1}/events`, key(a));
      expect(s.status).toBe(200);
      await t.deps.live.publish(event(a.id, convA2, 'typing', { n: 1 }));
      await t.deps.live.publish(event(a.id, convA1, 'conversation.transferred', { n: 2 }));
      const [only] = await s.waitForMessages(1);
      // A tenant's events arrive in publish order, so the skipped one would have come first.
      expect(s.messages).toHaveLength(1);
      expect(only?.event).toBe('conversation.transferred');
      expect(only?.json).toMatchObject({ conversation_id: convA1, data: { n: 2 } });
    });

    it("never sends one tenant's events to another tenant's streams", async () => {
      const ofA = await open('/api/v2/live/events', key(a));
      const ofB = await open('/api/v2/live/events', key(b));
      const adminAsB = await open('/api/v2/live/events', { 'x-admin-api-key': ADMIN_KEY, 'x-tenant-id': b.id });
      await t.deps.live.publish(event(b.id, convB1, 'message.created', { secret: 'of B' }));
      await t.deps.live.publish(event(a.id, convA1, 'message.created', { secret: 'of A' }));
      await ofA.waitForMessages(1);
      await ofB.waitForMessages(1);
      await adminAsB.waitForMessages(1);
      await t.deps.live.publish(event(a.id, convA2, 'typing', { last: true }));
      await ofA.waitForMessages(2);
      expect(ofA.messages.map((m) => m.json.tenant_id)).toEqual([a.id, a.id]);
      expect(ofB.messages.map((m) => m.json.data)).toEqual([{ secret: 'of B' }]);
      expect(adminAsB.messages.map((m) => m.json.data)).toEqual([{ secret: 'of B' }]);
    });

    it("answers 404 in spec D's envelope for another tenant's conversation, and for an unknown one", async () => {
      for (const id of [convB1, 'conv_does_not_exist']) {
        const s = await open(`/api/v2/conversations/${id}/events`, key(a));
        expect(s.status).toBe(404);
        await s.waitForEnd();
        const body = JSON.parse(s.body()) as Record<string, unknown>;
        expect(body).toMatchObject({
          status: 'error',
          error: { code: 'NOT_FOUND', message: `Conversation '${id}' not found` },
          meta: { api_version: 'v2' },
        });
        expect((body.meta as { request_id: string }).request_id).toBe(s.headers['x-request-id']);
      }
      expect(subscriberCount(t.deps.live)).toBe(0);
    });

    it('refuses a caller without credentials (401) and a widget or owner token (403)', async () => {
      const none = await open('/api/v2/live/events', {});
      expect(none.status).toBe(401);
      await none.waitForEnd();
      expect(JSON.parse(none.body())).toMatchObject({ status: 'error', error: { code: 'UNAUTHORIZED' } });
      const widget = await open('/api/v2/live/events', { 'x-widget-token': a.credentials.widget_token });
      expect(widget.status).toBe(403);
      const owner = await open(`/api/v2/conversations/${convA1}/events`, {
        'x-owner-token': a.credentials.owner_token,
      });
      expect(owner.status).toBe(403);
    });

    it('accepts a bearer JWT from the token endpoint', async () => {
      const token = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/token',
        payload: { client_id: a.credentials.client_id, client_secret: a.credentials.client_secret },
      });
      expect(token.statusCode, token.body).toBe(200);
      const s = await open(`/api/v2/conversations/${convA2}/events`, {
        authorization: `Bearer ${token.json<{ access_token: string }>().access_token}`,
      });
      expect(s.status).toBe(200);
      await t.deps.live.publish(event(a.id, convA2, 'typing'));
      expect(await s.waitForMessages(1)).toHaveLength(1);
    });

    it('streams what the chat routes publish: typing, then the customer message and the bot reply', async () => {
      const conversationId = `conv_chat_${randomBytes(6).toString('hex')}`;
      const chat = (url: string, payload: Record<string, unknown>) =>
        t.app.inject({ method: 'POST', url, headers: key(a), payload });
      const opened = await chat('/api/v2/chat/message', {
        message_id: `m_${conversationId}_1`,
        conversation_id: conversationId,
        user_id: 'visitor_9',
        channel: 'web',
        content: { type: 'text', text: 'Hello' },
      });
      expect(opened.statusCode, opened.body).toBe(200);
      const s = await open(`/api/v2/conversations/${conversationId}/events`, key(a));
      expect(s.status).toBe(200);

      const typing = await chat('/api/v2/chat/typing', {
        conversation_id: conversationId,
        user_id: 'visitor_9',
        channel: 'web',
        typing_duration_ms: 1500,
      });
      expect(typing.statusCode, typing.body).toBe(200);
      const [typed] = await s.waitForMessages(1);
      expect(typed?.event).toBe('typing');
      expect(typed?.json).toMatchObject({
        conversation_id: conversationId,
        data: { sender: 'customer', duration_ms: 1500 },
      });

      const sent = await chat('/api/v2/chat/message', {
        message_id: `m_${conversationId}_2`,
        conversation_id: conversationId,
        user_id: 'visitor_9',
        channel: 'web',
        content: { type: 'text', text: 'What are your opening hours?' },
      });
      expect(sent.statusCode, sent.body).toBe(200);
      const messages = (await s.waitForMessages(3)).slice(1);
      expect(messages.map((m) => m.event)).toEqual(['message.created', 'message.created']);
      expect(messages.map((m) => (m.json.data as Record<string, unknown>).direction)).toEqual(['inbound', 'outbound']);
      expect(messages[0]?.json.data).toMatchObject({ text: 'What are your opening hours?', sender: 'customer' });
      expect((messages[1]?.json.data as Record<string, unknown>).text).toBe(
        sent.json<{ data: { response: { text: string } } }>().data.response.text,
      );
    });

    it('streams a transfer to a person made through the conversation routes', async () => {
      const s = await open('/api/v2/live/events', key(a));
      expect(s.status).toBe(200);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/conversations/${convA2}/transfer`,
        headers: key(a),
        payload: { transfer_reason: 'billing question', priority: 'high' },
      });
      expect(res.statusCode, res.body).toBe(200);
      await until(() => s.messages.some((m) => m.event === 'conversation.transferred'));
      const transferred = s.messages.find((m) => m.event === 'conversation.transferred');
      expect(transferred?.json).toMatchObject({
        type: 'conversation.transferred',
        tenant_id: a.id,
        conversation_id: convA2,
      });
    });

    it('releases its subscription when the client disconnects', async () => {
      const s = await open('/api/v2/live/events', key(a));
      const one = await open(`/api/v2/conversations/${convA1}/events`, key(a));
      await s.waitForComment('connected');
      await one.waitForComment('connected');
      expect(subscriberCount(t.deps.live)).toBe(2);
      s.close();
      one.close();
      await until(() => subscriberCount(t.deps.live) === 0);
    });

    it('keeps a stream open and delivering after the tenant spent its rate limit', async () => {
      const limited = await t.createTenant({
        plan: 'free',
        configuration: { rate_limits: { classes: { api: { minute: 3 } } } },
      });
      const conv = await insertConversation(t.deps.database.db, limited.id);
      const s = await open('/api/v2/live/events', key(limited));
      expect(s.status).toBe(200);
      expect(s.headers['x-ratelimit-limit']).toBe('3');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await fetch(`${url}/api/v2/tenants/${limited.id}`, { headers: key(limited) })).status);
      expect(statuses).toContain(429);
      await t.deps.live.publish(event(limited.id, conv, 'message.created', { after: 'limit' }));
      const [m] = await s.waitForMessages(1);
      expect(m?.json.data).toEqual({ after: 'limit' });
      expect(s.ended()).toBe(false);
    });
  });
}

describe('live updates over server-sent events, heartbeat and shutdown', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await t?.close();
    t = undefined;
  });

  it(`sends a heartbeat comment every ${HEARTBEAT_MS / 1000} seconds`, async () => {
    t = await startTestApp();
    const url = await listen(t);
    const tenant = await t.createTenant();
    // Only intervals are faked: the heartbeat's clock moves by hand while sockets and timeouts run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const s = await openSse(`${url}/api/v2/live/events`, { 'x-api-key': tenant.apiKey });
    try {
      await s.waitForComment('connected');
      vi.advanceTimersByTime(HEARTBEAT_MS - 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.comments.filter((c) => c === 'heartbeat')).toHaveLength(0);
      vi.advanceTimersByTime(1);
      await until(() => s.comments.filter((c) => c === 'heartbeat').length === 1);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      await until(() => s.comments.filter((c) => c === 'heartbeat').length === 2);
    } finally {
      s.close();
    }
  });

  it('ends the stream of a reader that stopped reading, rather than buffer for it without bound', async () => {
    t = await startTestApp();
    const url = await listen(t);
    const tenant = await t.createTenant();
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${url}/api/v2/live/events`, { headers: { 'x-api-key': tenant.apiKey } }, resolve).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    await until(() => subscriberCount(t!.deps.live) === 1);
    const text = 'x'.repeat(64 * 1024);
    // Far more than the socket buffers and the stream's allowance together can hold.
    for (let i = 0; i < 400 && subscriberCount(t.deps.live) > 0; i++) {
      await t.deps.live.publish(event(tenant.id, 'conv_flood', 'message.created', { i, text }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(subscriberCount(t.deps.live)).toBe(0);
    const ended = new Promise<void>((resolve) => response.once('end', resolve));
    response.resume();
    await ended;
  });

  it('ends open streams when shutdown starts, so draining the server does not wait on them', async () => {
    t = await startTestApp();
    const url = await listen(t);
    const tenant = await t.createTenant();
    const conv = await insertConversation(t.deps.database.db, tenant.id);
    const all = await openSse(`${url}/api/v2/live/events`, { 'x-api-key': tenant.apiKey });
    const one = await openSse(`${url}/api/v2/conversations/${conv}/events`, { 'x-api-key': tenant.apiKey });
    await all.waitForComment('connected');
    await one.waitForComment('connected');
    const started = Date.now();
    expect(await closeServer(t.app, 10_000)).toBe('drained');
    expect(Date.now() - started).toBeLessThan(3_000);
    await all.waitForEnd();
    await one.waitForEnd();
    expect(subscriberCount(t.deps.live)).toBe(0);
  });
});
