import { registerCallsJobs, type IngestionPipeline, type IntakeRelay } from './domain/calls/index.js';
import { registerBatchJobs, type BatchesService } from './domain/leads/index.js';
import type { Queue } from './queue/queue.js';

/**
 * What the workers use, named here rather than taken from deps.ts: createDeps calls
 * registerJobHandlers, so importing its Deps type back would close an import cycle.
 */
export interface JobHandlerDeps {
  queue: Queue;
  services: {
    batches: BatchesService;
    ingestionPipeline: IngestionPipeline;
  };
}

export interface WorkerDeps {
  queue: Queue;
  services: { intakeRelay: IntakeRelay; ingestionPipeline: IngestionPipeline };
}

/**
 * Declares every job handler on the queue. Called once by createDeps after the services
 * exist; handlers only run in processes that call `queue.start()` (serve, worker).
 */
export function registerJobHandlers(deps: JobHandlerDeps): void {
  registerBatchJobs(deps.queue, deps.services.batches);
  registerCallsJobs(deps.queue, deps.services.ingestionPipeline);
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
