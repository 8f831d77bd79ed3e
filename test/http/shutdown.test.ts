import { afterEach, describe, expect, it } from 'vitest';
import { closeServer } from '../../src/http/shutdown.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** A route whose answer the test releases by hand, and a flag that says it has started. */
function gate() {
  let release: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (entered = resolve));
  return { release, started, released, entered };
}

describe('closeServer (graceful shutdown of the HTTP server)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function listening(g: ReturnType<typeof gate>): Promise<{ app: TestApp; url: string }> {
    const app = await startTestApp({
      beforeReady(fastify) {
        fastify.get('/api/v2/x-test/slow', { config: { auth: 'public' } }, async () => {
          g.entered();
          await g.released;
          return { finished: true };
        });
      },
    });
    t = app;
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { app, url: `http://127.0.0.1:${port}` };
  }

  it('stops accepting connections, then lets an in-flight request finish', async () => {
    const g = gate();
    const { app, url } = await listening(g);
    const inFlight = fetch(`${url}/api/v2/x-test/slow`);
    await g.started;

    const closed = closeServer(app.app, 5000);
    await expect(fetch(`${url}/health`)).rejects.toThrow();

    g.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    expect(await closed).toBe('drained');
  });

  it('cuts off a request still running when the timeout ends', async () => {
    const g = gate();
    const { app, url } = await listening(g);
    const hung = fetch(`${url}/api/v2/x-test/slow`).then(
      (res) => res.status,
      () => 'connection closed',
    );
    await g.started;

    const started = Date.now();
    expect(await closeServer(app.app, 300)).toBe('forced');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await hung).toBe('connection closed');
    g.release();
  });
});
