import type { Transaction } from 'kysely';
import type { Tables } from '../store/tables.js';
import type { JobPayloads, JobType } from './jobs.js';

/** Options for one job. The database row is the source of truth in every backend. */
export interface EnqueueOptions {
  /** The tenant the job works for; null for platform jobs. */
  tenantId?: string | null;
  /** Higher runs first. */
  priority?: number;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Overrides the handler's default. */
  maxAttempts?: number;
  /** A second enqueue with the same key returns the first job instead of adding one. */
  dedupeKey?: string;
}

export interface EnqueuedJob {
  id: string;
  /** True when the dedupe key matched an existing job. */
  duplicate: boolean;
}

export type JobStatus = 'queued' | 'active' | 'completed' | 'dead';

export interface JobRecord {
  id: string;
  tenantId: string | null;
  type: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface JobContext {
  id: string;
  type: string;
  tenantId: string | null;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the worker is shutting down past its grace period, or has lost the job's lease. */
  signal: AbortSignal;
  /**
   * Records the job as completed in the caller's transaction, so the job's effects and its
   * completion commit together and the runner writes nothing more after the handler returns. False
   * when this try no longer holds the job (another worker took it over): roll the transaction back.
   */
  completeIn(trx: Transaction<Tables>): Promise<boolean>;
}

export type JobHandler<T extends JobType> = (payload: JobPayloads[T], ctx: JobContext) => Promise<unknown>;

export interface HandlerOptions {
  /** Jobs of this type one process runs at once. */
  concurrency?: number;
  /**
   * Jobs of this type one process runs at once for one tenant (default: all of `concurrency`). A
   * tenant's further jobs wait in line, their try not counted, so a tenant whose jobs are slow
   * cannot take every slot from the others. Jobs without a tenant are not limited by it.
   */
  tenantConcurrency?: number;
  /** Tries before the job goes dead (default 5); an enqueue option overrides it. */
  maxAttempts?: number;
  /** How long a worker holds a job before another may take it over (its worker is presumed dead). */
  leaseMs?: number;
  /** First retry delay; doubles each attempt, with jitter, capped at maxBackoffMs. */
  backoffMs?: number;
  /** Ceiling of the retry delay. */
  maxBackoffMs?: number;
}

/** Thrown by a handler to say whether trying again can help; anything else thrown is retryable. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export interface Queue {
  readonly backend: 'embedded' | 'bullmq';
  /** Records the job and makes it runnable. */
  enqueue<T extends JobType>(type: T, payload: JobPayloads[T], options?: EnqueueOptions): Promise<EnqueuedJob>;
  /**
   * Records the job inside the caller's transaction (so an event and its job commit together);
   * call the returned `dispatch` after the commit. A dispatch that never happens is repaired by recovery.
   */
  enqueueInTransaction<T extends JobType>(
    trx: Transaction<Tables>,
    type: T,
    payload: JobPayloads[T],
    options?: EnqueueOptions,
  ): Promise<EnqueuedJob & { dispatch(): Promise<void> }>;
  /** `enqueueInTransaction` for many jobs of one type with one insert; the jobs answer in order, one `dispatch` for all. */
  enqueueManyInTransaction<T extends JobType>(
    trx: Transaction<Tables>,
    type: T,
    jobs: readonly { payload: JobPayloads[T]; options?: EnqueueOptions }[],
  ): Promise<{ jobs: EnqueuedJob[]; dispatch(): Promise<void> }>;
  /** Declares how a job type is run; only processes that call start() run handlers. */
  register<T extends JobType>(type: T, handler: JobHandler<T>, options?: HandlerOptions): void;
  /** Starts the workers for every registered type (and the recovery loop). */
  start(): Promise<void>;
  /** Stops taking jobs, waits up to timeoutMs for running ones, then aborts them. */
  stop(timeoutMs?: number): Promise<void>;
  /** The job's row, or undefined when there is none. */
  get(id: string): Promise<JobRecord | undefined>;
  /** Puts a dead job back in line with a fresh attempt count. */
  retry(id: string): Promise<boolean>;
  /** Counts by status, for health and metrics. */
  counts(): Promise<Record<JobStatus, number>>;
  /** Resolves when no job is queued or active (tests, benchmarks, drain on shutdown). */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Releases connections; does not stop workers. */
  close(): Promise<void>;
}
