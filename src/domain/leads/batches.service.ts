import type { DataMode } from '../actor.js';
import type { Plan } from '../tenants/index.js';
import { notFound } from '../errors.js';
import { emailOf, type BatchStatus } from './batches.records.js';
import type { BatchesPorts } from './batches.ports.js';
import { createBatch, type NewBatch } from './create-batch.js';
import { processChunk } from './run-batch.js';

export interface BatchesService {
  create(
    tenantId: string,
    mode: DataMode,
    plan: Plan,
    input: NewBatch,
  ): Promise<{ batchId: string; total: number; estimatedCompletionSeconds: number }>;
  status(tenantId: string, batchId: string): Promise<BatchStatus>;
  /** The job step: qualifies the pending leads of one chunk, then finishes the batch if nothing is left. */
  processChunk(tenantId: string, batchId: string, from: number, to: number): Promise<void>;
}

async function batchStatus(ports: BatchesPorts, tenantId: string, batchId: string): Promise<BatchStatus> {
  const batch = await ports.repo.findById(tenantId, batchId);
  if (!batch) throw notFound('batch', batchId);
  const items = await ports.repo.listItems(tenantId, batchId);
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
      leadId: i.leadId,
      score: i.score,
      tier: i.tier,
    })),
    failures: failed.map((i) => ({ position: i.position, email: emailOf(i), error: i.error ?? 'failed' })),
    processingTimeMs: batch.processingTimeMs,
    createdAt: batch.createdAt,
    completedAt: batch.completedAt,
  };
}

export function createBatchesService(ports: BatchesPorts): BatchesService {
  return {
    create: (tenantId, mode, plan, input) => createBatch(ports, tenantId, mode, plan, input),
    status: (tenantId, batchId) => batchStatus(ports, tenantId, batchId),
    processChunk: (tenantId, batchId, from, to) => processChunk(ports, tenantId, batchId, from, to),
  };
}
