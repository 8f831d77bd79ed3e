import type { IngestionPipeline } from './pipeline.js';

/**
 * Moves stored requests into the queue. The intake only stores a request (the acknowledgement
 * writes one row); the relay queues its first step after the commit, like a transactional outbox:
 * a request is queued exactly once however many processes relay, since the job's dedupe key holds.
 */
export interface IntakeRelay {
  /** Requests were stored in this process: queue them now rather than at the next poll. */
  wake(): void;
  /** Runs in worker processes (serve, worker); requests other processes stored are found by polling. */
  start(): void;
  /** Stops and waits for a pass in flight. */
  stop(): Promise<void>;
}

export interface IntakeRelayOptions {
  /** Requests queued per transaction. */
  batch?: number;
  /** How often to look for requests stored by other processes. */
  pollMs?: number;
  /**
   * While this says the process is busy answering HTTP requests, one batch per `busyGapMs`: the
   * workers start jobs slowly then anyway, and the acknowledgements keep the event loop.
   */
  busy?: () => boolean;
  busyGapMs?: number;
  onError?: (error: unknown) => void;
}

const RELAY_BATCH = 250;
const POLL_MS = 250;
const BUSY_GAP_MS = 1_000;

export function createIntakeRelay(
  pipeline: Pick<IngestionPipeline, 'queueStored'>,
  options: IntakeRelayOptions = {},
): IntakeRelay {
  const batch = options.batch ?? RELAY_BATCH;
  const pollMs = options.pollMs ?? POLL_MS;
  const busyGapMs = options.busyGapMs ?? BUSY_GAP_MS;
  const busy = options.busy ?? (() => false);
  const onError = options.onError ?? ((error: unknown) => console.error('intake relay:', error));

  let started = false;
  let timer: NodeJS.Timeout | undefined;
  /** performance.now() at which the waiting timer fires. */
  let dueAt = Number.POSITIVE_INFINITY;
  let passing: Promise<void> | undefined;
  /** A wake during a pass: run again right after it. */
  let wokenWhilePassing = false;
  let lastPassAt = Number.NEGATIVE_INFINITY;

  /** Runs a pass in `delayMs`, or sooner if one is already due sooner; paced while the process is busy. */
  const plan = (delayMs: number): void => {
    if (!started) return;
    if (passing) {
      if (delayMs === 0) wokenWhilePassing = true;
      return;
    }
    const now = performance.now();
    const wait = busy() ? Math.max(delayMs, lastPassAt + busyGapMs - now) : delayMs;
    if (timer && dueAt <= now + wait) return;
    clearTimeout(timer);
    dueAt = now + wait;
    timer = setTimeout(pass, Math.max(0, wait));
  };

  const pass = (): void => {
    timer = undefined;
    dueAt = Number.POSITIVE_INFINITY;
    passing = pipeline
      .queueStored(batch)
      .catch((error: unknown) => {
        onError(error);
        return 0;
      })
      .then((queued) => {
        lastPassAt = performance.now();
        passing = undefined;
        // A full batch leaves more waiting.
        const again = queued === batch || wokenWhilePassing;
        wokenWhilePassing = false;
        plan(again ? 0 : pollMs);
      });
  };

  return {
    wake: () => plan(0),
    start() {
      if (started) return;
      started = true;
      plan(0);
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      await passing;
    },
  };
}
