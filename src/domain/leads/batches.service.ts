import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import { AppError, notFound } from '../errors.js';
import type { EventSink } from '../events.js';
import { planLimits, type Plan } from '../tenants/index.js';
import * as repo from './batches.repo.js';
import { qualifyLeadSchema } from './leads.schema.js';
import type { LeadsService } from './leads.service.js';

export const BATCH_PRIORITIES = { high: 10, normal: 5, low: 1 } as const;
export type BatchPriority = keyof typeof BATCH_PRIORITIES;

/** Leads one job qualifies; small enough that a retried chunk redoes little. */
export const CHUNK_SIZE = 25;
/** Chunks of one batch run side by side across workers. */
const EXPECTED_PARALLELISM = 4;

export interface BatchStatus {
  batchId: string;
  status: string;
  priority: string;
  total: number;
  processed: number;
  failed: number;
  pending: number;
  results: {
    position: number;
    email: string | null;
    lead_id: string | null;
    score: number | null;
    tier: string | null;
  }[];
  failures: { position: number; email: string | null; error: string }[];
  processingTimeMs: number | null;
  createdAt: string;
  completedAt: string | null;
}

/** Where a batch's completion is announced besides the tenant's webhook subscriptions. */
export interface BatchCallback {
  /** Sends a signed one-off event to the batch's own `webhook_url`, durably. */
  send(tenantId: string, url: string, event: string, data: Record<string, unknown>): Promise<void>;
}

export interface BatchesService {
  create(
    tenantId: string,
    plan: Plan,
    input: { leads: unknown[]; webhook_url?: string; priority: BatchPriority },
  ): Promise<{ batchId: string; total: number; estimatedCompletionSeconds: number }>;
  status(tenantId: string, batchId: string): Promise<BatchStatus>;
  /** The job step: qualifies the pending leads of one chunk, then finishes the batch if nothing is left. */
  processChunk(tenantId: string, batchId: string, from: number, to: number): Promise<void>;
}

export function createBatchesService(deps: {
  db: Db;
  clock: Clock;
  queue: Queue;
  leads: LeadsService;
  events: EventSink;
  callback: BatchCallback;
}): BatchesService {
  const finishIfDone = async (tenantId: string, batchId: string): Promise<void> => {
    const counts = await repo.itemCounts(deps.db, tenantId, batchId);
    if ((counts.pending ?? 0) > 0) return;
    const batch = await repo.findById(deps.db, tenantId, batchId);
    if (!batch || batch.status !== 'processing') return;
    const processed = counts.done ?? 0;
    const failed = counts.failed ?? 0;
    const now = deps.clock.now();
    const status = processed === 0 && failed > 0 ? 'failed' : 'completed';
    const processingTimeMs = now.getTime() - new Date(batch.created_at).getTime();
    const error = status === 'failed' ? 'Every lead in the batch failed' : null;
    if (
      !(await repo.finish(deps.db, tenantId, batchId, {
        status,
        processed,
        failed,
        completed_at: now.toISOString(),
        processing_time_ms: processingTimeMs,
        error,
      }))
    )
      return;
    const items = await repo.listItems(deps.db, tenantId, batchId);
    const data = {
      batch_id: batchId,
      status,
      total_leads: batch.total,
      processed,
      failed,
      results: items
        .filter((i) => i.status === 'done')
        .map((i) => ({ email: emailOf(i), lead_id: i.lead_id, score: i.score, tier: i.tier })),
      processing_time_ms: processingTimeMs,
      completed_at: now.toISOString(),
    };
    const event = status === 'completed' ? 'batch.completed' : 'batch.failed';
    await deps.events.emit(tenantId, event, data);
    if (batch.webhook_url) await deps.callback.send(tenantId, batch.webhook_url, event, data);
  };

  return {
    async create(tenantId, plan, input) {
      const limits = planLimits[plan];
      if (input.leads.length > limits.batchSize) {
        throw new AppError(
          'QUOTA_EXCEEDED',
          `Batch of ${input.leads.length} leads exceeds the ${plan} plan's limit of ${limits.batchSize}`,
          { details: { limit: limits.batchSize, plan } },
        );
      }
      if ((await repo.countProcessing(deps.db, tenantId)) >= limits.concurrentBatches) {
        throw new AppError(
          'QUOTA_EXCEEDED',
          `The ${plan} plan allows ${limits.concurrentBatches} concurrent batch(es); wait for one to finish`,
          { details: { limit: limits.concurrentBatches, plan } },
        );
      }
      const batchId = newId('batch');
      const now = deps.clock.now().toISOString();
      const items = input.leads.map((lead, position) => {
        // A bad lead fails alone and is reported; the rest of the batch still runs.
        const parsed = qualifyLeadSchema.safeParse(lead);
        const error = parsed.success
          ? null
          : parsed.error.issues.map((i) => `${i.path.join('.') || 'lead'} ${i.message}`).join('; ');
        return {
          id: newId('bitem'),
          batch_id: batchId,
          position,
          input: toJson(lead),
          status: error ? 'failed' : 'pending',
          lead_id: null,
          score: null,
          tier: null,
          error,
        };
      });
      await repo.insertBatch(
        deps.db,
        tenantId,
        {
          id: batchId,
          status: 'processing',
          priority: input.priority,
          total: items.length,
          processed: 0,
          failed: 0,
          webhook_url: input.webhook_url ?? null,
          error: null,
          created_at: now,
          completed_at: null,
          processing_time_ms: null,
        },
        items,
      );
      const priority = BATCH_PRIORITIES[input.priority];
      for (let from = 0; from < items.length; from += CHUNK_SIZE) {
        await deps.queue.enqueue(
          'batch.process',
          { tenantId, batchId, from, to: from + CHUNK_SIZE },
          { tenantId, priority, dedupeKey: `batch:${batchId}:${from}` },
        );
      }
      if (items.every((i) => i.status === 'failed')) await finishIfDone(tenantId, batchId);
      const perLeadMs = (await repo.recentProcessingMs(deps.db, tenantId)) ?? 5;
      return {
        batchId,
        total: items.length,
        estimatedCompletionSeconds: Math.max(1, Math.ceil((items.length * perLeadMs) / 1000 / EXPECTED_PARALLELISM)),
      };
    },

    async status(tenantId, batchId) {
      const batch = await repo.findById(deps.db, tenantId, batchId);
      if (!batch) throw notFound('batch', batchId);
      const items = await repo.listItems(deps.db, tenantId, batchId);
      const done = items.filter((i) => i.status === 'done');
      const failed = items.filter((i) => i.status === 'failed');
      return {
        batchId,
        status: batch.status,
        priority: batch.priority,
        total: batch.total,
        processed: done.length,
        failed: failed.length,
        pending: items.length - done.length - failed.length,
        results: done.map((i) => ({
          position: i.position,
          email: emailOf(i),
          lead_id: i.lead_id,
          score: i.score,
          tier: i.tier,
        })),
        failures: failed.map((i) => ({ position: i.position, email: emailOf(i), error: i.error ?? 'failed' })),
        processingTimeMs: batch.processing_time_ms,
        createdAt: batch.created_at,
        completedAt: batch.completed_at,
      };
    },

    async processChunk(tenantId, batchId, from, to) {
      for (const item of await repo.pendingItems(deps.db, tenantId, batchId, from, to)) {
        const parsed = qualifyLeadSchema.safeParse(fromJson(item.input, {}));
        if (!parsed.success) {
          await repo.updateItem(deps.db, tenantId, item.id, { status: 'failed', error: parsed.error.message });
          continue;
        }
        try {
          const q = await deps.leads.qualify(tenantId, { ...parsed.data, source: parsed.data.source ?? 'csv' });
          await repo.updateItem(deps.db, tenantId, item.id, {
            status: 'done',
            lead_id: q.leadId,
            score: q.analysis.score,
            tier: q.analysis.tier,
          });
        } catch (err) {
          await repo.updateItem(deps.db, tenantId, item.id, {
            status: 'failed',
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
      await finishIfDone(tenantId, batchId);
    },
  };
}

function emailOf(item: repo.BatchItemRow): string | null {
  const input = fromJson<{ email?: unknown }>(item.input, {});
  return typeof input.email === 'string' ? input.email.toLowerCase() : null;
}
