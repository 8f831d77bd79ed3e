import { afterEach, describe, expect, it } from 'vitest';
import {
  createIntakeRelay,
  type IntakeRelay,
  type IntakeRelayOptions,
} from '../../../src/domain/calls/intake-relay.js';
import { sleep, waitFor } from '../../helpers/queue.js';

/** A pipeline with `waiting` stored requests; each pass queues up to its limit of them. */
function fakePipeline(waiting = 0) {
  const state = { waiting, passes: 0, failNext: false };
  return {
    state,
    queueStored(limit: number): Promise<number> {
      state.passes += 1;
      if (state.failNext) {
        state.failNext = false;
        return Promise.reject(new Error('database is locked'));
      }
      const queued = Math.min(limit, state.waiting);
      state.waiting -= queued;
      return Promise.resolve(queued);
    },
  };
}

describe('intake relay', () => {
  let relay: IntakeRelay | undefined;
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });
  const start = (pipeline: ReturnType<typeof fakePipeline>, options: IntakeRelayOptions) => {
    relay = createIntakeRelay(pipeline, options);
    relay.start();
    return relay;
  };

  it('queues what is waiting at start, batch after batch while batches come back full', async () => {
    const pipeline = fakePipeline(25);
    start(pipeline, { batch: 10, pollMs: 60_000 });
    await waitFor(() => pipeline.state.waiting === 0 || undefined);
    // 10 + 10 + 5: the short batch ends the run until a wake or the next poll.
    await sleep(30);
    expect(pipeline.state.passes).toBe(3);
  });

  it('queues requests stored in this process when woken, without waiting for the poll', async () => {
    const pipeline = fakePipeline();
    const r = start(pipeline, { pollMs: 60_000 });
    await waitFor(() => pipeline.state.passes === 1 || undefined);
    pipeline.state.waiting = 3;
    r.wake();
    await waitFor(() => pipeline.state.waiting === 0 || undefined, 1_000);
  });

  it('finds requests other processes stored by polling', async () => {
    const pipeline = fakePipeline();
    start(pipeline, { pollMs: 20 });
    await waitFor(() => pipeline.state.passes === 1 || undefined);
    pipeline.state.waiting = 4;
    await waitFor(() => pipeline.state.waiting === 0 || undefined, 1_000);
  });

  it('runs one pass per busyGapMs while the process is busy with HTTP requests, however often it is woken', async () => {
    const pipeline = fakePipeline(1_000);
    const r = start(pipeline, { batch: 10, pollMs: 60_000, busy: () => true, busyGapMs: 100 });
    const wakes = setInterval(() => r.wake(), 2);
    await sleep(350);
    clearInterval(wakes);
    // At start, then about every 100 ms: four passes in 350 ms, five at most with a timer's slack.
    expect(pipeline.state.passes).toBeGreaterThanOrEqual(3);
    expect(pipeline.state.passes).toBeLessThanOrEqual(5);
  });

  it('reports a failed pass and tries again at the next poll', async () => {
    const pipeline = fakePipeline(5);
    pipeline.state.failNext = true;
    const errors: unknown[] = [];
    start(pipeline, { pollMs: 20, onError: (e) => errors.push(e) });
    await waitFor(() => pipeline.state.waiting === 0 || undefined, 1_000);
    expect(errors).toEqual([new Error('database is locked')]);
  });

  it('stops passing once stopped', async () => {
    const pipeline = fakePipeline();
    const r = start(pipeline, { pollMs: 10 });
    await waitFor(() => pipeline.state.passes >= 1 || undefined);
    await r.stop();
    const passes = pipeline.state.passes;
    pipeline.state.waiting = 3;
    r.wake();
    await sleep(50);
    expect(pipeline.state).toMatchObject({ passes, waiting: 3 });
  });
});
