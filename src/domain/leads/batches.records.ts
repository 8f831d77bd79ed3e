import type { DataMode } from '../actor.js';

export const BATCH_PRIORITIES = { high: 10, normal: 5, low: 1 } as const;
export type BatchPriority = keyof typeof BATCH_PRIORITIES;

export interface Batch {
  id: string;
  status: string;
  priority: string;
  total: number;
  processed: number;
  failed: number;
  /** Where the batch's own completion callback goes, besides the tenant's webhook subscriptions. */
  webhookUrl: string | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  processingTimeMs: number | null;
  /** A test batch's leads are test leads, and its completion is not sent to the tenant's webhooks. */
  mode: DataMode;
}

export interface BatchItem {
  id: string;
  batchId: string;
  position: number;
  /** The lead as it was sent, checked when its chunk runs. */
  input: unknown;
  status: 'pending' | 'done' | 'failed';
  leadId: string | null;
  score: number | null;
  tier: string | null;
  error: string | null;
}

export interface BatchResult {
  position: number;
  email: string | null;
  leadId: string | null;
  score: number | null;
  tier: string | null;
}

export interface BatchStatus {
  batchId: string;
  status: string;
  priority: string;
  total: number;
  processed: number;
  failed: number;
  pending: number;
  results: BatchResult[];
  failures: { position: number; email: string | null; error: string }[];
  processingTimeMs: number | null;
  createdAt: string;
  completedAt: string | null;
}

/** A batch's end: `batch.completed`, or `batch.failed` when every lead failed; `results` holds the qualified leads. */
export interface BatchFinished {
  type: 'batch.completed' | 'batch.failed';
  batchId: string;
  status: string;
  total: number;
  processed: number;
  failed: number;
  results: BatchResult[];
  processingTimeMs: number;
  completedAt: string;
}

/** Where a batch's completion is announced besides the tenant's webhook subscriptions. */
export interface BatchCallback {
  /** Sends a signed one-off event to the batch's own `webhook_url`, durably. */
  send(tenantId: string, url: string, event: BatchFinished): Promise<void>;
}

/** The e-mail a batch item names, lower-cased, for reports. */
export function emailOf(item: BatchItem): string | null {
  const input = (item.input ?? {}) as { email?: unknown };
  return typeof input.email === 'string' ? input.email.toLowerCase() : null;
}
