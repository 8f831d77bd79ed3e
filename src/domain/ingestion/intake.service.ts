import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { toJson } from '../../store/json.js';
import { INGESTION_STEPS, type SourceType } from './ingestion.schema.js';
import * as repo from './pipeline.repo.js';
import type { IngestionPipeline } from './pipeline.js';

export interface IntakeEvent {
  source: SourceType;
  /** The CallRail call id or the form's own id. */
  externalId: string | null;
  /** Same key, same tenant: the first request is answered and nothing runs twice. */
  dedupeKey: string | null;
  originalPayload: unknown;
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
  /** Stores the event with its steps and queues the first one; resolves only once both are durable. */
  accept(tenantId: string, event: IntakeEvent): Promise<IntakeResult>;
}

/** Without history, a call is expected to take this long (download, transcription and analysis). */
const DEFAULT_ESTIMATE_MS = 60_000;
/** The estimate is the median of this many recent completed requests. */
const ESTIMATE_SAMPLE = 50;

export function createIntakeService(deps: { db: Db; clock: Clock; pipeline: IngestionPipeline }): IntakeService {
  const estimate = async (tenantId: string): Promise<string> => {
    const times = (await repo.recentProcessingTimes(deps.db, tenantId, ESTIMATE_SAMPLE)).sort((a, b) => a - b);
    const median = times.length ? times[Math.floor(times.length / 2)]! : DEFAULT_ESTIMATE_MS;
    return new Date(deps.clock.now().getTime() + median).toISOString();
  };

  return {
    async accept(tenantId, event) {
      if (event.dedupeKey) {
        const existing = await repo.findByDedupeKey(deps.db, tenantId, event.dedupeKey);
        if (existing) {
          // The first delivery may have been stored by a process that died before queueing it (the sender saw no 200).
          if (existing.status === 'pending') await deps.pipeline.start(tenantId, existing.id);
          return { requestId: existing.id, duplicate: true, estimatedCompletion: await estimate(tenantId) };
        }
      }
      const now = deps.clock.now();
      const at = now.toISOString();
      const requestId = newId('req');
      const ackMs = Math.max(0, Date.now() - event.receivedAt);
      const steps = INGESTION_STEPS.map((step, position) => ({
        id: newId('step'),
        request_id: requestId,
        step,
        position,
        status: step === 'webhook_received' ? 'completed' : 'pending',
        started_at: step === 'webhook_received' ? new Date(event.receivedAt).toISOString() : null,
        duration_ms: step === 'webhook_received' ? ackMs : null,
        attempts: step === 'webhook_received' ? 1 : 0,
        reason: null,
        error: null,
        cost_usd: 0,
        output: null,
        updated_at: at,
      }));
      const inserted = await repo.insertRequest(
        deps.db,
        tenantId,
        {
          id: requestId,
          source_type: event.source,
          external_id: event.externalId,
          dedupe_key: event.dedupeKey,
          status: 'pending',
          original_payload: toJson(event.originalPayload),
          call_data: toJson(event.callData),
          enriched_data: toJson({}),
          ai_analysis: null,
          lead_id: null,
          lead_score: null,
          project_type: null,
          error_message: null,
          retry_scheduled: 0,
          retry_at: null,
          generation: 0,
          cost_usd: 0,
          ack_ms: ackMs,
          processing_time_ms: null,
          created_at: at,
          updated_at: at,
          processed_at: null,
        },
        steps,
      );
      if (!inserted) {
        // A concurrent delivery of the same event won the insert: answer with its request.
        const winner = event.dedupeKey ? await repo.findByDedupeKey(deps.db, tenantId, event.dedupeKey) : undefined;
        if (winner) return { requestId: winner.id, duplicate: true, estimatedCompletion: await estimate(tenantId) };
      }
      await deps.pipeline.start(tenantId, requestId);
      return { requestId, duplicate: false, estimatedCompletion: await estimate(tenantId) };
    },
  };
}
