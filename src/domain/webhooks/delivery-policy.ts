/**
 * When an outbound webhook is retried, when it is given up, and when its endpoint is
 * disabled. Documented in docs/webhook-signing.md; every number is injectable so tests run
 * the whole lifecycle in milliseconds.
 */

export interface WebhookTuning {
  /** Delay before attempt 2, 3, …; the number of attempts is its length + 1. */
  retryScheduleMs: readonly number[];
  /** One attempt: resolving, connecting, sending and reading the answer. */
  timeoutMs: number;
  /** Bytes of the receiver's answer kept with each attempt. */
  maxResponseBytes: number;
  /** Deliveries in a row that end dead before the endpoint is disabled. */
  disableAfterDeadDeliveries: number;
  /** An endpoint failing without a single success for longer than this is disabled at its next failed attempt. */
  disableAfterFailingMs: number;
  /** Endpoints one tenant may register (each event fans out to all of them). */
  maxEndpointsPerTenant: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_TUNING: WebhookTuning = {
  // Svix's schedule: 8 attempts over about 27.6 hours.
  retryScheduleMs: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
  timeoutMs: 10 * SECOND,
  maxResponseBytes: 2_048,
  disableAfterDeadDeliveries: 5,
  disableAfterFailingMs: 24 * HOUR,
  maxEndpointsPerTenant: 50,
};

/** What one attempt produced, as far as the policy cares. */
export interface AttemptResult {
  /** Null when no answer arrived (network error, timeout, refused address). */
  statusCode: number | null;
  /** The Retry-After header of the answer, if any. */
  retryAfter?: string | undefined;
  /** The address was refused by the SSRF guard; retrying cannot help. */
  refused: boolean;
}

export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  /** `disable` is set when the answer itself asks us to stop (410 Gone). */
  | { kind: 'dead'; disable?: string };

/**
 * 2xx delivers. 410 Gone ends the delivery and disables the endpoint (Standard Webhooks).
 * A refused address ends it. Everything else, 3xx and other 4xx included, is retried on the
 * schedule, as Svix does: a 404 during a deploy or a 401 during a secret rotation is
 * usually temporary, and the receiver only has to start answering 2xx to catch up.
 */
export function classifyAttempt(
  result: AttemptResult,
  attempt: number,
  tuning: WebhookTuning,
  now: Date,
): AttemptOutcome {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'dead', disable: 'the receiver answered 410 Gone' };
  if (result.refused) return { kind: 'dead' };
  const scheduled = tuning.retryScheduleMs[attempt - 1];
  if (scheduled === undefined) return { kind: 'dead' };
  // A receiver that says when to come back is believed, up to the longest step of the schedule.
  const asked = retryAfterMs(result.retryAfter, now);
  const longest = Math.max(...tuning.retryScheduleMs);
  return { kind: 'retry', delayMs: asked === undefined ? scheduled : Math.max(scheduled, Math.min(asked, longest)) };
}

/** Retry-After as seconds or an HTTP date, in ms from now. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * SECOND;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Why an endpoint that just failed should be disabled, or undefined to keep it. */
export function disableReason(
  endpoint: { consecutive_failures: number; failing_since: string | null },
  tuning: WebhookTuning,
  now: Date,
): string | undefined {
  if (endpoint.consecutive_failures >= tuning.disableAfterDeadDeliveries) {
    return `${endpoint.consecutive_failures} deliveries in a row failed after every retry`;
  }
  if (endpoint.failing_since && now.getTime() - Date.parse(endpoint.failing_since) > tuning.disableAfterFailingMs) {
    return `every attempt since ${endpoint.failing_since} failed (more than ${formatDuration(tuning.disableAfterFailingMs)})`;
  }
  return undefined;
}

function formatDuration(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${ms / SECOND} s`;
}
