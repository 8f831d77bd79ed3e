import type { Transaction } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Tables } from '../../store/tables.js';
import { createRequestSearchRepo, type RequestSearchRepo } from './request-search.repo.js';
import { createRequestsRepo, type RequestsRepo } from './requests.repo.js';
import { createStepsRepo, type StepsRepo } from './steps.repo.js';

/** An open transaction, for ports that write in it too (the queue's jobs, a job's completion). */
export type TxHandle = Transaction<Tables>;

/** The repos that write, bound to one connection or transaction. */
export interface CallsWriters {
  requests: RequestsRepo;
  steps: StepsRepo;
}

export interface CallsStore extends CallsWriters {
  search: RequestSearchRepo;
  /** Runs `fn` in one transaction; the repos it is handed write in it. */
  transaction<T>(fn: (tx: CallsWriters & { handle: TxHandle }) => Promise<T>): Promise<T>;
}

/** Every repo of the calls concept over one database. */
export function createCallsStore(db: Db): CallsStore {
  return {
    requests: createRequestsRepo(db),
    steps: createStepsRepo(db),
    search: createRequestSearchRepo(db),
    transaction: (fn) =>
      db
        .transaction()
        .execute((trx) => fn({ requests: createRequestsRepo(trx), steps: createStepsRepo(trx), handle: trx })),
  };
}
