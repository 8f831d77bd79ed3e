import type { Transaction } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/db.js';
import type { Tables } from '../store/tables.js';
import { buildNewJob, recordJobs, type Registered } from './job-runner.js';
import * as jobsRepo from './jobs.repo.js';
import type { JobRow } from './jobs.repo.js';
import type { JobPayloads, JobType } from './jobs.js';
import type { EnqueueOptions, EnqueuedJob, Queue } from './queue.js';

/**
 * Writing jobs, the same for both backends: the row is the truth and is written first; `announce`
 * tells the backend about the rows added (not duplicates) once they are committed.
 */
export function rowEnqueueing(deps: {
  database: Database;
  clock: Clock;
  registry: ReadonlyMap<string, Registered>;
  announce: (type: JobType, added: JobRow[]) => Promise<void>;
}): Pick<Queue, 'enqueue' | 'enqueueInTransaction' | 'enqueueManyInTransaction'> {
  const { database, clock, registry, announce } = deps;

  const enqueueMany = async <T extends JobType>(
    trx: Transaction<Tables>,
    type: T,
    jobs: readonly { payload: JobPayloads[T]; options?: EnqueueOptions }[],
  ) => {
    const recorded = await recordJobs(trx, type, jobs, registry.get(type), clock.now());
    return { jobs: recorded.jobs, dispatch: () => announce(type, recorded.added) };
  };

  return {
    async enqueue<T extends JobType>(
      type: T,
      payload: JobPayloads[T],
      enqueueOptions: EnqueueOptions = {},
    ): Promise<EnqueuedJob> {
      const job = buildNewJob(type, payload, enqueueOptions, registry.get(type), clock.now());
      const { row, duplicate } = await jobsRepo.insert(database.db, job);
      if (!duplicate) await announce(type, [row]);
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
  };
}
