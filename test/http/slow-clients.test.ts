import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { openSse, type SseStream } from '../pubsub/sse-client.js';

/** Resolves when the server closes the socket, with how long that took; rejects after `limitMs`. */
function closedWithin(socket: net.Socket, limitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${limitMs} ms`)), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  // Read what the server sends: a paused socket would never report its close.
  socket.resume();
  return socket;
}

describe('slow clients', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { FRONTDESK_REQUEST_TIMEOUT: '2' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t.close());

  it('closes a connection whose headers never finish', async () => {
    const socket = await connect(port);
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
    await closedWithin(socket, 8_000).finally(() => clearInterval(trickle));
  });

  it('closes a connection whose body never finishes', async () => {
    const socket = await connect(port);
    socket.write(
      'POST /api/qualify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"email":',
    );
    const trickle = setInterval(() => socket.write(' '), 300);
    await closedWithin(socket, 8_000).finally(() => clearInterval(trickle));
  });

  it('closes an idle keep-alive connection after a few seconds', async () => {
    const socket = await connect(port);
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await closedWithin(socket, 9_000);
  });
});

describe('live-update streams per credential and per tenant', () => {
  let t: TestApp;
  let base: string;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: { FRONTDESK_LIVE_STREAMS_PER_CREDENTIAL: '2', FRONTDESK_LIVE_STREAMS_PER_TENANT: '3' },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  const open = async (headers: Record<string, string>): Promise<SseStream> => {
    const s = await openSse(`${base}/api/v2/live/events`, headers);
    streams.push(s);
    return s;
  };

  it('refuses a third stream on one key and a fourth on one tenant with 429, and admits again when one closes', async () => {
    const tenant = await t.createTenant();
    const key = { 'x-api-key': tenant.apiKey };
    const [first, second] = [await open(key), await open(key)];
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await open(key);
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('5');
    await third.waitForEnd();
    expect(JSON.parse(third.body())).toMatchObject({
      status: 'error',
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringContaining('this credential already has 2 live streams open'),
      },
    });

    // The admin, another holder, fills the tenant's third place; a fourth stream on the tenant is refused whoever asks.
    const admin = { ...t.adminHeaders, 'x-tenant-id': tenant.id };
    expect((await open(admin)).status).toBe(200);
    const fourth = await open(admin);
    expect(fourth.status).toBe(429);
    await fourth.waitForEnd();
    expect(JSON.parse(fourth.body())).toMatchObject({
      error: { message: expect.stringContaining('this tenant already has 3 live streams open') },
    });

    const other = await t.createTenant();
    expect((await open({ 'x-api-key': other.apiKey })).status).toBe(200);

    first.close();
    await expect
      .poll(async () => {
        const again = await open(key);
        again.close();
        return again.status;
      })
      .toBe(200);
  });
});
