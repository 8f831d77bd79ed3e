import type { ExpressionBuilder, Kysely, Selectable, UpdateObject } from 'kysely';
import type { Database } from '../store/db.js';
import { fromJson } from '../store/json.js';
import type { JobsTable, Tables } from '../store/tables.js';
import type { JobRecord, JobStatus } from './queue.js';

/**
 * All SQL for the `jobs` table, shared by both queue backends. Jobs belong to the platform,
 * not to one tenant, so these functions take no tenantId. Every write that finishes a try is
 * fenced by the claim token in `worker_id`: a worker that lost its lease writes nothing.
 */

export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  id: string;
  tenantId: string | null;
  type: string;
  /** JSON text. */
  payload: string;
  priority: number;
  maxAttempts: number;
  runAt: string;
  dedupeKey: string | null;
  now: string;
}

export interface Claim {
  /** Written to `worker_id`; later writes for this try must present it. */
  token: string;
  now: string;
  leaseUntil: string;
}

const STATUSES: readonly JobStatus[] = ['queued', 'active', 'completed', 'dead'];

/** Queued and due, or active under a lease nobody renewed (its worker died). */
function isReady(eb: ExpressionBuilder<Tables, 'jobs'>, now: string) {
  return eb.or([
    eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
    eb.and([eb('status', '=', 'active'), eb('lease_until', '<', now)]),
  ]);
}

function claimValues(claim: Claim) {
  return (eb: ExpressionBuilder<Tables, 'jobs'>) => ({
    status: 'active',
    // A try counts when it starts, so a try lost with its worker is counted too.
    attempts: eb('attempts', '+', 1),
    lease_until: claim.leaseUntil,
    worker_id: claim.token,
    updated_at: claim.now,
  });
}

/** Highest priority first, then oldest, then by id: the order claims are handed out in. */
export function byPriority(a: JobRow, b: JobRow): number {
  return b.priority - a.priority || a.run_at.localeCompare(b.run_at) || a.id.localeCompare(b.id);
}

/** What a new job's insert sets; the other columns start empty. */
function insertedValues(job: NewJob) {
  return {
    id: job.id,
    tenant_id: job.tenantId,
    type: job.type,
    payload: job.payload,
    status: 'queued',
    priority: job.priority,
    attempts: 0,
    max_attempts: job.maxAttempts,
    run_at: job.runAt,
    dedupe_key: job.dedupeKey,
    created_at: job.now,
    updated_at: job.now,
  };
}

/** The row a new job is stored as. */
function rowOf(job: NewJob): JobRow {
  return {
    ...insertedValues(job),
    lease_until: null,
    worker_id: null,
    last_error: null,
    result: null,
    completed_at: null,
  };
}

/**
 * Inserts a job; when its dedupe key is taken, returns the job that holds it. Takes a
 * Kysely or a Transaction so a job can commit together with the caller's writes.
 */
export async function insert(db: Kysely<Tables>, job: NewJob): Promise<{ row: JobRow; duplicate: boolean }> {
  // Three tries: a conflicting row can vanish between the insert and the read if its transaction rolls back.
  for (let tries = 0; tries < 3; tries++) {
    const inserted = await db
      .insertInto('jobs')
      .values(insertedValues(job))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, duplicate: false };
    if (job.dedupeKey === null) break;
    const existing = await db.selectFrom('jobs').selectAll().where('dedupe_key', '=', job.dedupeKey).executeTakeFirst();
    if (existing) return { row: existing, duplicate: true };
  }
  throw new Error(`could not insert job ${job.id}`);
}

/**
 * Inserts jobs with one statement, answering each as `insert` does (in order). A job whose dedupe key
 * is taken, by an earlier row or by an earlier job of the list, answers the job that holds it.
 */
export async function insertMany(
  db: Kysely<Tables>,
  jobs: readonly NewJob[],
): Promise<{ row: JobRow; duplicate: boolean }[]> {
  if (jobs.length === 0) return [];
  const stored = await db
    .insertInto('jobs')
    .values(jobs.map(insertedValues))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  const inserted = new Set(stored.map((r) => r.id));
  const answers: { row: JobRow; duplicate: boolean }[] = [];
  for (const job of jobs)
    answers.push(inserted.has(job.id) ? { row: rowOf(job), duplicate: false } : await insert(db, job));
  return answers;
}

/** Claims up to `limit` ready jobs of one type, highest priority then oldest first, none of them for `exceptTenants`. */
export async function claimReady(
  database: Database,
  type: string,
  limit: number,
  claim: Claim,
  exceptTenants: readonly string[] = [],
): Promise<JobRow[]> {
  if (limit <= 0) return [];
  const ready = (db: Kysely<Tables>) =>
    db
      .selectFrom('jobs')
      .select('id')
      .where('type', '=', type)
      .where((eb) => isReady(eb, claim.now))
      .$if(exceptTenants.length > 0, (qb) =>
        qb.where((eb) => eb.or([eb('tenant_id', 'is', null), eb('tenant_id', 'not in', exceptTenants)])),
      )
      .orderBy('priority', 'desc')
      .orderBy('run_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);

  let rows: JobRow[];
  if (database.dialect === 'postgres') {
    // Row locks make concurrent claimers skip each other's picks instead of queueing behind them.
    rows = await database.db.transaction().execute(async (trx) => {
      const picked = await ready(trx).forUpdate().skipLocked().execute();
      if (picked.length === 0) return [];
      return trx
        .updateTable('jobs')
        .set(claimValues(claim))
        .where(
          'id',
          'in',
          picked.map((r) => r.id),
        )
        .returningAll()
        .execute();
    });
  } else {
    // SQLite serialises writers, so one UPDATE … WHERE id IN (SELECT …) is already exclusive.
    rows = await database.db
      .updateTable('jobs')
      .set(claimValues(claim))
      .where('id', 'in', ready(database.db))
      .returningAll()
      .execute();
  }
  return rows.sort(byPriority);
}

/** Claims one job by id if it is ready; undefined when it is finished, not due, or leased by a live worker. */
export function claimById(db: Kysely<Tables>, id: string, claim: Claim): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set(claimValues(claim))
    .where('id', '=', id)
    .where((eb) => isReady(eb, claim.now))
    .returningAll()
    .executeTakeFirst();
}

/** Writes `set` only while the try holding `token` still runs the job; true when it did. */
async function updateHeld(
  db: Kysely<Tables>,
  id: string,
  token: string,
  set: UpdateObject<Tables, 'jobs'> | ((eb: ExpressionBuilder<Tables, 'jobs'>) => UpdateObject<Tables, 'jobs'>),
): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set(set)
    .where('id', '=', id)
    .where('worker_id', '=', token)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Pushes the lease forward while a handler runs; false when the try no longer holds the job. */
export async function extendLease(
  db: Kysely<Tables>,
  id: string,
  token: string,
  leaseUntil: string,
  now: string,
): Promise<boolean> {
  return updateHeld(db, id, token, { lease_until: leaseUntil, updated_at: now });
}

/** Records success; false when the try no longer holds the job. */
export async function complete(
  db: Kysely<Tables>,
  id: string,
  token: string,
  result: string,
  now: string,
): Promise<boolean> {
  return updateHeld(db, id, token, {
    status: 'completed',
    result,
    lease_until: null,
    completed_at: now,
    updated_at: now,
  });
}

/** Records a failure: back in line at `retryAt`, or dead when `retryAt` is null. False when the try no longer holds the job. */
export async function fail(
  db: Kysely<Tables>,
  id: string,
  token: string,
  failure: { error: string; retryAt: string | null; now: string },
): Promise<boolean> {
  const { error, retryAt, now } = failure;
  return updateHeld(
    db,
    id,
    token,
    retryAt === null
      ? { status: 'dead', last_error: error, lease_until: null, updated_at: now }
      : { status: 'queued', last_error: error, lease_until: null, run_at: retryAt, updated_at: now },
  );
}

/**
 * Marks dead a job whose last allowed try was lost with its worker. The claim that found it
 * ran nothing, so it is not counted. False when the try no longer holds the job.
 */
export async function failLost(
  db: Kysely<Tables>,
  id: string,
  token: string,
  error: string,
  now: string,
): Promise<boolean> {
  return updateHeld(db, id, token, (eb) => ({
    status: 'dead',
    attempts: eb('attempts', '-', 1),
    last_error: error,
    lease_until: null,
    updated_at: now,
  }));
}

/**
 * Hands a running job back on shutdown so another worker takes it at once. The try is
 * not counted: the job did not fail, its worker left.
 */
export async function release(db: Kysely<Tables>, id: string, token: string, now: string): Promise<boolean> {
  return updateHeld(db, id, token, (eb) => ({
    status: 'queued',
    attempts: eb('attempts', '-', 1),
    lease_until: null,
    run_at: now,
    updated_at: now,
  }));
}

export function findById(db: Kysely<Tables>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Puts a dead job back in line with a fresh attempt count; undefined when it is not dead. */
export function retryDead(db: Kysely<Tables>, id: string, now: string): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: now, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirst();
}

export async function countByStatus(db: Kysely<Tables>): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of rows) {
    if ((STATUSES as readonly string[]).includes(row.status)) counts[row.status as JobStatus] = Number(row.n);
  }
  return counts;
}

/**
 * Jobs that should be in a broker by now: queued and due since before `queuedBefore`, or
 * active under a lease that ran out before `leaseBefore`. Oldest first.
 */
export function listStranded(
  db: Kysely<Tables>,
  bounds: { queuedBefore: string; leaseBefore: string; limit: number },
): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', bounds.queuedBefore)]),
        eb.and([eb('status', '=', 'active'), eb('lease_until', '<', bounds.leaseBefore)]),
      ]),
    )
    .orderBy('run_at', 'asc')
    .limit(bounds.limit)
    .execute();
}

export function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    payload: fromJson<unknown>(row.payload, null),
    status: row.status as JobStatus,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lastError: row.last_error,
    result: fromJson<unknown>(row.result, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
