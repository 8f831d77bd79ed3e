import type { GenericOutcome, ReceivedBatch } from '../../domain/inbound/index.js';

/* ---- Channel webhooks (spec D /webhooks/*) ---- */

/** Spec D's answer to a platform webhook: what was received, what was a duplicate, how long it took. */
export function receivedView(batch: ReceivedBatch, receivedAt: number) {
  const first = batch.results[0];
  return {
    status: 'received',
    message_id: first?.messageId ?? null,
    conversation_id: first?.conversationId ?? null,
    processing_time_ms: Math.max(0, Date.now() - receivedAt),
    messages_received: batch.results.filter((r) => !r.duplicate).length,
    duplicates: batch.results.filter((r) => r.duplicate).length,
    statuses_applied: batch.statusesApplied,
  };
}

/** Spec D's answer to a custom integration's event. */
export function genericView(outcome: GenericOutcome) {
  return {
    status: 'processed',
    event_id: outcome.eventId,
    event_type: outcome.eventType,
    actions_taken: outcome.actions,
    affected_conversations: outcome.affectedConversations,
    ...(outcome.contactId !== undefined ? { contact_id: outcome.contactId } : {}),
    ...(outcome.messageId !== undefined ? { message_id: outcome.messageId } : {}),
    ...(outcome.conversationId !== undefined ? { conversation_id: outcome.conversationId } : {}),
  };
}
