import type { Tx } from './transaction.js';

/** Where domain events go: the outbound webhooks service in production, a recorder in tests. */
export interface EventSink {
  /** Delivers `event` with `data` to the tenant's subscribers; resolves once it is durably recorded. */
  emit(tenantId: string, event: string, data: Record<string, unknown>): Promise<void>;
  /** Records `event` inside the caller's transaction (an outbox); the returned dispatch runs once that committed. */
  emitIn(tx: Tx, tenantId: string, event: string, data: Record<string, unknown>): Promise<() => Promise<void>>;
}
