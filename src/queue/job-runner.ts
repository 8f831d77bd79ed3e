import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/db.js';
import type { Tables } from '../store/tables.js';
import { fromJson, toJson } from '../store/json.js';
import * as jobsRepo from './jobs.repo.js';
import type { JobRow, NewJob } from './jobs.repo.js';
import type { JobPayloads, JobType } from './jobs.js';
import { JobFailure, type EnqueuedJob, type EnqueueOptions, type HandlerOptions, type JobContext } from './queue.js';

/** What both backends share: handler defaults, backoff, building rows and running one claimed try. */

export type ResolvedHandlerOptions = Required<HandlerOptions>;

export const HANDLER_DEFAULTS: ResolvedHandlerOptions = {
  concurrency: 1,
  tenantConcurrency: 1,
  maxAttempts: 5,
  leaseMs: 30_000,
  backoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
};

/** After a stop aborts running handlers, how long they get to notice before stop() returns. */
export const ABORT_GRACE_MS = 1_000;

/** A handler with its payload type erased, as the registry stores it. */
export type AnyHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;

export interface Registered {
  handler: AnyHandler;
  options: ResolvedHandlerOptions;
}

export function resolveHandlerOptions(options: HandlerOptions = {}): ResolvedHandlerOptions {
  const resolved = { ...HANDLER_DEFAULTS, ...definedOnly(options) };
  resolved.tenantConcurrency = options.tenantConcurrency ?? resolved.concurrency;
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`handler option ${key} must be a positive integer, got ${value}`);
  }
  return resolved;
}

function definedOnly(options: HandlerOptions): HandlerOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * Delay before the next try after `attempt` failed: "full jitter", uniform in
 * [0, min(maxBackoffMs, backoffMs · 2^(attempt−1))), so retries of many jobs failing
 * together spread out instead of arriving in waves.
 */
export function retryDelayMs(
  attempt: number,
  options: Pick<ResolvedHandlerOptions, 'backoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A default process-unique worker name: host, pid and a random suffix. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The row for a new job; max attempts come from the options, else the handler registered here, else the default. */
export function buildNewJob(
  type: string,
  payload: unknown,
  options: EnqueueOptions,
  registered: Registered | undefined,
  now: Date,
): NewJob {
  const priority = options.priority ?? 0;
  const delayMs = options.delayMs ?? 0;
  const maxAttempts = options.maxAttempts ?? registered?.options.maxAttempts ?? HANDLER_DEFAULTS.maxAttempts;
  if (!Number.isInteger(priority)) throw new RangeError(`priority must be an integer, got ${priority}`);
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be zero or more, got ${delayMs}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  return {
    id: newId('job', now.getTime()),
    tenantId: options.tenantId ?? null,
    type,
    payload: toJson(payload),
    priority,
    maxAttempts,
    runAt: new Date(now.getTime() + delayMs).toISOString(),
    dedupeKey: options.dedupeKey ?? null,
    now: now.toISOString(),
  };
}

/**
 * Records jobs of one type in the caller's transaction with one insert (both backends keep the row
 * as the truth). Answers the jobs in order, and the rows added (not duplicates) for the backend to
 * dispatch after the commit.
 */
export async function recordJobs<T extends JobType>(
  trx: Transaction<Tables>,
  type: T,
  jobs: readonly { payload: JobPayloads[T]; options?: EnqueueOptions }[],
  registered: Registered | undefined,
  now: Date,
): Promise<{ jobs: EnqueuedJob[]; added: JobRow[] }> {
  const stored = await jobsRepo.insertMany(
    trx,
    jobs.map((j) => buildNewJob(type, j.payload, j.options ?? {}, registered, now)),
  );
  return {
    jobs: stored.map(({ row, duplicate }) => ({ id: row.id, duplicate })),
    added: stored.filter((s) => !s.duplicate).map((s) => s.row),
  };
}

export interface ClaimedRun {
  database: Database;
  clock: Clock;
  row: JobRow;
  /** The claim token the row was taken with. */
  token: string;
  registered: Registered;
  /** Aborted on shutdown past the grace period, or when the lease turns out to be lost. */
  controller: AbortController;
  onError: (error: unknown) => void;
}

/**
 * Runs one claimed try and records its outcome on the row. Returns false when nothing was
 * written because the try no longer held the job (released on shutdown, or taken over).
 */
export async function runClaimedJob(run: ClaimedRun): Promise<boolean> {
  const { database, clock, row, token, registered, controller } = run;
  const db = database.db;
  if (row.attempts > row.max_attempts) {
    // Only a try lost with its worker can push attempts past the limit; the handler does not run again.
    const lost = row.attempts - 1;
    const error = `attempt ${lost} of ${row.max_attempts} was lost with its worker (its lease expired); no attempts left`;
    return jobsRepo.failLost(db, row.id, token, error, clock.now().toISOString());
  }

  const stopHeartbeat = startHeartbeat(run);
  let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
  /** Set once the handler completed the job in its own transaction; nothing is written for it after a success then. */
  let completedIn = false;
  try {
    const ctx: JobContext = {
      id: row.id,
      type: row.type,
      tenantId: row.tenant_id,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      signal: controller.signal,
      async completeIn(trx) {
        const held = await jobsRepo.complete(trx, row.id, token, toJson(null), clock.now().toISOString());
        completedIn ||= held;
        return held;
      },
    };
    outcome = { ok: true, result: await registered.handler(fromJson<unknown>(row.payload, null), ctx) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    stopHeartbeat();
  }

  const now = clock.now();
  if (outcome.ok) return completedIn || jobsRepo.complete(db, row.id, token, toJson(outcome.result), now.toISOString());
  const { error } = outcome;
  const retryable = !(error instanceof JobFailure && !error.retryable) && row.attempts < row.max_attempts;
  const retryAt = retryable
    ? new Date(now.getTime() + retryDelayMs(row.attempts, registered.options)).toISOString()
    : null;
  return jobsRepo.fail(db, row.id, token, { error: describeError(error), retryAt, now: now.toISOString() });
}

/** Renews the lease every third of leaseMs so a long handler keeps its job; returns the stopper. */
function startHeartbeat(run: ClaimedRun): () => void {
  const { database, clock, row, token, registered, controller, onError } = run;
  const leaseMs = registered.options.leaseMs;
  let beating = false;
  const timer = setInterval(
    () => {
      if (beating) return;
      beating = true;
      const now = clock.now();
      jobsRepo
        .extendLease(database.db, row.id, token, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString())
        .then((held) => {
          if (held) return;
          clearInterval(timer);
          // Someone else owns the job now (or shutdown released it); our result would be discarded.
          if (!controller.signal.aborted) controller.abort(new Error('job lease lost'));
        })
        .catch(onError)
        .finally(() => {
          beating = false;
        });
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  return () => clearInterval(timer);
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, 4_000);
}

/** Resolves true when every promise settled within timeoutMs, false otherwise. */
export async function settledWithin(promises: readonly Promise<unknown>[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls the row counts until nothing is queued or active; false on timeout. */
export async function waitUntilIdle(database: Database, timeoutMs: number, everyMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await jobsRepo.countByStatus(database.db);
    if (counts.queued === 0 && counts.active === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function defaultOnError(error: unknown): void {
  console.error('[queue]', error);
}
