import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobFailure, type JobRecord, type JobStatus, type Queue } from '../../src/queue/queue.js';
import { sleep, waitFor, type QueueHarness } from '../helpers/queue.js';

/** Waits until the job reaches the status, and returns its record. */
async function until(queue: Queue, id: string, status: JobStatus, timeoutMs = 10_000): Promise<JobRecord> {
  return waitFor(async () => {
    const job = await queue.get(id);
    return job?.status === status ? job : undefined;
  }, timeoutMs);
}

/**
 * The behaviour every queue backend must have. `makeQueue` gives each test a fresh queue on
 * private storage; the harness also makes peer queues and child worker processes on it.
 */
export function queueContract(
  name: string,
  makeQueue: () => Promise<QueueHarness>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(name, () => {
    let h: QueueHarness;
    beforeEach(async () => {
      h = await makeQueue();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('runs an enqueued job and records its result', async () => {
      h.queue.register('test.echo', (payload, ctx) => Promise.resolve({ echoed: payload.text, attempt: ctx.attempt }));
      await h.queue.start();
      const { id, duplicate } = await h.queue.enqueue('test.echo', { text: 'hello' });
      expect(duplicate).toBe(false);

      const job = await until(h.queue, id, 'completed');
      expect(job).toMatchObject({
        type: 'test.echo',
        payload: { text: 'hello' },
        attempts: 1,
        lastError: null,
        result: { echoed: 'hello', attempt: 1 },
      });
      expect(job.completedAt).not.toBeNull();
      expect(await h.queue.idle(5_000)).toBe(true);
      expect(await h.queue.counts()).toEqual({ queued: 0, active: 0, completed: 1, dead: 0 });
    });

    it('returns the first job for a repeated dedupe key and runs it once', async () => {
      const seen: string[] = [];
      h.queue.register('test.echo', (payload) => {
        seen.push(payload.text);
        return Promise.resolve(null);
      });
      const first = await h.queue.enqueue('test.echo', { text: 'first' }, { dedupeKey: 'call_123' });
      const second = await h.queue.enqueue('test.echo', { text: 'second' }, { dedupeKey: 'call_123' });
      expect(second).toEqual({ id: first.id, duplicate: true });

      await h.queue.start();
      await until(h.queue, first.id, 'completed');
      expect(await h.queue.idle(5_000)).toBe(true);
      expect(seen).toEqual(['first']);
    });

    it('runs higher priorities first when one job runs at a time', async () => {
      const order: string[] = [];
      h.queue.register(
        'test.order',
        (payload) => {
          order.push(payload.label);
          return Promise.resolve(null);
        },
        { concurrency: 1 },
      );
      await h.queue.enqueue('test.order', { label: 'low' }, { priority: -1 });
      await h.queue.enqueue('test.order', { label: 'normal' });
      await h.queue.enqueue('test.order', { label: 'urgent' }, { priority: 10 });
      await h.queue.enqueue('test.order', { label: 'high' }, { priority: 5 });

      await h.queue.start();
      await waitFor(() => order.length === 4);
      expect(order).toEqual(['urgent', 'high', 'normal', 'low']);
    });

    it('does not run a delayed job before its time', async () => {
      let startedAt = 0;
      h.queue.register('test.echo', () => {
        startedAt = Date.now();
        return Promise.resolve(null);
      });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.echo', { text: 'later' }, { delayMs: 500 });
      const queued = await h.queue.get(id);

      await sleep(250);
      expect(startedAt).toBe(0);
      expect((await h.queue.get(id))?.status).toBe('queued');
      await until(h.queue, id, 'completed');
      expect(startedAt).toBeGreaterThanOrEqual(Date.parse(queued!.runAt));
    });

    it('retries a failing job with backoff until it succeeds, counting attempts', async () => {
      const attempts: number[] = [];
      h.queue.register(
        'test.flaky',
        (payload, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt <= payload.failTimes) return Promise.reject(new Error(`flaky ${ctx.attempt}`));
          return Promise.resolve('ok');
        },
        { backoffMs: 20, maxBackoffMs: 100, maxAttempts: 5 },
      );
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.flaky', { failTimes: 2 });

      const job = await until(h.queue, id, 'completed');
      expect(attempts).toEqual([1, 2, 3]);
      expect(job).toMatchObject({ attempts: 3, maxAttempts: 5, result: 'ok', lastError: 'flaky 2' });
    });

    it('marks a job dead with its last error after max attempts', async () => {
      let runs = 0;
      h.queue.register(
        'test.fail',
        (_payload, ctx) => {
          runs++;
          return Promise.reject(new Error(`boom ${ctx.attempt}`));
        },
        { backoffMs: 10, maxBackoffMs: 30, maxAttempts: 3 },
      );
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.fail', {});

      const job = await until(h.queue, id, 'dead');
      expect(job).toMatchObject({ attempts: 3, maxAttempts: 3, lastError: 'boom 3' });
      await sleep(150);
      expect(runs).toBe(3);
    });

    it('lets enqueue options override the handler’s max attempts', async () => {
      h.queue.register('test.fail', () => Promise.reject(new Error('nope')), { backoffMs: 10, maxAttempts: 5 });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.fail', {}, { maxAttempts: 2 });
      expect(await until(h.queue, id, 'dead')).toMatchObject({ attempts: 2, maxAttempts: 2 });
    });

    it('marks a job dead after one attempt when the handler says retrying cannot help', async () => {
      h.queue.register('test.fail', () => Promise.reject(new JobFailure('lead not found', false)), {
        backoffMs: 10,
        maxAttempts: 5,
      });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.fail', {});

      expect(await until(h.queue, id, 'dead')).toMatchObject({ attempts: 1, lastError: 'lead not found' });
    });

    it('marks a job dead without running it when its last attempt was lost with its worker', async () => {
      let runs = 0;
      h.queue.register(
        'test.echo',
        () => {
          runs++;
          return Promise.resolve(null);
        },
        { maxAttempts: 2 },
      );
      const { id } = await h.queue.enqueue('test.echo', { text: 'cursed' });
      // As a worker that claimed the last try and died leaves it: active, lease long expired.
      const expired = new Date(Date.now() - 60_000).toISOString();
      await h.database.db
        .updateTable('jobs')
        .set({ status: 'active', attempts: 2, lease_until: expired, worker_id: 'gone#1' })
        .where('id', '=', id)
        .execute();
      await h.queue.start();

      const job = await until(h.queue, id, 'dead');
      expect(job).toMatchObject({ attempts: 2, maxAttempts: 2 });
      expect(job.lastError).toContain('attempt 2 of 2 was lost with its worker');
      expect(runs).toBe(0);
    });

    it('runs a dead job again after a manual retry, with a fresh attempt count', async () => {
      let broken = true;
      h.queue.register('test.echo', (payload) =>
        broken ? Promise.reject(new JobFailure('provider down', false)) : Promise.resolve(payload.text),
      );
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.echo', { text: 'again' });
      await until(h.queue, id, 'dead');

      broken = false;
      expect(await h.queue.retry(id)).toBe(true);
      const job = await until(h.queue, id, 'completed');
      expect(job).toMatchObject({ attempts: 1, result: 'again' });
      expect(await h.queue.retry(id)).toBe(false);
      expect(await h.queue.retry('job_missing')).toBe(false);
    });

    it('never runs more jobs of a type at once than its concurrency', async () => {
      let now = 0;
      let peak = 0;
      h.queue.register(
        'test.slow',
        async (payload) => {
          peak = Math.max(peak, ++now);
          await sleep(payload.ms);
          now--;
        },
        { concurrency: 2 },
      );
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push((await h.queue.enqueue('test.slow', { ms: 120 })).id);
      await h.queue.start();

      for (const id of ids) await until(h.queue, id, 'completed');
      expect(peak).toBe(2);
    });

    it('runs at most tenantConcurrency jobs of one tenant at once, other tenants’ jobs meanwhile, and counts no try for the wait', async () => {
      const now = new Date().toISOString();
      for (const id of ['ten_stuck', 'ten_quick']) {
        await h.database.db
          .insertInto('tenants')
          .values({
            id,
            name: id,
            domain: null,
            status: 'active',
            plan: 'free',
            timezone: 'UTC',
            config: '{}',
            config_version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      const running = new Map<string, number>();
      const peak = new Map<string, number>();
      let unstick!: () => void;
      const stuck = new Promise<void>((resolve) => {
        unstick = resolve;
      });
      h.queue.register(
        'test.echo',
        async (payload, ctx) => {
          const tenant = ctx.tenantId ?? 'platform';
          running.set(tenant, (running.get(tenant) ?? 0) + 1);
          peak.set(tenant, Math.max(peak.get(tenant) ?? 0, running.get(tenant)!));
          if (tenant === 'ten_stuck') await stuck;
          running.set(tenant, running.get(tenant)! - 1);
          return payload.text;
        },
        { concurrency: 4, tenantConcurrency: 2 },
      );
      // The stuck tenant's jobs are older, so in plain order they would take every slot.
      const stuckIds = [];
      for (let i = 0; i < 6; i++)
        stuckIds.push((await h.queue.enqueue('test.echo', { text: `stuck ${i}` }, { tenantId: 'ten_stuck' })).id);
      const otherIds = [];
      for (let i = 0; i < 3; i++)
        otherIds.push((await h.queue.enqueue('test.echo', { text: `quick ${i}` }, { tenantId: 'ten_quick' })).id);
      for (let i = 0; i < 3; i++) otherIds.push((await h.queue.enqueue('test.echo', { text: `platform ${i}` })).id);
      await h.queue.start();

      for (const id of otherIds) expect(await until(h.queue, id, 'completed', 5_000)).toMatchObject({ attempts: 1 });
      expect(running.get('ten_stuck')).toBe(2);
      expect(peak.get('ten_stuck')).toBe(2);
      // Jobs without a tenant are not held to it.
      expect(peak.get('platform')).toBeGreaterThanOrEqual(1);

      unstick();
      for (const id of stuckIds) expect(await until(h.queue, id, 'completed')).toMatchObject({ attempts: 1 });
      expect(peak.get('ten_stuck')).toBe(2);
    });

    it('leaves no job when the enqueuing transaction rolls back', async () => {
      let id = '';
      await expect(
        h.database.db.transaction().execute(async (trx) => {
          id = (await h.queue.enqueueInTransaction(trx, 'test.echo', { text: 'never' })).id;
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(id).not.toBe('');
      expect(await h.queue.get(id)).toBeUndefined();
      expect(await h.queue.counts()).toEqual({ queued: 0, active: 0, completed: 0, dead: 0 });
    });

    it('runs a job enqueued in a committed transaction once it is dispatched', async () => {
      h.queue.register('test.echo', (payload) => Promise.resolve(payload.text));
      await h.queue.start();
      const job = await h.database.db
        .transaction()
        .execute((trx) => h.queue.enqueueInTransaction(trx, 'test.echo', { text: 'committed' }));
      await job.dispatch();

      expect(await until(h.queue, job.id, 'completed')).toMatchObject({ result: 'committed', attempts: 1 });
    });

    it('completes a job in its handler’s own transaction, together with what the handler wrote there', async () => {
      let followUp = '';
      h.queue.register('test.echo', async (payload, ctx) => {
        if (payload.text !== 'first') return 'follow-up ran';
        const next = await h.database.db.transaction().execute(async (trx) => {
          expect(await ctx.completeIn(trx)).toBe(true);
          return h.queue.enqueueInTransaction(trx, 'test.echo', { text: 'second' });
        });
        followUp = next.id;
        await next.dispatch();
        return 'ignored: completed in the transaction';
      });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.echo', { text: 'first' });

      expect(await until(h.queue, id, 'completed')).toMatchObject({ attempts: 1, result: null, lastError: null });
      expect(await until(h.queue, followUp, 'completed')).toMatchObject({ result: 'follow-up ran' });
    });

    it('retries a job whose handler completed it in a transaction that then rolled back', async () => {
      h.queue.register(
        'test.echo',
        async (_payload, ctx) => {
          await h.database.db.transaction().execute(async (trx) => {
            await ctx.completeIn(trx);
            if (ctx.attempt === 1) throw new Error('rolled back after completing');
          });
        },
        { backoffMs: 10 },
      );
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.echo', { text: 'again' });

      expect(await until(h.queue, id, 'completed')).toMatchObject({
        attempts: 2,
        lastError: 'rolled back after completing',
      });
    });

    it('answers false to a try that no longer holds its job, and completes nothing', async () => {
      const answers: boolean[] = [];
      h.queue.register(
        'test.echo',
        async (_payload, ctx) => {
          // Another worker took the job over (as after a lost lease).
          await h.database.db
            .updateTable('jobs')
            .set({ worker_id: 'another-worker' })
            .where('id', '=', ctx.id)
            .execute();
          await h.database.db.transaction().execute(async (trx) => {
            answers.push(await ctx.completeIn(trx));
          });
        },
        { leaseMs: 60_000 },
      );
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.echo', { text: 'taken' });

      await waitFor(() => Promise.resolve(answers.length > 0 ? true : undefined), 10_000);
      await sleep(200);
      expect(answers).toEqual([false]);
      expect(await h.queue.get(id)).toMatchObject({ status: 'active', completedAt: null });
    });

    it('enqueues many jobs in one transaction: duplicates answer the job holding their key, all run once dispatched', async () => {
      h.queue.register('test.echo', (payload) => Promise.resolve(payload.text));
      await h.queue.start();
      const earlier = await h.queue.enqueue('test.echo', { text: 'earlier' }, { dedupeKey: 'many:a' });
      const enqueued = await h.database.db
        .transaction()
        .execute((trx) =>
          h.queue.enqueueManyInTransaction(trx, 'test.echo', [
            { payload: { text: 'taken' }, options: { dedupeKey: 'many:a' } },
            { payload: { text: 'first' }, options: { dedupeKey: 'many:b' } },
            { payload: { text: 'repeat' }, options: { dedupeKey: 'many:b' } },
            { payload: { text: 'plain' } },
          ]),
        );
      await enqueued.dispatch();
      const { jobs } = enqueued;
      expect(jobs.map((j) => j.duplicate)).toEqual([true, false, true, false]);
      expect(jobs[0]!.id).toBe(earlier.id);
      expect(jobs[2]!.id).toBe(jobs[1]!.id);
      expect((await until(h.queue, jobs[1]!.id, 'completed')).result).toBe('first');
      expect((await until(h.queue, jobs[3]!.id, 'completed')).result).toBe('plain');
      expect((await h.queue.counts()).completed).toBe(3);
    });

    it('leaves none of many jobs when their transaction rolls back', async () => {
      await expect(
        h.database.db.transaction().execute(async (trx) => {
          await h.queue.enqueueManyInTransaction(trx, 'test.echo', [
            { payload: { text: 'one' } },
            { payload: { text: 'two' } },
          ]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await h.queue.counts()).toEqual({ queued: 0, active: 0, completed: 0, dead: 0 });
    });
    it('waits for a running job when stopping', async () => {
      let started = false;
      let finished = false;
      h.queue.register('test.slow', async (payload) => {
        started = true;
        await sleep(payload.ms);
        finished = true;
        return 'done';
      });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.slow', { ms: 400 });
      await waitFor(() => started);

      await h.queue.stop(5_000);
      expect(finished).toBe(true);
      expect(await h.queue.get(id)).toMatchObject({ status: 'completed', result: 'done' });
    });

    it('aborts a job still running at the stop timeout and puts it back in line for another worker', async () => {
      let signal: AbortSignal | undefined;
      h.queue.register('test.hang', (_payload, ctx) => {
        signal = ctx.signal;
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      });
      await h.queue.start();
      const { id } = await h.queue.enqueue('test.hang', {});
      await waitFor(() => signal);

      await h.queue.stop(200);
      expect(signal!.aborted).toBe(true);
      // The interrupted try is not held against the job: it did not fail, its worker left.
      expect(await h.queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, lastError: null });

      const other = h.peer();
      other.register('test.hang', (_payload, ctx) => Promise.resolve(ctx.attempt));
      await other.start();
      expect(await until(other, id, 'completed', 5_000)).toMatchObject({ attempts: 1, result: 1 });
    });

    it('does not run a job twice when it outlives its lease on a live worker', async () => {
      let runs = 0;
      const handler = async (payload: { ms: number }) => {
        runs++;
        await sleep(payload.ms);
        return runs;
      };
      const other = h.peer();
      h.queue.register('test.slow', handler, { leaseMs: 300, concurrency: 2 });
      other.register('test.slow', handler, { leaseMs: 300, concurrency: 2 });
      await h.queue.start();
      await other.start();
      const { id } = await h.queue.enqueue('test.slow', { ms: 1_200 });

      expect(await until(h.queue, id, 'completed')).toMatchObject({ attempts: 1, result: 1 });
      await sleep(200);
      expect(runs).toBe(1);
    });

    it('finishes a job exactly once more after its worker is killed mid-job', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-queue-child-'));
      const startedFile = path.join(dir, 'started');
      try {
        const { id } = await h.queue.enqueue('test.hang', {});
        const child = h.spawnWorker({ FD_QUEUE_STARTED_FILE: startedFile, FD_QUEUE_LEASE_MS: '1000' });
        await waitFor(
          () => fs.existsSync(startedFile) && fs.readFileSync(startedFile, 'utf8').includes('started 1'),
          15_000,
        );
        expect(await h.queue.get(id)).toMatchObject({ status: 'active', attempts: 1 });
        child.kill('SIGKILL');
        await once(child, 'exit');

        const attempts: number[] = [];
        h.queue.register(
          'test.hang',
          (_payload, ctx) => {
            attempts.push(ctx.attempt);
            return Promise.resolve('recovered');
          },
          { leaseMs: 1_000 },
        );
        await h.queue.start();

        expect(await until(h.queue, id, 'completed', 10_000)).toMatchObject({ attempts: 2, result: 'recovered' });
        await sleep(300);
        expect(attempts).toEqual([2]);
        expect(fs.readFileSync(startedFile, 'utf8')).toBe('started 1\n');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  });
}
