import type { Batch, BatchFinished } from './batches.records.js';
import { emailOf } from './batches.records.js';
import type { BatchesPorts } from './batches.ports.js';
import { qualifyLeadSchema } from './leads.schema.js';

/** Announces the batch's end to the tenant's subscribers and to the batch's own callback URL. */
async function announceCompletion(
  ports: BatchesPorts,
  tenantId: string,
  batch: Batch,
  done: Pick<Batch, 'status' | 'processed' | 'failed'> & { completedAt: string; processingTimeMs: number },
): Promise<void> {
  const items = await ports.repo.listItems(tenantId, batch.id);
  const event: BatchFinished = {
    type: done.status === 'completed' ? 'batch.completed' : 'batch.failed',
    batchId: batch.id,
    status: done.status,
    total: batch.total,
    processed: done.processed,
    failed: done.failed,
    results: items
      .filter((i) => i.status === 'done')
      .map((i) => ({ position: i.position, email: emailOf(i), leadId: i.leadId, score: i.score, tier: i.tier })),
    processingTimeMs: done.processingTimeMs,
    completedAt: done.completedAt,
  };
  // The caller's own callback still hears of a test batch; the tenant's subscriptions hear only live ones.
  if (batch.mode === 'live') await ports.events.emit(tenantId, event);
  if (batch.webhookUrl) await ports.callback.send(tenantId, batch.webhookUrl, event);
}

/** Closes the batch once no item is pending, and announces it; a batch another worker closed is left alone. */
export async function finishIfDone(ports: BatchesPorts, tenantId: string, batchId: string): Promise<void> {
  const counts = await ports.repo.itemCounts(tenantId, batchId);
  if ((counts.pending ?? 0) > 0) return;
  const batch = await ports.repo.findById(tenantId, batchId);
  if (!batch || batch.status !== 'processing') return;
  const processed = counts.done ?? 0;
  const failed = counts.failed ?? 0;
  const now = ports.clock.now();
  const status = processed === 0 && failed > 0 ? 'failed' : 'completed';
  const done = {
    status,
    processed,
    failed,
    completedAt: now.toISOString(),
    processingTimeMs: now.getTime() - new Date(batch.createdAt).getTime(),
    error: status === 'failed' ? 'Every lead in the batch failed' : null,
  };
  if (await ports.repo.finish(tenantId, batchId, done)) await announceCompletion(ports, tenantId, batch, done);
}

/** The job step: qualifies the pending leads of one chunk, then finishes the batch if nothing is left. */
export async function processChunk(
  ports: BatchesPorts,
  tenantId: string,
  batchId: string,
  from: number,
  to: number,
): Promise<void> {
  const batch = await ports.repo.findById(tenantId, batchId);
  if (!batch) return;
  for (const item of await ports.repo.pendingItems(tenantId, batchId, from, to)) {
    const parsed = qualifyLeadSchema.safeParse(item.input);
    if (!parsed.success) {
      await ports.repo.updateItem(tenantId, item.id, { status: 'failed', error: parsed.error.message });
      continue;
    }
    try {
      const q = await ports.leads.qualify(tenantId, batch.mode, {
        ...parsed.data,
        source: parsed.data.source ?? 'csv',
      });
      await ports.repo.updateItem(tenantId, item.id, {
        status: 'done',
        leadId: q.leadId,
        score: q.analysis.score,
        tier: q.analysis.tier,
      });
    } catch (err) {
      await ports.repo.updateItem(tenantId, item.id, {
        status: 'failed',
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  await finishIfDone(ports, tenantId, batchId);
}
