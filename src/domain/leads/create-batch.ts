import { newId } from '../../lib/ids.js';
import type { DataMode } from '../actor.js';
import { AppError } from '../errors.js';
import { planLimits, type Plan } from '../tenants/index.js';
import { BATCH_PRIORITIES, type BatchItem, type BatchPriority } from './batches.records.js';
import type { BatchesPorts } from './batches.ports.js';
import { qualifyLeadSchema } from './leads.schema.js';
import { finishIfDone } from './run-batch.js';

/** Leads one job qualifies; small enough that a retried chunk redoes little. */
const CHUNK_SIZE = 25;
/** Chunks of one batch run side by side across workers. */
const EXPECTED_PARALLELISM = 4;

export interface NewBatch {
  leads: unknown[];
  webhook_url?: string;
  priority: BatchPriority;
}

/**
 * How long a client refused for a full set of concurrent batches should wait: about one chunk's
 * work, after which a running batch has moved on or finished.
 */
const BUSY_RETRY_AFTER_SECONDS = 30;

async function checkQuota(ports: BatchesPorts, tenantId: string, plan: Plan, size: number): Promise<void> {
  const limits = planLimits[plan];
  // Waiting never makes an oversized batch fit: it is a bad request, not a rate limit.
  if (size > limits.batchSize) {
    throw new AppError('VALIDATION', `leads must hold at most ${limits.batchSize} leads on the ${plan} plan`, {
      fields: [
        {
          field: 'leads',
          issue: `must hold at most ${limits.batchSize} leads on the ${plan} plan (got ${size}); split the batch`,
          type: 'too_big',
        },
      ],
      details: { limit: limits.batchSize, plan },
    });
  }
  if ((await ports.repo.countProcessing(tenantId)) >= limits.concurrentBatches) {
    throw new AppError(
      'QUOTA_EXCEEDED',
      `The ${plan} plan allows ${limits.concurrentBatches} concurrent batch(es); wait for one to finish`,
      { details: { limit: limits.concurrentBatches, plan }, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
    );
  }
}

/** One item per lead; a bad lead fails alone and is reported, the rest of the batch still runs. */
function itemsOf(batchId: string, leads: unknown[]): BatchItem[] {
  return leads.map((lead, position) => {
    const parsed = qualifyLeadSchema.safeParse(lead);
    const error = parsed.success
      ? null
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'lead'} ${i.message}`).join('; ');
    return {
      id: newId('bitem'),
      batchId,
      position,
      input: lead,
      status: error ? 'failed' : 'pending',
      leadId: null,
      score: null,
      tier: null,
      error,
    };
  });
}

export async function createBatch(
  ports: BatchesPorts,
  tenantId: string,
  mode: DataMode,
  plan: Plan,
  input: NewBatch,
): Promise<{ batchId: string; total: number; estimatedCompletionSeconds: number }> {
  await checkQuota(ports, tenantId, plan, input.leads.length);
  const batchId = newId('batch');
  const items = itemsOf(batchId, input.leads);
  await ports.repo.insertBatch(
    tenantId,
    {
      id: batchId,
      status: 'processing',
      priority: input.priority,
      total: items.length,
      processed: 0,
      failed: 0,
      webhookUrl: input.webhook_url ?? null,
      error: null,
      createdAt: ports.clock.now().toISOString(),
      completedAt: null,
      processingTimeMs: null,
      mode,
    },
    items,
  );
  const priority = BATCH_PRIORITIES[input.priority];
  for (let from = 0; from < items.length; from += CHUNK_SIZE) {
    await ports.queue.enqueue(
      'batch.process',
      { tenantId, batchId, from, to: from + CHUNK_SIZE },
      { tenantId, priority, dedupeKey: `batch:${batchId}:${from}` },
    );
  }
  if (items.every((i) => i.status === 'failed')) await finishIfDone(ports, tenantId, batchId);
  const perLeadMs = (await ports.leadsRepo.recentProcessingMs(tenantId)) ?? 5;
  return {
    batchId,
    total: items.length,
    estimatedCompletionSeconds: Math.max(1, Math.ceil((items.length * perLeadMs) / 1000 / EXPECTED_PARALLELISM)),
  };
}
