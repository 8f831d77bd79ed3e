import type { Tx } from './transaction.js';

/** What a concept announces: a neutral record named by `type`; a surface's view shapes it for the wire. */
export interface DomainEvent {
  type: string;
}

/** Where domain events go: the outbound webhooks in production, a recorder in tests. */
export interface EventSink<E extends DomainEvent = DomainEvent> {
  /** Delivers `event` to the tenant's subscribers; resolves once it is durably recorded. */
  emit(tenantId: string, event: E): Promise<void>;
  /** Records `event` inside the caller's transaction (an outbox); the returned dispatch runs once that committed. */
  emitIn(tx: Tx, tenantId: string, event: E): Promise<() => Promise<void>>;
}
