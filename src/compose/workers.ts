import type { IngestionPipeline, IntakeRelay } from '../domain/calls/index.js';
import type { RemindersModule } from '../domain/reminders/index.js';
import type { Queue } from '../queue/queue.js';

/** A module that runs jobs: it declares each job's handler on the queue. */
export interface JobModule {
  registerJobs(queue: Queue): void;
}

export interface WorkerDeps {
  queue: Queue;
  services: { intakeRelay: IntakeRelay; ingestionPipeline: IngestionPipeline };
}

/**
 * Declares every module's job handlers on the queue, once, after the modules exist; handlers only
 * run in processes that call `queue.start()` (serve, worker).
 */
export function registerJobs(queue: Queue, modules: readonly JobModule[]): void {
  for (const module of modules) module.registerJobs(queue);
}

/** Unfinished requests idle this long are looked at again; a live step renews its request well within it. */
const RECOVERY_IDLE_MS = 2 * 60_000;
const RECOVERY_EVERY_MS = 60_000;

/**
 * Starts the job workers of this process, the relay that queues stored ingestion requests, and a
 * sweep that re-queues requests a crash left without a queued step. Returns the stopper for shutdown.
 */
export async function startWorkers(deps: WorkerDeps): Promise<{ stop(timeoutMs: number): Promise<void> }> {
  await deps.queue.start();
  deps.services.intakeRelay.start();
  const sweep = () => void deps.services.ingestionPipeline.recover(RECOVERY_IDLE_MS).catch(() => undefined);
  sweep();
  const timer = setInterval(sweep, RECOVERY_EVERY_MS);
  timer.unref();
  return {
    async stop(timeoutMs) {
      clearInterval(timer);
      await deps.services.intakeRelay.stop();
      await deps.queue.stop(timeoutMs);
    },
  };
}

/**
 * Queues the first run of each recurring job (the reminders' sweep; each sweep queues the next).
 * Apart from `startWorkers` because a recurring job is always queued: callers waiting for an idle
 * queue (tests) start workers without it.
 */
export async function startSchedules(deps: {
  queue: Queue;
  services: { reminderSchedule: Pick<RemindersModule, 'schedule'> };
}): Promise<void> {
  await deps.services.reminderSchedule.schedule(deps.queue);
}
