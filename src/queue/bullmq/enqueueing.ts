import type { Transaction } from 'kysely';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../store/db.js';
import type { Tables } from '../../store/tables.js';
import { buildNewJob, recordJobs, type Registered } from '../job-runner.js';
import * as jobsRepo from '../jobs.repo.js';
import type { JobRow } from '../jobs.repo.js';
import type { JobPayloads, JobType } from '../jobs.js';
import type { EnqueueOptions, EnqueuedJob, Queue } from '../queue.js';
import type { BullmqConnections } from './connections.js';
import { dispatch } from './dispatch.js';

/** Writing jobs: the row first, then its BullMQ job. */
export function bullmqEnqueueing(deps: {
  database: Database;
  clock: Clock;
  registry: ReadonlyMap<string, Registered>;
  connections: BullmqConnections;
  onError: (error: unknown) => void;
}): Pick<Queue, 'enqueue' | 'enqueueInTransaction' | 'enqueueManyInTransaction'> {
  const { database, clock, registry, connections, onError } = deps;

  // The row is committed before this runs, so a Redis failure is reported, not thrown: the reconciler repairs it.
  const dispatchQuietly = (row: JobRow): Promise<void> => dispatch(connections, row).catch(onError);

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
  };
}
