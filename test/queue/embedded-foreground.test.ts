import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedQueue } from '../../src/queue/embedded.queue.js';
import { httpForeground, type ForegroundSignal } from '../../src/queue/foreground.js';
import type { Queue } from '../../src/queue/queue.js';
import { dialects, openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { sleep, waitFor } from '../helpers/queue.js';

/** A foreground the test switches by hand. */
function switchable(busy: boolean): ForegroundSignal & { set(busy: boolean): void } {
  let state = busy;
  return { busy: () => state, set: (b) => (state = b) };
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`embedded queue yielding to the foreground on ${label}`, () => {
    let test: TestDatabase | undefined;
    let queue: Queue | undefined;

    afterEach(async () => {
      await queue?.stop(1000);
      await test?.drop();
      queue = undefined;
      test = undefined;
    });

    /** Registers `test.slow` (records start times and the peak of jobs at once) and enqueues `count` jobs. */
    const setUp = async (foreground: ForegroundSignal, count: number, busyGapMs = 40) => {
      test = await openTestDatabase(dialect);
      queue = createEmbeddedQueue(test.database, { pollMs: 50, foreground, busyGapMs });
      const starts: number[] = [];
      let running = 0;
      let peak = 0;
      queue.register(
        'test.slow',
        async (payload) => {
          starts.push(performance.now());
          peak = Math.max(peak, ++running);
          await sleep(payload.ms);
          running--;
        },
        { concurrency: 4 },
      );
      for (let i = 0; i < count; i++) await queue.enqueue('test.slow', { ms: 10 });
      return { starts, peak: () => peak };
    };
    const done = async () => (await queue!.counts()).completed;

    it('keeps draining while the foreground is busy, one start per busyGapMs', async () => {
      const run = await setUp(switchable(true), 6);
      await queue!.start();
      await waitFor(async () => (await done()) === 6, 10_000);
      expect(run.peak()).toBe(1);
      const gaps = run.starts.slice(1).map((t, i) => t - run.starts[i]!);
      // Timers may fire a little early; the pace is one start per busyGapMs.
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(35);
    });

    it('starts other jobs while a job hangs and the foreground is busy', async () => {
      test = await openTestDatabase(dialect);
      queue = createEmbeddedQueue(test.database, { pollMs: 50, foreground: switchable(true), busyGapMs: 20 });
      let release: () => void = () => undefined;
      const hung = new Promise<void>((resolve) => (release = resolve));
      queue.register('test.hang', () => hung, { concurrency: 2, leaseMs: 60_000 });
      queue.register('test.echo', (payload) => Promise.resolve(payload.text), { concurrency: 2 });
      await queue.enqueue('test.hang', {});
      await queue.enqueue('test.hang', {});
      const echo = await queue.enqueue('test.echo', { text: 'through' });
      await queue.start();
      // The first hang holds a slot; the second still starts on the pace, and other types run meanwhile.
      await waitFor(async () => (await queue!.counts()).active === 2, 5_000);
      await waitFor(async () => (await queue!.get(echo.id))?.status === 'completed', 5_000);
      release();
      await waitFor(async () => (await done()) === 3, 5_000);
    });

    it('lets timers and sockets run while a backlog of jobs without I/O drains', async () => {
      test = await openTestDatabase(dialect);
      queue = createEmbeddedQueue(test.database, { pollMs: 50, foreground: switchable(false) });
      let finished = 0;
      queue.register('test.echo', (payload) => Promise.resolve(payload.text).finally(() => finished++), {
        concurrency: 4,
      });
      const backlog = 200;
      const jobs = Array.from({ length: backlog }, () => ({ payload: { text: 'x' } }));
      await test.database.db.transaction().execute((trx) => queue!.enqueueManyInTransaction(trx, 'test.echo', jobs));
      let finishedWhenTheTimerRan: number | undefined;
      setTimeout(() => (finishedWhenTheTimerRan = finished), 0);
      await queue.start();
      await waitFor(async () => (await done()) === backlog, 10_000);
      // A job that only touches SQLite settles in microtasks; chained claim after claim, they would
      // hold the event loop until the backlog was gone, and the timer (like an HTTP request) would wait.
      expect(finishedWhenTheTimerRan).toBeDefined();
      expect(finishedWhenTheTimerRan!).toBeLessThan(backlog);
    });

    it('runs at full concurrency when the foreground is quiet, and goes back to it once a busy spell ends', async () => {
      const foreground = switchable(false);
      const run = await setUp(foreground, 8);
      await queue!.start();
      await waitFor(async () => (await done()) === 8, 10_000);
      expect(run.peak()).toBe(4);

      foreground.set(true);
      const busyRun = run.starts.length;
      for (let i = 0; i < 8; i++) await queue!.enqueue('test.slow', { ms: 10 });
      await sleep(150);
      // At most one start per 40 ms in 150 ms.
      expect(run.starts.length - busyRun).toBeLessThanOrEqual(5);
      foreground.set(false);
      await waitFor(async () => (await done()) === 16, 10_000);
    });
  });
}

describe('httpForeground', () => {
  it('is busy while requests keep arriving at its rate, not for a lone request, and quiet after quietMs', async () => {
    const signal = httpForeground({ quietMs: 150, minRequests: 5 });
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const get = () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
      await sleep(200);
      expect(signal.busy()).toBe(false);
      await get();
      // One request is a trickle: the workers keep their full speed.
      expect(signal.busy()).toBe(false);
      await Promise.all(Array.from({ length: 5 }, get));
      expect(signal.busy()).toBe(true);
      await sleep(200);
      expect(signal.busy()).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
