import { DelayedError, Worker, type Job } from 'bullmq';
import type { Clock } from '../../lib/clock.js';
import { KeyedSlots } from '../../lib/keyed-slots.js';
import type { Database } from '../../store/db.js';
import { ABORT_GRACE_MS, runClaimedJob, settledWithin, type Registered } from '../job-runner.js';
import * as jobsRepo from '../jobs.repo.js';
import type { BullData, BullmqConnections } from './connections.js';

/**
 * A job whose tenant has every slot of its type taken waits in Redis about this long (±50 %, so a
 * backlog spreads out) before it is looked at again; the row is not touched and the try not counted.
 */
export const TENANT_WAIT_MS = 1_000;

/** Past an expired lease, wait this much longer before looking at the row again. */
const LEASE_MARGIN_MS = 50;

export interface WorkersEnv {
  database: Database;
  clock: Clock;
  connections: BullmqConnections;
  registry: ReadonlyMap<string, Registered>;
  workerId: string;
  onError: (error: unknown) => void;
}

/** Parks the BullMQ job until `at`, when the row may be runnable; it keeps its place in Redis meanwhile. */
async function park(job: Job<BullData>, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}

/** The BullMQ worker of each job type: runs what the row allows and writes the outcome to the row. */
export class BullmqWorkers {
  private readonly workers = new Map<string, Worker<BullData>>();
  /** The jobs this process runs, by id, so a stop that times out can release and abort them. */
  private readonly running = new Map<string, { token: string; controller: AbortController }>();
  private readonly tenantSlots = new Map<string, KeyedSlots>();
  private stopping = false;
  private claims = 0;

  constructor(private readonly env: WorkersEnv) {}

  /** Made at registration, not at start, so jobs still running across a stop and start stay counted. */
  addTenantSlots(type: string, registered: Registered): void {
    this.tenantSlots.set(type, new KeyedSlots(registered.options.tenantConcurrency));
  }

  /** Starts a worker for every registered type. */
  startAll(): void {
    this.stopping = false;
    for (const [type, registered] of this.env.registry) this.start(type, registered);
  }

  start(type: string, registered: Registered): void {
    const worker = new Worker<BullData>(type, (job, token) => this.process(type, job, token), {
      connection: this.env.connections.workerConnection(),
      prefix: this.env.connections.prefix,
      concurrency: registered.options.concurrency,
      // A killed worker stops renewing its BullMQ lock; after leaseMs the stalled check hands the job to another worker.
      lockDuration: registered.options.leaseMs,
      stalledInterval: registered.options.leaseMs,
      // The row's attempt count decides when a job that keeps losing its worker is dead, not BullMQ.
      maxStalledCount: 1_000_000,
    });
    worker.on('error', this.env.onError);
    this.workers.set(type, worker);
  }

  /** From now on a delivered job is parked for another worker rather than run. */
  holdJobs(): void {
    this.stopping = true;
  }

  /** Closes the workers; jobs still running after `timeoutMs` are released for another worker, then aborted. */
  async drain(timeoutMs: number): Promise<void> {
    const closing = Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
    if (await settledWithin([closing], timeoutMs)) return;

    const { database, clock, onError } = this.env;
    const now = clock.now().toISOString();
    // Release before aborting, so a handler that throws on abort cannot record a failed try first.
    await Promise.all(
      [...this.running].map(async ([id, r]) => {
        await jobsRepo.release(database.db, id, r.token, now).catch(onError);
        r.controller.abort(new Error('worker stopping'));
      }),
    );
    // A handler that honours the signal returns now and its BullMQ job is parked for another worker;
    // one that ignores it is picked up by another worker's stalled check once its lock runs out.
    await settledWithin([closing], ABORT_GRACE_MS);
  }

  /** Closes the workers at once, without waiting for their jobs. */
  async closeNow(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.close(true)));
    this.workers.clear();
  }

  private async process(type: string, job: Job<BullData>, bullToken: string | undefined): Promise<void> {
    const registered = this.env.registry.get(type);
    if (this.stopping || !registered) return park(job, bullToken, Date.now());
    const slots = this.tenantSlots.get(type)!;
    const tenantId = job.data.tenantId ?? null;
    if (!slots.take(tenantId))
      return park(job, bullToken, Date.now() + Math.round(TENANT_WAIT_MS * (0.5 + Math.random())));
    try {
      return await this.runAndMirror(job, bullToken, registered);
    } finally {
      slots.give(tenantId);
    }
  }

  /** Runs the row's try if it is ready, then leaves the BullMQ job as the row says. */
  private async runAndMirror(job: Job<BullData>, bullToken: string | undefined, registered: Registered): Promise<void> {
    const { database, clock, onError } = this.env;
    const id = job.data.id;
    const now = clock.now();
    const token = `${this.env.workerId}#${++this.claims}`;
    const row = await jobsRepo.claimById(database.db, id, {
      token,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + registered.options.leaseMs).toISOString(),
    });
    if (row) {
      const controller = new AbortController();
      this.running.set(id, { token, controller });
      try {
        await runClaimedJob({ database, clock, row, token, registered, controller, onError });
      } finally {
        this.running.delete(id);
      }
    }

    // The BullMQ job mirrors the row: gone when the row is finished, otherwise parked until the row is due.
    const current = await jobsRepo.findById(database.db, id);
    if (!current || current.status === 'completed' || current.status === 'dead') return;
    if (current.status === 'queued') return park(job, bullToken, Date.parse(current.run_at));
    // Active under another live lease (a duplicate delivery): look again when that lease would have run out.
    return park(job, bullToken, Date.parse(current.lease_until ?? now.toISOString()) + LEASE_MARGIN_MS);
  }
}
