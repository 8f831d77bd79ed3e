import type { CallOutcome } from './campaigns.records.js';

/**
 * When a target is called again (docs/campaigns.md): an unanswered or busy call is tried again, up
 * to three calls in all, one hour after the first and four hours after the second; every other
 * outcome is final. A retry still waits for the callee's calling hours.
 */
export const MAX_ATTEMPTS = 3;
const RETRYABLE: ReadonlySet<CallOutcome> = new Set(['no_answer', 'busy']);
const HOUR_MS = 3_600_000;

/** The next dial time after a call with this outcome, or undefined when the target is done. */
export function nextAttemptAt(outcome: CallOutcome, attempts: number, now: Date): Date | undefined {
  if (!RETRYABLE.has(outcome) || attempts >= MAX_ATTEMPTS) return undefined;
  return new Date(now.getTime() + HOUR_MS * 4 ** (attempts - 1));
}
