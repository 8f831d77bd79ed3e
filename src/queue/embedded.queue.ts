import { systemClock, type Clock } from '../lib/clock.js';
import type { Database } from '../store/db.js';
import {
  ABORT_GRACE_MS,
  defaultOnError,
  defaultWorkerId,
  resolveHandlerOptions,
  runClaimedJob,
  settledWithin,
  waitUntilIdle,
  type AnyHandler,
  type Registered,
} from './job-runner.js';
import { rowEnqueueing } from './enqueueing.js';
import { httpForeground, type ForegroundSignal } from './foreground.js';
import * as jobsRepo from './jobs.repo.js';
import { claimReadySqlite } from './sqlite-claim.js';
import type { JobType } from './jobs.js';
import type { HandlerOptions, JobHandler, JobRecord, JobStatus, Queue } from './queue.js';
import { KeyedSlots } from '../lib/keyed-slots.js';

export interface EmbeddedQueueOptions {
  /** How often an idle worker looks for due jobs; delayed jobs and retries start within this. Default 1000. */
  pollMs?: number;
  /** Names this process in `worker_id`; default host:pid:random. */
  workerId?: string;
  /** Time source for run times and leases. */
  clock?: Clock;
  /** Receives errors from the background loops (default: console.error). */
  onError?: (error: unknown) => void;
  /**
   * While this says busy, each job type starts at most one job every `busyGapMs` (within its
   * concurrency), so HTTP requests on the same event loop go first yet the queue keeps draining.
   * Default: HTTP requests started in this process (`httpForeground`).
   */
  foreground?: ForegroundSignal;
  /** The pace while the foreground is busy; default 100 ms (10 jobs a second per type). */
  busyGapMs?: number;
}

/**
 * While the foreground is busy, a job type starts at most one job per this many ms. Busy means
 * saturated by requests (see httpForeground), when every job's time comes out of the acknowledgements.
 */
export const DEFAULT_BUSY_GAP_MS = 100;
/** While the foreground is busy, the time between claims is at least this many times what the last claim took. */
const BUSY_CLAIM_SHARE = 10;

interface Running {
  id: string;
  token: string;
  controller: AbortController;
  done: Promise<void>;
}

interface Env {
  database: Database;
  clock: Clock;
  pollMs: number;
  foreground: ForegroundSignal;
  busyGapMs: number;
  nextToken(): string;
  onError(error: unknown): void;
}

/** Polls the jobs table for one type, running at most `concurrency` jobs at once. */
class TypeWorker {
  readonly running = new Map<string, Running>();
  private readonly tenantSlots: KeyedSlots;
  private timer: NodeJS.Timeout | undefined;
  private passing: Promise<void> | undefined;
  private passAgain = false;
  /** performance.now() before which no job starts while the foreground is busy. */
  private notBefore = 0;
  private deferred: NodeJS.Timeout | undefined;

  constructor(
    private readonly type: string,
    private readonly registered: Registered,
    private readonly env: Env,
  ) {
    this.tenantSlots = new KeyedSlots(registered.options.tenantConcurrency);
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.env.pollMs);
    this.kick();
  }

  /** Stops claiming; resolves once a claim pass in flight has handed its jobs to `running`. */
  async halt(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.deferred);
    this.timer = undefined;
    this.deferred = undefined;
    await this.passing;
  }

  /** Asks for a claim pass now: on start, on enqueue in this process, when a slot frees, on each poll. */
  kick(): void {
    if (!this.timer) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = this.passes().finally(() => {
      this.passing = undefined;
    });
  }

  private async passes(): Promise<void> {
    do {
      // Each pass starts in a fresh turn of the event loop. Jobs that finish without real I/O (SQLite
      // is synchronous) would otherwise chain claim after claim in microtasks, and the HTTP requests
      // waiting on the sockets would not be read until the whole backlog was done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.passAgain = false;
      try {
        await this.pass();
      } catch (error) {
        this.env.onError(error);
      }
    } while (this.passAgain && this.timer);
  }

  private async pass(): Promise<void> {
    let free = this.registered.options.concurrency - this.running.size;
    if (free <= 0) return;
    if (this.env.foreground.busy()) {
      // Paced starts rather than fewer slots: a job that hangs on a vendor must not stop the others.
      const wait = this.notBefore - performance.now();
      if (wait > 0) {
        this.defer(wait);
        return;
      }
      free = 1;
    } else if (this.running.size > 0 && free < this.registered.options.concurrency / 2) {
      // Claim in batches: a claim is a write (and on PostgreSQL a sort of the ready jobs), so one per
      // finished job costs more than needed. The job that frees the next slot asks again.
      return;
    }
    const now = this.env.clock.now();
    const token = this.env.nextToken();
    const claimStarted = performance.now();
    const claim = {
      token,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + this.registered.options.leaseMs).toISOString(),
    };
    const { database } = this.env;
    const full = this.tenantSlots.full();
    const rows =
      database.dialect === 'sqlite'
        ? await claimReadySqlite(database.db, this.type, free, claim, full)
        : await jobsRepo.claimReady(database, this.type, free, claim, full);
    // While busy, claims take at most about 1/BUSY_CLAIM_SHARE of the time (a claim can grow with the
    // backlog where it sorts the ready jobs), and never less than busyGapMs passes between them.
    const claimed = performance.now();
    this.notBefore = claimed + Math.max(this.env.busyGapMs, (claimed - claimStarted) * BUSY_CLAIM_SHARE);
    const over: jobsRepo.JobRow[] = [];
    for (const row of rows) {
      if (this.tenantSlots.take(row.tenant_id)) this.launch(row, token);
      else over.push(row);
    }
    if (over.length === 0) return;
    // One claim took more of a tenant's jobs than its slots: they go back in line uncounted, and the
    // next pass passes over that tenant to fill the free slots with other tenants' jobs.
    await Promise.all(over.map((row) => jobsRepo.release(database.db, row.id, token, claim.now)));
    this.passAgain = true;
  }

  /** A pass once `ms` have gone by (at most one waiting), so a paced worker moves on without a poll or an enqueue. */
  private defer(ms: number): void {
    if (this.deferred || !this.timer) return;
    this.deferred = setTimeout(() => {
      this.deferred = undefined;
      this.kick();
    }, Math.ceil(ms));
  }

  private launch(row: jobsRepo.JobRow, token: string): void {
    const controller = new AbortController();
    const done = runClaimedJob({ ...this.env, row, token, registered: this.registered, controller })
      .then(
        () => undefined,
        (error: unknown) => this.env.onError(error),
      )
      .finally(() => {
        this.running.delete(row.id);
        this.tenantSlots.give(row.tenant_id);
        this.kick();
      });
    this.running.set(row.id, { id: row.id, token, controller, done });
  }
}

/**
 * The queue for a single process or a few processes sharing one database: workers poll
 * the jobs table directly. Safe with many processes (claims are atomic per dialect).
 */
export function createEmbeddedQueue(database: Database, options: EmbeddedQueueOptions = {}): Queue {
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 1_000;
  const workerId = options.workerId ?? defaultWorkerId();
  const onError = options.onError ?? defaultOnError;
  let claims = 0;
  const env: Env = {
    database,
    clock,
    pollMs,
    onError,
    foreground: options.foreground ?? httpForeground(),
    busyGapMs: options.busyGapMs ?? DEFAULT_BUSY_GAP_MS,
    nextToken: () => `${workerId}#${++claims}`,
  };

  const registry = new Map<string, Registered>();
  const workers = new Map<string, TypeWorker>();
  let started = false;

  const startWorker = (type: string, registered: Registered): void => {
    const worker = new TypeWorker(type, registered, env);
    workers.set(type, worker);
    worker.start();
  };
  const wake = (type: string): void => workers.get(type)?.kick();

  return {
    backend: 'embedded',
    // The rows are what workers poll; announcing them only saves the wait for the next poll.
    ...rowEnqueueing({
      database,
      clock,
      registry,
      announce: (type) => {
        wake(type);
        return Promise.resolve();
      },
    }),

    register<T extends JobType>(type: T, handler: JobHandler<T>, handlerOptions?: HandlerOptions): void {
      const name: string = type;
      if (registry.has(name)) throw new Error(`a handler for job type ${name} is already registered`);
      const registered: Registered = { handler: handler as AnyHandler, options: resolveHandlerOptions(handlerOptions) };
      registry.set(name, registered);
      if (started) startWorker(name, registered);
    },

    start(): Promise<void> {
      if (started) return Promise.resolve();
      started = true;
      for (const [type, registered] of registry) startWorker(type, registered);
      return Promise.resolve();
    },

    async stop(timeoutMs = 10_000): Promise<void> {
      started = false;
      const stopping = [...workers.values()];
      workers.clear();
      await stopWorkers(stopping, env, timeoutMs);
    },

    async get(id: string): Promise<JobRecord | undefined> {
      const row = await jobsRepo.findById(database.db, id);
      return row && jobsRepo.toRecord(row);
    },

    async retry(id: string): Promise<boolean> {
      const row = await jobsRepo.retryDead(database.db, id, clock.now().toISOString());
      if (row) wake(row.type);
      return row !== undefined;
    },

    counts(): Promise<Record<JobStatus, number>> {
      return jobsRepo.countByStatus(database.db);
    },

    idle(timeoutMs = 30_000): Promise<boolean> {
      return waitUntilIdle(database, timeoutMs, Math.min(pollMs, 100));
    },

    close(): Promise<void> {
      // The database belongs to the composition root; this backend holds no connection of its own.
      return Promise.resolve();
    },
  };
}

/** Halts the workers; jobs still running after `timeoutMs` are released for another worker, then aborted. */
async function stopWorkers(stopping: TypeWorker[], env: Env, timeoutMs: number): Promise<void> {
  await Promise.all(stopping.map((w) => w.halt()));
  const running = () => stopping.flatMap((w) => [...w.running.values()]);
  if (
    await settledWithin(
      running().map((r) => r.done),
      timeoutMs,
    )
  )
    return;

  const left = running();
  const now = env.clock.now().toISOString();
  // Release before aborting, so a handler that throws on abort cannot record a failed try first.
  await Promise.all(
    left.map(async (r) => {
      await jobsRepo.release(env.database.db, r.id, r.token, now).catch((error: unknown) => env.onError(error));
      r.controller.abort(new Error('worker stopping'));
    }),
  );
  await settledWithin(
    left.map((r) => r.done),
    ABORT_GRACE_MS,
  );
}
