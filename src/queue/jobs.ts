/**
 * The typed catalogue of jobs: each job type and its payload. A domain module adds its
 * jobs here and registers their handlers in its `*.jobs.ts`; tests add their own by
 * declaration merging.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the entries below and by declaration merging
export interface JobPayloads {}

export type JobType = keyof JobPayloads;
