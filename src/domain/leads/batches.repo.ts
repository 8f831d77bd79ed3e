import type { Db } from '../../store/db.js';
import type { BatchItemsTable, BatchesTable } from '../../store/tables.js';

export type BatchRow = BatchesTable;
export type BatchItemRow = BatchItemsTable;

export async function insertBatch(
  db: Db,
  tenantId: string,
  row: Omit<BatchRow, 'tenant_id'>,
  items: Omit<BatchItemRow, 'tenant_id'>[],
): Promise<void> {
  await db
    .insertInto('batches')
    .values({ ...row, tenant_id: tenantId })
    .execute();
  // Chunked: SQLite limits bound parameters per statement.
  for (let i = 0; i < items.length; i += 200) {
    await db
      .insertInto('batch_items')
      .values(items.slice(i, i + 200).map((it) => ({ ...it, tenant_id: tenantId })))
      .execute();
  }
}

export async function findById(db: Db, tenantId: string, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function countProcessing(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('batches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'processing')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function pendingItems(
  db: Db,
  tenantId: string,
  batchId: string,
  from: number,
  to: number,
): Promise<BatchItemRow[]> {
  return db
    .selectFrom('batch_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('batch_id', '=', batchId)
    .where('status', '=', 'pending')
    .where('position', '>=', from)
    .where('position', '<', to)
    .orderBy('position')
    .execute();
}

export async function updateItem(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Pick<BatchItemRow, 'status' | 'lead_id' | 'score' | 'tier' | 'error'>>,
): Promise<void> {
  await db.updateTable('batch_items').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

export async function listItems(db: Db, tenantId: string, batchId: string): Promise<BatchItemRow[]> {
  return db
    .selectFrom('batch_items')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('batch_id', '=', batchId)
    .orderBy('position')
    .execute();
}

export async function itemCounts(db: Db, tenantId: string, batchId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('batch_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('batch_id', '=', batchId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Moves a batch out of `processing` once; false when another worker already finished it. */
export async function finish(
  db: Db,
  tenantId: string,
  id: string,
  patch: Pick<BatchRow, 'status' | 'processed' | 'failed' | 'completed_at' | 'processing_time_ms' | 'error'>,
): Promise<boolean> {
  const result = await db
    .updateTable('batches')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function recentProcessingMs(db: Db, tenantId: string): Promise<number | null> {
  const rows = await db
    .selectFrom('leads')
    .select('processing_time_ms')
    .where('tenant_id', '=', tenantId)
    .where('processing_time_ms', 'is not', null)
    .orderBy('qualified_at', 'desc')
    .limit(100)
    .execute();
  if (rows.length === 0) return null;
  return rows.reduce((a, r) => a + (r.processing_time_ms ?? 0), 0) / rows.length;
}
