import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, cleanEnv, freePort, start, type Running } from './helpers/cli.js';
import { openTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, type TestDatabase } from './helpers/db.js';
import { openSse, type SseStream } from './pubsub/sse-client.js';

const ADMIN_KEY = 'fd_admin_live_two_process_0001';
const MASTER_KEY = 'live-two-process-master-key-0123456789ab';
const SHUTDOWN_TIMEOUT_S = 10;
const ready = Boolean(TEST_DATABASE_URL && TEST_REDIS_URL);
const label = ready
  ? 'live updates across two server processes (PostgreSQL + Redis)'
  : 'live updates across two server processes (skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run)';

interface Server {
  url: string;
  running: Running;
  dataDir: string;
}

type Body = ReturnType<typeof JSON.parse>;

describe.skipIf(!ready)(label, { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  let db: TestDatabase;
  const servers: Server[] = [];
  const streams: SseStream[] = [];

  const serve = async (): Promise<Server> => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-live2-'));
    const env = cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      FRONTDESK_DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL!,
      FRONTDESK_ADMIN_KEY: ADMIN_KEY,
      FRONTDESK_MASTER_KEY: MASTER_KEY,
      FRONTDESK_DEMO: '0',
      FRONTDESK_SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_S),
      LOG_LEVEL: 'warn',
    });
    // No workers: jobs on the shared Redis are not this test's to take, and live updates need none.
    const running = start(['serve', '--no-worker'], env);
    const server = { url: `http://127.0.0.1:${port}`, running, dataDir };
    servers.push(server);
    await running.waitFor(/Frontdesk is running at /);
    return server;
  };

  const call = async (
    server: Server,
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Body }> => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };

  const stream = async (server: Server, url: string, headers: Record<string, string>) => {
    const s = await openSse(`${server.url}${url}`, headers);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    await Promise.all([serve(), serve()]);
  }, 2 * CHILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const s of streams) s.close();
    for (const { running } of servers) {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        running.child.kill('SIGTERM');
        await running.exited(30_000).catch(() => running.child.kill('SIGKILL'));
      }
    }
    for (const { dataDir } of servers) fs.rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
  });

  it('delivers to a stream on process 2 what a chat request caused on process 1, and to no other tenant; process 2 then stops promptly with its streams open', async () => {
    const [one, two] = servers as [Server, Server];
    const admin = { 'x-admin-api-key': ADMIN_KEY };
    const created = await Promise.all(
      ['Live One', 'Live Two'].map((name) => call(one, 'POST', '/api/v2/tenants', admin, { name, plan: 'enterprise' })),
    );
    for (const c of created) expect(c.status, JSON.stringify(c.body)).toBe(201);
    const tenant = (c: { body: Body }) => ({
      id: c.body.data.tenant_id as string,
      headers: { 'x-api-key': c.body.data.api_keys.primary as string },
    });
    const a = tenant(created[0]!);
    const b = tenant(created[1]!);

    // The conversation is made on process 1; process 2 finds it in the shared database.
    const conversationId = `conv_live2_${randomBytes(6).toString('hex')}`;
    const first = await call(one, 'POST', '/api/v2/chat/message', a.headers, {
      message_id: 'msg_live2_1',
      conversation_id: conversationId,
      user_id: 'visitor_1',
      channel: 'web',
      content: { type: 'text', text: 'Hello' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);

    const oneConversation = await stream(two, `/api/v2/conversations/${conversationId}/events`, a.headers);
    const wholeTenant = await stream(two, '/api/v2/live/events', a.headers);
    const otherTenant = await stream(two, '/api/v2/live/events', b.headers);
    for (const s of [oneConversation, wholeTenant, otherTenant]) {
      expect(s.status).toBe(200);
      await s.waitForComment('connected');
    }

    const typing = await call(one, 'POST', '/api/v2/chat/typing', a.headers, {
      conversation_id: conversationId,
      user_id: 'visitor_1',
      channel: 'web',
      typing_duration_ms: 2000,
    });
    expect(typing.status, JSON.stringify(typing.body)).toBe(200);
    const [typed] = await oneConversation.waitForMessages(1);
    expect(typed?.event).toBe('typing');
    expect(typed?.json).toMatchObject({
      type: 'typing',
      tenant_id: a.id,
      conversation_id: conversationId,
      data: { sender: 'customer', duration_ms: 2000 },
    });

    const message = await call(one, 'POST', '/api/v2/chat/message', a.headers, {
      message_id: 'msg_live2_2',
      conversation_id: conversationId,
      user_id: 'visitor_1',
      channel: 'web',
      content: { type: 'text', text: 'Do you repair boilers?' },
    });
    expect(message.status, JSON.stringify(message.body)).toBe(200);
    const created2 = (await wholeTenant.waitForMessages(2)).filter((m) => m.event === 'message.created');
    expect(created2.length).toBeGreaterThanOrEqual(1);
    expect(created2[0]?.json).toMatchObject({ tenant_id: a.id, conversation_id: conversationId });

    // Tenant B's stream on the same process got none of it; its own event proves the stream works.
    const otherConversation = `conv_live2_${randomBytes(6).toString('hex')}`;
    const ofB = await call(one, 'POST', '/api/v2/chat/message', b.headers, {
      message_id: 'msg_live2_b',
      conversation_id: otherConversation,
      user_id: 'visitor_b',
      channel: 'web',
      content: { type: 'text', text: 'Hi' },
    });
    expect(ofB.status, JSON.stringify(ofB.body)).toBe(200);
    await otherTenant.waitForMessages(1);
    expect(new Set(otherTenant.messages.map((m) => m.json.tenant_id))).toEqual(new Set([b.id]));
    expect(new Set(wholeTenant.messages.map((m) => m.json.tenant_id))).toEqual(new Set([a.id]));

    // Graceful shutdown ends the open streams instead of waiting out its timeout on them.
    two.running.child.kill('SIGTERM');
    const stopped = await two.running.exited(SHUTDOWN_TIMEOUT_S * 1000 + 10_000);
    expect(stopped.code, two.running.stderr()).toBe(0);
    expect(stopped.ms).toBeLessThan(SHUTDOWN_TIMEOUT_S * 1000);
    for (const s of [oneConversation, wholeTenant, otherTenant]) await s.waitForEnd();
  });
});
