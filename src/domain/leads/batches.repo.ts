import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { BatchItemsTable, BatchesTable } from '../../store/tables.js';
import type { Batch, BatchItem } from './batches.records.js';

export type BatchItemPatch = Partial<Pick<BatchItem, 'status' | 'leadId' | 'score' | 'tier' | 'error'>>;
export type BatchFinish = Pick<Batch, 'status' | 'processed' | 'failed' | 'completedAt' | 'processingTimeMs' | 'error'>;

export interface BatchesRepo {
  insertBatch(tenantId: string, batch: Batch, items: BatchItem[]): Promise<void>;
  findById(tenantId: string, id: string): Promise<Batch | undefined>;
  countProcessing(tenantId: string): Promise<number>;
  /** The pending items at positions `from` (inclusive) to `to` (exclusive). */
  pendingItems(tenantId: string, batchId: string, from: number, to: number): Promise<BatchItem[]>;
  updateItem(tenantId: string, id: string, patch: BatchItemPatch): Promise<void>;
  listItems(tenantId: string, batchId: string): Promise<BatchItem[]>;
  /** Items per status. */
  itemCounts(tenantId: string, batchId: string): Promise<Record<string, number>>;
  /** Moves a batch out of `processing` once; false when another worker already finished it. */
  finish(tenantId: string, id: string, patch: BatchFinish): Promise<boolean>;
}

function toBatch(r: BatchesTable): Batch {
  return {
    id: r.id,
    status: r.status,
    priority: r.priority,
    total: r.total,
    processed: r.processed,
    failed: r.failed,
    webhookUrl: r.webhook_url,
    error: r.error,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    processingTimeMs: r.processing_time_ms,
    mode: r.livemode === undefined || Boolean(r.livemode) ? 'live' : 'test',
  };
}

function toItem(r: BatchItemsTable): BatchItem {
  return {
    id: r.id,
    batchId: r.batch_id,
    position: r.position,
    input: fromJson<unknown>(r.input, {}),
    status: r.status as BatchItem['status'],
    leadId: r.lead_id,
    score: r.score,
    tier: r.tier,
    error: r.error,
  };
}

function itemColumns(p: BatchItemPatch): Partial<BatchItemsTable> {
  return {
    ...(p.status !== undefined ? { status: p.status } : {}),
    ...(p.leadId !== undefined ? { lead_id: p.leadId } : {}),
    ...(p.score !== undefined ? { score: p.score } : {}),
    ...(p.tier !== undefined ? { tier: p.tier } : {}),
    ...(p.error !== undefined ? { error: p.error } : {}),
  };
}

export function createBatchesRepo(db: Db): BatchesRepo {
  const items = (tenantId: string, batchId: string) =>
    db.selectFrom('batch_items').selectAll().where('tenant_id', '=', tenantId).where('batch_id', '=', batchId);

  return {
    insertBatch: (tenantId, b, batchItems) => insertBatch(db, tenantId, b, batchItems),

    async findById(tenantId, id) {
      const row = await db
        .selectFrom('batches')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toBatch(row);
    },

    async countProcessing(tenantId) {
      const row = await db
        .selectFrom('batches')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'processing')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async pendingItems(tenantId, batchId, from, to) {
      const rows = await items(tenantId, batchId)
        .where('status', '=', 'pending')
        .where('position', '>=', from)
        .where('position', '<', to)
        .orderBy('position')
        .execute();
      return rows.map(toItem);
    },

    async updateItem(tenantId, id, patch) {
      await db
        .updateTable('batch_items')
        .set(itemColumns(patch))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async listItems(tenantId, batchId) {
      return (await items(tenantId, batchId).orderBy('position').execute()).map(toItem);
    },

    async itemCounts(tenantId, batchId) {
      const rows = await db
        .selectFrom('batch_items')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('batch_id', '=', batchId)
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    finish: (tenantId, id, p) => finishBatch(db, tenantId, id, p),
  };
}

async function insertBatch(db: Db, tenantId: string, b: Batch, batchItems: BatchItem[]): Promise<void> {
  await db
    .insertInto('batches')
    .values({
      id: b.id,
      tenant_id: tenantId,
      status: b.status,
      priority: b.priority,
      total: b.total,
      processed: b.processed,
      failed: b.failed,
      webhook_url: b.webhookUrl,
      error: b.error,
      created_at: b.createdAt,
      completed_at: b.completedAt,
      processing_time_ms: b.processingTimeMs,
      livemode: b.mode === 'live' ? 1 : 0,
    })
    .execute();
  const rows = batchItems.map((it) => ({
    id: it.id,
    tenant_id: tenantId,
    batch_id: it.batchId,
    position: it.position,
    input: toJson(it.input),
    status: it.status,
    lead_id: it.leadId,
    score: it.score,
    tier: it.tier,
    error: it.error,
  }));
  // Chunked: SQLite limits bound parameters per statement.
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('batch_items')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

async function finishBatch(db: Db, tenantId: string, id: string, p: BatchFinish): Promise<boolean> {
  const result = await db
    .updateTable('batches')
    .set({
      status: p.status,
      processed: p.processed,
      failed: p.failed,
      completed_at: p.completedAt,
      processing_time_ms: p.processingTimeMs,
      error: p.error,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
