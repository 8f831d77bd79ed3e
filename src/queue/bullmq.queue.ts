import { systemClock } from '../lib/clock.js';
import type { Database } from '../store/db.js';
import {
  defaultOnError,
  defaultWorkerId,
  resolveHandlerOptions,
  waitUntilIdle,
  type AnyHandler,
  type Registered,
} from './job-runner.js';
import { rowEnqueueing } from './enqueueing.js';
import * as jobsRepo from './jobs.repo.js';
import type { JobType } from './jobs.js';
import type { HandlerOptions, JobHandler, JobRecord, JobStatus, Queue } from './queue.js';
import { BullmqConnections } from './bullmq/connections.js';
import { dispatch, redispatch } from './bullmq/dispatch.js';
import { Reconciler } from './bullmq/reconciler.js';
import { BullmqWorkers } from './bullmq/workers.js';

export { TENANT_WAIT_MS } from './bullmq/workers.js';

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
 * Jobs in BullMQ (one BullMQ queue per job type, so concurrency is per type), with the
 * database row as the source of truth: enqueue writes the row, then adds a BullMQ job whose
 * id is the row's id; workers run what the row allows and write the outcome to the row; a
 * reconciler re-adds rows whose BullMQ job Redis lost. Type names may not contain ':'.
 */
export function createBullmqQueue(database: Database, redisUrl: string, options: BullmqQueueOptions = {}): BullmqQueue {
  const clock = systemClock;
  const onError = options.onError ?? defaultOnError;
  const registry = new Map<string, Registered>();
  const connections = new BullmqConnections(redisUrl, options.prefix ?? 'frontdesk', onError);
  const workers = new BullmqWorkers({
    database,
    clock,
    connections,
    registry,
    workerId: options.workerId ?? defaultWorkerId(),
    onError,
  });
  const reconciler = new Reconciler({
    database,
    connections,
    reconcileMs: options.reconcileMs ?? 30_000,
    graceMs: options.reconcileGraceMs ?? 30_000,
    onError,
  });

  return {
    backend: 'bullmq',
    ...rowEnqueueing({
      database,
      clock,
      registry,
      // The rows are committed before this runs, so a Redis failure is reported, not thrown: the reconciler repairs it.
      announce: async (_type, added) => {
        await Promise.all(added.map((row) => dispatch(connections, row).catch(onError)));
      },
    }),

    register<T extends JobType>(type: T, handler: JobHandler<T>, handlerOptions?: HandlerOptions): void {
      const name: string = type;
      if (registry.has(name)) throw new Error(`a handler for job type ${name} is already registered`);
      const registered: Registered = { handler: handler as AnyHandler, options: resolveHandlerOptions(handlerOptions) };
      registry.set(name, registered);
      workers.addTenantSlots(name, registered);
      if (reconciler.started) workers.start(name, registered);
    },

    start(): Promise<void> {
      if (reconciler.started) return Promise.resolve();
      workers.startAll();
      reconciler.start();
      return Promise.resolve();
    },

    async stop(timeoutMs = 10_000): Promise<void> {
      workers.holdJobs();
      reconciler.halt();
      await reconciler.inFlight();
      await workers.drain(timeoutMs);
    },

    async get(id: string): Promise<JobRecord | undefined> {
      const row = await jobsRepo.findById(database.db, id);
      return row && jobsRepo.toRecord(row);
    },

    async retry(id: string): Promise<boolean> {
      const row = await jobsRepo.retryDead(database.db, id, clock.now().toISOString());
      if (!row) return false;
      await redispatch(connections, row, true).catch(onError);
      return true;
    },

    counts(): Promise<Record<JobStatus, number>> {
      return jobsRepo.countByStatus(database.db);
    },

    idle(timeoutMs = 30_000): Promise<boolean> {
      return waitUntilIdle(database, timeoutMs, 100);
    },

    async close(): Promise<void> {
      reconciler.halt();
      await workers.closeNow();
      await connections.close();
    },

    reconcile: () => reconciler.reconcile(),
  };
}
