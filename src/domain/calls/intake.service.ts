import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { toJson } from '../../store/json.js';
import { AppError } from '../errors.js';
import type { SourceType } from './calls.schema.js';
import * as repo from './requests.repo.js';
import { createIntakeWriter } from './intake-writer.js';
import type { IntakeRelay } from './intake-relay.js';
import { createPromiseCache } from '../../lib/promise-cache.js';

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
export const ESTIMATE_TTL_MS = 5_000;
const MAX_CACHED_ESTIMATES = 10_000;

export function createIntakeService(deps: { db: Db; clock: Clock; relay: Pick<IntakeRelay, 'wake'> }): IntakeService {
  // A burst of webhooks for a tenant shares one query.
  const medians = createPromiseCache<number>({
    ttlMs: ESTIMATE_TTL_MS,
    maxEntries: MAX_CACHED_ESTIMATES,
    now: () => deps.clock.now().getTime(),
  });

  const medianMs = (tenantId: string): Promise<number> =>
    medians.get(tenantId, () =>
      repo.recentProcessingTimes(deps.db, tenantId, ESTIMATE_SAMPLE).then((times) => {
        times.sort((a, b) => a - b);
        return times.length ? times[Math.floor(times.length / 2)]! : DEFAULT_ESTIMATE_MS;
      }),
    ).value;

  const estimate = async (tenantId: string): Promise<string> => {
    const now = deps.clock.now().getTime();
    return new Date(now + (await medianMs(tenantId))).toISOString();
  };

  const answerDuplicate = async (
    tenantId: string,
    event: IntakeEvent & { dedupeKey: string },
  ): Promise<IntakeResult | undefined> => {
    const existing = await repo.findByDedupeKey(deps.db, tenantId, event.dedupeKey);
    if (!existing) return undefined;
    // As payment APIs do: a client's key stands for one body. Reused with another, the second lead
    // would be silently lost behind the first answer, so it is refused instead.
    if (
      event.dedupeKey.startsWith(IDEMPOTENCY_PREFIX) &&
      !samePayload(existing.original_payload, event.originalPayload)
    ) {
      const key = event.dedupeKey.slice(IDEMPOTENCY_PREFIX.length);
      throw new AppError(
        'CONFLICT',
        `Idempotency-Key '${key}' was already used for request ${existing.id} with a different body; send a new key for a new lead`,
        {
          details: { idempotency_key: key, request_id: existing.id },
        },
      );
    }
    return { requestId: existing.id, duplicate: true, estimatedCompletion: await estimate(tenantId) };
  };

  const writer = createIntakeWriter({ db: deps.db, onStored: () => deps.relay.wake() });

  return {
    async accept(tenantId, event) {
      const now = deps.clock.now();
      const at = now.toISOString();
      const requestId = newId('req');
      const ackMs = Math.max(0, Date.now() - event.receivedAt);
      // The request is durable before the 200. A taken dedupe key writes nothing, so a duplicate
      // costs no lookup unless it is one.
      const inserted = await writer.write(tenantId, {
        id: requestId,
        source_type: event.source,
        external_id: event.externalId,
        dedupe_key: event.dedupeKey,
        status: 'pending',
        original_payload: event.originalPayload,
        call_data: toJson(event.callData),
        enriched_data: toJson({}),
        ack_ms: ackMs,
        created_at: at,
        updated_at: at,
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
