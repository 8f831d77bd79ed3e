import { Queue as BullQueue, DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Transaction } from 'kysely';
import { systemClock } from '../lib/clock.js';
import type { Database } from '../store/db.js';
import type { Tables } from '../store/tables.js';
import {
  ABORT_GRACE_MS,
  buildNewJob,
  defaultOnError,
  defaultWorkerId,
  recordJobs,
  resolveHandlerOptions,
  runClaimedJob,
  settledWithin,
  waitUntilIdle,
  type AnyHandler,
  type Registered,
} from './job-runner.js';
import * as jobsRepo from './jobs.repo.js';
import type { JobRow } from './jobs.repo.js';
import type { JobPayloads, JobType } from './jobs.js';
import type { EnqueueOptions, EnqueuedJob, HandlerOptions, JobHandler, JobRecord, JobStatus, Queue } from './queue.js';
import { KeyedSlots } from '../lib/keyed-slots.js';

export interface BullmqQueueOptions {
  /** Redis key prefix (default `frontdesk`); tests use a random one so parallel files do not collide. */
  prefix?: string;
  /** How often the reconciler looks for jobs Redis lost, once start() ran. Default 30 000. */
  reconcileMs?: number;
  /** How long past its run time a queued job may be missing from Redis before the reconciler re-adds it. Default 30 000. */
  reconcileGraceMs?: number;
  /** Names this process in `worker_id`; default host:pid:random. */
  workerId?: string;
  /** Receives errors from workers, Redis and the reconciler (default: console.error). */
  onError?: (error: unknown) => void;
}

/** The BullMQ backend, plus the reconciler pass for tests and operators. */
export interface BullmqQueue extends Queue {
  /** Re-adds to Redis every due job the database holds and Redis lost; returns how many were re-added. */
  reconcile(): Promise<number>;
}

/**
 * A BullMQ job carries our id, and the tenant so a worker can hold it back without touching the row;
 * the database row holds the payload and the truth.
 */
interface BullData {
  id: string;
  /** Absent on jobs added before it was carried: those are not held to `tenantConcurrency`. */
  tenantId?: string | null;
}

/** BullMQ states in which the job is still in line or running, so Redis needs nothing from us. */
const IN_LINE = new Set(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);

/**
 * BullMQ runs lower numbers first, from 1 to 2^21−1, and runs 0 ("no priority") before all of
 * them; ours run higher first. Every job gets a non-zero BullMQ priority centred on 2^20, so
 * our priorities from −(2^20−1) to 2^20−1 keep their order.
 */
function toBullPriority(priority: number): number {
  return Math.min(2 ** 21 - 1, Math.max(1, 2 ** 20 - priority));
}

/** Past an expired lease, wait this much longer before looking at the row again. */
const LEASE_MARGIN_MS = 50;

const RECONCILE_BATCH = 500;

/**
 * A job whose tenant has every slot of its type taken waits in Redis about this long (±50 %, so a
 * backlog spreads out) before it is looked at again; the row is not touched and the try not counted.
 */
export const TENANT_WAIT_MS = 1_000;

/**
 * Jobs in BullMQ (one BullMQ queue per job type, so concurrency is per type), with the
 * database row as the source of truth: enqueue writes the row, then adds a BullMQ job whose
 * id is the row's id; workers run what the row allows and write the outcome to the row; a
 * reconciler re-adds rows whose BullMQ job Redis lost. Type names may not contain ':'.
 */
export function createBullmqQueue(database: Database, redisUrl: string, options: BullmqQueueOptions = {}): BullmqQueue {
  const clock = systemClock;
  const prefix = options.prefix ?? 'frontdesk';
  const reconcileMs = options.reconcileMs ?? 30_000;
  const graceMs = options.reconcileGraceMs ?? 30_000;
  const workerId = options.workerId ?? defaultWorkerId();
  const onError = options.onError ?? defaultOnError;
  let claims = 0;

  const registry = new Map<string, Registered>();
  const queues = new Map<string, BullQueue<BullData>>();
  const workers = new Map<string, Worker<BullData>>();
  const running = new Map<string, { token: string; controller: AbortController }>();
  const tenantSlots = new Map<string, KeyedSlots>();
  let producer: Redis | undefined;
  let consumer: Redis | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<number> | undefined;
  let stopping = false;

  // Created lazily: a process that only enqueues never opens the workers' connection.
  const queueFor = (type: string): BullQueue<BullData> => {
    let queue = queues.get(type);
    if (!queue) {
      // Producers fail fast when Redis is down: the row is already durable and the reconciler re-adds it.
      producer ??= new Redis(redisUrl, { maxRetriesPerRequest: 2 });
      queue = new BullQueue<BullData>(type, { connection: producer, prefix });
      queue.on('error', onError);
      queues.set(type, queue);
    }
    return queue;
  };

  const dispatch = async (row: JobRow): Promise<void> => {
    await queueFor(row.type).add(
      row.type,
      { id: row.id, tenantId: row.tenant_id },
      {
        jobId: row.id,
        priority: toBullPriority(row.priority),
        delay: Math.max(0, Date.parse(row.run_at) - Date.now()),
        // Retries and dead-lettering live in the row; BullMQ tries once and forgets finished jobs.
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  };

  // The row is committed before this runs, so a Redis failure is reported, not thrown: the reconciler repairs it.
  const dispatchQuietly = (row: JobRow): Promise<void> => dispatch(row).catch(onError);

  /** Re-adds a row's BullMQ job unless it is still in line; a finished leftover is removed first. */
  const redispatch = async (row: JobRow, waitForActive: boolean): Promise<boolean> => {
    const queue = queueFor(row.type);
    // A job finishing right now leaves Redis within moments; wait for that rather than add a duplicate id BullMQ would ignore.
    for (let tries = 0; tries < 100; tries++) {
      const existing = await queue.getJob(row.id);
      if (!existing) {
        await dispatch(row);
        return true;
      }
      const state = await existing.getState();
      if (state === 'active' && waitForActive) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      if (IN_LINE.has(state)) return false;
      await existing.remove();
    }
    return false;
  };

  /** Parks the BullMQ job until `at`, when the row may be runnable; it keeps its place in Redis meanwhile. */
  const park = async (job: Job<BullData>, token: string | undefined, at: number): Promise<never> => {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  };

  const processJob = async (type: string, job: Job<BullData>, bullToken: string | undefined): Promise<void> => {
    const registered = registry.get(type);
    if (stopping || !registered) return park(job, bullToken, Date.now());
    const slots = tenantSlots.get(type)!;
    const tenantId = job.data.tenantId ?? null;
    if (!slots.take(tenantId))
      return park(job, bullToken, Date.now() + Math.round(TENANT_WAIT_MS * (0.5 + Math.random())));
    try {
      return await runAndMirror(job, bullToken, registered);
    } finally {
      slots.give(tenantId);
    }
  };

  /** Runs the row's try if it is ready, then leaves the BullMQ job as the row says. */
  const runAndMirror = async (
    job: Job<BullData>,
    bullToken: string | undefined,
    registered: Registered,
  ): Promise<void> => {
    const id = job.data.id;
    const now = clock.now();
    const token = `${workerId}#${++claims}`;
    const row = await jobsRepo.claimById(database.db, id, {
      token,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + registered.options.leaseMs).toISOString(),
    });
    if (row) {
      const controller = new AbortController();
      running.set(id, { token, controller });
      try {
        await runClaimedJob({ database, clock, row, token, registered, controller, onError });
      } finally {
        running.delete(id);
      }
    }

    // The BullMQ job mirrors the row: gone when the row is finished, otherwise parked until the row is due.
    const current = await jobsRepo.findById(database.db, id);
    if (!current || current.status === 'completed' || current.status === 'dead') return;
    if (current.status === 'queued') return park(job, bullToken, Date.parse(current.run_at));
    // Active under another live lease (a duplicate delivery): look again when that lease would have run out.
    return park(job, bullToken, Date.parse(current.lease_until ?? now.toISOString()) + LEASE_MARGIN_MS);
  };

  const startWorker = (type: string, registered: Registered): void => {
    consumer ??= new Redis(redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker<BullData>(type, (job, token) => processJob(type, job, token), {
      connection: consumer,
      prefix,
      concurrency: registered.options.concurrency,
      // A killed worker stops renewing its BullMQ lock; after leaseMs the stalled check hands the job to another worker.
      lockDuration: registered.options.leaseMs,
      stalledInterval: registered.options.leaseMs,
      // The row's attempt count decides when a job that keeps losing its worker is dead, not BullMQ.
      maxStalledCount: 1_000_000,
    });
    worker.on('error', onError);
    workers.set(type, worker);
  };

  const reconcile = async (): Promise<number> => {
    const now = Date.now();
    const rows = await jobsRepo.listStranded(database.db, {
      queuedBefore: new Date(now - graceMs).toISOString(),
      leaseBefore: new Date(now).toISOString(),
      limit: RECONCILE_BATCH,
    });
    let readded = 0;
    for (const row of rows) {
      try {
        if (await redispatch(row, false)) readded++;
      } catch (error) {
        onError(error);
      }
    }
    return readded;
  };

  const enqueueMany = async <T extends JobType>(
    trx: Transaction<Tables>,
    type: T,
    jobs: readonly { payload: JobPayloads[T]; options?: EnqueueOptions }[],
  ) => {
    const recorded = await recordJobs(trx, type, jobs, registry.get(type), clock.now());
    return {
      jobs: recorded.jobs,
      dispatch: async () => {
        await Promise.all(recorded.added.map(dispatchQuietly));
      },
    };
  };

  return {
    backend: 'bullmq',

    async enqueue<T extends JobType>(
      type: T,
      payload: JobPayloads[T],
      enqueueOptions: EnqueueOptions = {},
    ): Promise<EnqueuedJob> {
      const job = buildNewJob(type, payload, enqueueOptions, registry.get(type), clock.now());
      const { row, duplicate } = await jobsRepo.insert(database.db, job);
      if (!duplicate) await dispatchQuietly(row);
      return { id: row.id, duplicate };
    },

    async enqueueInTransaction<T extends JobType>(
      trx: Transaction<Tables>,
      type: T,
      payload: JobPayloads[T],
      enqueueOptions: EnqueueOptions = {},
    ): Promise<EnqueuedJob & { dispatch(): Promise<void> }> {
      const { jobs, dispatch } = await enqueueMany(trx, type, [{ payload, options: enqueueOptions }]);
      return { ...jobs[0]!, dispatch };
    },

    enqueueManyInTransaction: enqueueMany,

    register<T extends JobType>(type: T, handler: JobHandler<T>, handlerOptions?: HandlerOptions): void {
      const name: string = type;
      if (registry.has(name)) throw new Error(`a handler for job type ${name} is already registered`);
      const registered: Registered = { handler: handler as AnyHandler, options: resolveHandlerOptions(handlerOptions) };
      registry.set(name, registered);
      tenantSlots.set(name, new KeyedSlots(registered.options.tenantConcurrency));
      if (reconcileTimer) startWorker(name, registered);
    },

    start(): Promise<void> {
      if (reconcileTimer) return Promise.resolve();
      stopping = false;
      for (const [type, registered] of registry) startWorker(type, registered);
      reconcileTimer = setInterval(() => {
        if (reconciling) return;
        reconciling = reconcile()
          .catch((error: unknown) => {
            onError(error);
            return 0;
          })
          .finally(() => {
            reconciling = undefined;
          });
      }, reconcileMs);
      return Promise.resolve();
    },

    async stop(timeoutMs = 10_000): Promise<void> {
      stopping = true;
      clearInterval(reconcileTimer);
      reconcileTimer = undefined;
      await reconciling;
      const closing = Promise.all([...workers.values()].map((w) => w.close()));
      workers.clear();
      if (await settledWithin([closing], timeoutMs)) return;

      const now = clock.now().toISOString();
      // Release before aborting, so a handler that throws on abort cannot record a failed try first.
      await Promise.all(
        [...running].map(async ([id, r]) => {
          await jobsRepo.release(database.db, id, r.token, now).catch(onError);
          r.controller.abort(new Error('worker stopping'));
        }),
      );
      // A handler that honours the signal returns now and its BullMQ job is parked for another worker;
      // one that ignores it is picked up by another worker's stalled check once its lock runs out.
      await settledWithin([closing], ABORT_GRACE_MS);
    },

    async get(id: string): Promise<JobRecord | undefined> {
      const row = await jobsRepo.findById(database.db, id);
      return row && jobsRepo.toRecord(row);
    },

    async retry(id: string): Promise<boolean> {
      const row = await jobsRepo.retryDead(database.db, id, clock.now().toISOString());
      if (!row) return false;
      await redispatch(row, true).catch(onError);
      return true;
    },

    counts(): Promise<Record<JobStatus, number>> {
      return jobsRepo.countByStatus(database.db);
    },

    idle(timeoutMs = 30_000): Promise<boolean> {
      return waitUntilIdle(database, timeoutMs, 100);
    },

    async close(): Promise<void> {
      clearInterval(reconcileTimer);
      reconcileTimer = undefined;
      await Promise.all([...workers.values()].map((w) => w.close(true)));
      workers.clear();
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
      for (const client of [producer, consumer]) await client?.quit().catch(() => client.disconnect());
      producer = consumer = undefined;
    },

    reconcile,
  };
}
