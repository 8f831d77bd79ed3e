import type { Clock } from '../../lib/clock.js';
import type { DataMode } from '../actor.js';
import { newId } from '../../lib/ids.js';
import { createPromiseCache } from '../../lib/promise-cache.js';
import { AppError } from '../errors.js';
import type { CallsStore } from './calls.repo.js';
import type { SourceType } from './calls.schema.js';
import type { IntakeRelay } from './intake-relay.js';
import { createIntakeWriter } from './intake-writer.js';
import type { CallRequest } from './records.js';

export interface IntakeEvent {
  source: SourceType;
  /** The CallRail call id or the form's own id. */
  externalId: string | null;
  /** Same key, same tenant: the first request is answered and nothing runs twice. */
  dedupeKey: string | null;
  /** The body as received, JSON text: stored as it came, without parsing and serialising it again. */
  originalPayload: string;
  callData: Record<string, unknown>;
  /** When the request arrived, so the stored acknowledgement time includes validation and signature checks. */
  receivedAt: number;
  mode: DataMode;
}

export interface IntakeResult {
  requestId: string;
  duplicate: boolean;
  estimatedCompletion: string;
}

export interface IntakeService {
  /** Stores the event; resolves once it is durable. The relay queues its first step after that. */
  accept(tenantId: string, event: IntakeEvent): Promise<IntakeResult>;
}

/** How the intake's dedupe key marks a client's Idempotency-Key (CallRail calls are keyed by their call id). */
export const IDEMPOTENCY_PREFIX = 'key:';

/** The same body, whatever its JSON key order or spacing. */
function samePayload(stored: string, received: string): boolean {
  if (stored === received) return true;
  try {
    return canonicalJson(JSON.parse(stored)) === canonicalJson(JSON.parse(received));
  } catch {
    return false;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Without history, a call is expected to take this long (download, transcription and analysis). */
const DEFAULT_ESTIMATE_MS = 60_000;
/** The estimate is the median of this many recent completed requests. */
const ESTIMATE_SAMPLE = 50;
/** How long a tenant's median is reused: it moves slowly, and reading it costs a sorted query per webhook. */
const ESTIMATE_TTL_MS = 5_000;
const MAX_CACHED_ESTIMATES = 10_000;

export interface IntakePorts {
  store: Pick<CallsStore, 'requests' | 'transaction'>;
  clock: Clock;
  relay: Pick<IntakeRelay, 'wake'>;
}

/** When a new request is expected done: now plus the median of the tenant's recent processing times. */
function createEstimator(ports: IntakePorts): (tenantId: string) => Promise<string> {
  // A burst of webhooks for a tenant shares one query.
  const medians = createPromiseCache<number>({
    ttlMs: ESTIMATE_TTL_MS,
    maxEntries: MAX_CACHED_ESTIMATES,
    now: () => ports.clock.now().getTime(),
  });
  const medianMs = (tenantId: string): Promise<number> =>
    medians.get(tenantId, () =>
      ports.store.requests.recentProcessingTimes(tenantId, ESTIMATE_SAMPLE).then((times) => {
        times.sort((a, b) => a - b);
        return times.length ? times[Math.floor(times.length / 2)]! : DEFAULT_ESTIMATE_MS;
      }),
    ).value;
  return async (tenantId) => {
    const now = ports.clock.now().getTime();
    return new Date(now + (await medianMs(tenantId))).toISOString();
  };
}

/**
 * As payment APIs do: a client's key stands for one body. Reused with another, the second lead
 * would be silently lost behind the first answer, so it is refused instead.
 */
function refuseReusedKey(existing: CallRequest, event: IntakeEvent & { dedupeKey: string }): void {
  if (!event.dedupeKey.startsWith(IDEMPOTENCY_PREFIX) || samePayload(existing.originalPayload, event.originalPayload))
    return;
  const key = event.dedupeKey.slice(IDEMPOTENCY_PREFIX.length);
  throw new AppError(
    'CONFLICT',
    `Idempotency-Key '${key}' was already used for request ${existing.id} with a different body; send a new key for a new lead`,
    { details: { idempotency_key: key, request_id: existing.id } },
  );
}

export function createIntakeService(ports: IntakePorts): IntakeService {
  const estimate = createEstimator(ports);
  const writer = createIntakeWriter({ store: ports.store, onStored: () => ports.relay.wake() });

  const answerDuplicate = async (
    tenantId: string,
    event: IntakeEvent & { dedupeKey: string },
  ): Promise<IntakeResult | undefined> => {
    const existing = await ports.store.requests.findByDedupeKey(tenantId, event.mode, event.dedupeKey);
    if (!existing) return undefined;
    refuseReusedKey(existing, event);
    return { requestId: existing.id, duplicate: true, estimatedCompletion: await estimate(tenantId) };
  };

  return {
    async accept(tenantId, event) {
      const requestId = newId('req');
      // The request is durable before the 200. A taken dedupe key writes nothing, so a duplicate
      // costs no lookup unless it is one.
      const inserted = await writer.write(tenantId, {
        id: requestId,
        source: event.source,
        externalId: event.externalId,
        dedupeKey: event.dedupeKey,
        originalPayload: event.originalPayload,
        callData: event.callData,
        ackMs: Math.max(0, Date.now() - event.receivedAt),
        createdAt: ports.clock.now().toISOString(),
        mode: event.mode,
      });
      if (!inserted && event.dedupeKey) {
        const duplicate = await answerDuplicate(tenantId, { ...event, dedupeKey: event.dedupeKey });
        if (duplicate) return duplicate;
      }
      if (!inserted) throw new Error(`request ${requestId} was not stored`);
      return { requestId, duplicate: false, estimatedCompletion: await estimate(tenantId) };
    },
  };
}
