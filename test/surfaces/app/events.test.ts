import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT_MS } from '../../../src/http/live-stream.js';
import { closeServer } from '../../../src/http/shutdown.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import { TEST_REDIS_URL } from '../../helpers/db.js';
import { openSse, type SseMessage, type SseStream } from '../../pubsub/sse-client.js';
import { browserOf, nextAddress, signedInUser, type Browser } from './app-session.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const FORM_LEAD = {
  email: 'dana.whitfield@northwind-logistics.com',
  company: 'Northwind Logistics',
  name: 'Dana Whitfield',
  message: 'We are a 120-person sales team; budget approved at $40,000, we need a demo this week.',
  source: 'website_form',
};

/** The body of a plain GET over the real port (what a refused EventSource would read). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The first event of `type` on the stream, waiting for it as long as messages keep arriving. */
async function eventOf(s: SseStream, type: string): Promise<SseMessage> {
  for (let count = 1; ; count += 1) {
    const found = (await s.waitForMessages(count)).find((m) => m.event === type);
    if (found) return found;
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
  describe.skipIf(twin.skip)(`GET /app/api/events, ${twin.name}`, () => {
    let t: TestApp;
    let url: string;
    let a: Tenant;
    let b: Tenant;
    let agentA: Browser;
    let viewerA: Browser;
    let agentB: Browser;
    const streams: SseStream[] = [];

    const open = async (browser: Browser) => {
      const s = await openSse(`${url}/app/api/events`, browser.read);
      streams.push(s);
      if (s.status === 200) await s.waitForComment('connected');
      return s;
    };
    /** A visitor's message on the web chat of the tenant (spec D), which the bot answers. */
    const visitorSays = async (tenant: Tenant, text: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v2/chat/message',
        headers: { 'x-api-key': tenant.apiKey },
        payload: { user_id: 'visitor_live', channel: 'web', content: { type: 'text', text } },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ data: { conversation_id: string } }>().data.conversation_id;
    };
    const formLead = async (tenant: Tenant) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/qualify',
        headers: { 'x-api-key': tenant.apiKey },
        payload: FORM_LEAD,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ id: string; tier: string; score: number }>();
    };

    beforeAll(async () => {
      t = await startTestApp({ env: twin.env });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      a = await t.createTenant({ plan: 'enterprise' });
      b = await t.createTenant({ plan: 'enterprise' });
      agentA = (await signedInUser(t, a.id, { email: 'agent@a.example', role: 'agent' })).browser;
      viewerA = (await signedInUser(t, a.id, { email: 'viewer@a.example', role: 'viewer' })).browser;
      agentB = (await signedInUser(t, b.id, { email: 'agent@b.example', role: 'agent' })).browser;
    });
    afterEach(() => {
      for (const s of streams.splice(0)) s.close();
    });
    afterAll(async () => {
      await t.close();
    });

    it("streams tenant A's new message and web-form lead to A's agent, and none of it to B's", async () => {
      const s = await open(agentA);
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const other = await open(agentB);

      const conversationId = await visitorSays(a, 'Do you fix boilers?');
      const lead = await formLead(a);
      const created = await eventOf(s, 'message.created');
      expect(created?.json).toMatchObject({
        type: 'message.created',
        conversation_id: conversationId,
        data: { direction: 'inbound', text: 'Do you fix boilers?' },
      });
      const arrived = await eventOf(s, 'lead.created');
      expect(arrived?.json).toMatchObject({
        type: 'lead.created',
        conversation_id: null,
        data: { id: lead.id, tier: lead.tier, score: lead.score, source: 'website_form' },
      });

      // B's own event arrives on B's stream, so an empty stream is not merely a slow one.
      const own = await formLead(b);
      await other.waitForMessages(1);
      expect(other.messages.map((m) => (m.json.data as { id?: string }).id)).toEqual([own.id]);
      expect(other.body()).not.toContain(a.id);
      expect(other.body()).not.toContain(conversationId);
    });

    it('gives a viewer conversation events but no lead events', async () => {
      const viewer = await open(viewerA);
      const agent = await open(agentA);
      expect(viewer.status).toBe(200);
      await formLead(a);
      const conversationId = await visitorSays(a, 'Are you open on Saturdays?');
      // The lead was published before the messages, so by the viewer's second message it had its chance at the lead.
      await eventOf(agent, 'lead.updated');
      await viewer.waitForMessages(2);
      expect(viewer.messages.map((m) => m.event)).toEqual(['message.created', 'message.created']);
      expect(viewer.messages[0]?.json).toMatchObject({ conversation_id: conversationId });
    });

    it("refuses the platform admin's session, which has no tenant, with 403", async () => {
      const signedIn = await t.app.inject({
        method: 'POST',
        url: '/app/api/admin-session',
        remoteAddress: nextAddress(),
        payload: { key: ADMIN_KEY },
      });
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      const res = await get(`${url}/app/api/events`, { accept: 'text/event-stream', ...browserOf(signedIn).read });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    });

    it('answers 401 in the app envelope without a session', async () => {
      const res = await get(`${url}/app/api/events`, { accept: 'text/event-stream' });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED', request_id: expect.any(String) } });
    });
  });
}

describe('GET /app/api/events over time', () => {
  it('ends the stream at the next heartbeat once its person signed out', async () => {
    const t = await startTestApp();
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'agent@leaving.example', role: 'agent' });
      const staying = (await signedInUser(t, tenant.id, { email: 'agent@staying.example', role: 'agent' })).browser;
      // Only intervals are faked: the heartbeat's clock moves by hand while sockets and timeouts run for real.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const s = await openSse(`${url}/app/api/events`, browser.read);
      const control = await openSse(`${url}/app/api/events`, staying.read);
      try {
        await s.waitForComment('connected');
        await control.waitForComment('connected');
        vi.advanceTimersByTime(HEARTBEAT_MS);
        await s.waitForComment('heartbeat');
        expect(s.ended()).toBe(false);
        const out = await t.app.inject({ method: 'DELETE', url: '/app/api/session', headers: browser.write });
        expect(out.statusCode, out.body).toBe(204);
        vi.advanceTimersByTime(HEARTBEAT_MS);
        await s.waitForEnd();
        // The same heartbeat asked for the person still signed in, whose stream stays open.
        while (control.comments.filter((c) => c === 'heartbeat').length < 2) await new Promise((r) => setTimeout(r, 5));
        expect(control.ended()).toBe(false);
      } finally {
        s.close();
        control.close();
        vi.useRealTimers();
      }
    } finally {
      await t.close();
    }
  });

  it('ends open streams when shutdown starts, so draining the server does not wait on them', async () => {
    const t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const tenant = await t.createTenant();
    const { browser } = await signedInUser(t, tenant.id, { email: 'agent@shutdown.example', role: 'agent' });
    const s = await openSse(`${url}/app/api/events`, browser.read);
    await s.waitForComment('connected');
    expect(await closeServer(t.app, 10_000)).toBe('drained');
    await s.waitForEnd();
    await t.close();
  });
});
