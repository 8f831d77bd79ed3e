import type { Clock } from '../../lib/clock.js';
import { notFound } from '../errors.js';
import type { Conversation, ConversationQa } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';

/** What a review changes: lists are replaced, `null` clears the outcome or the notes, absent fields stay. */
export type QaChange = Partial<Omit<ConversationQa, 'reviewedAt'>>;

export interface ConversationReviewService {
  /** Records a reviewer's flags, tags, outcome and notes on a conversation of the tenant. */
  review(tenantId: string, conversationId: string, change: QaChange): Promise<Conversation>;
}

export function createConversationReviewService(deps: {
  store: ConversationStore;
  clock: Clock;
}): ConversationReviewService {
  const find = async (tenantId: string, id: string) => {
    const conversation = await deps.store.conversations.findById(tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };
  return {
    async review(tenantId, conversationId, change) {
      const current = await find(tenantId, conversationId);
      const at = deps.clock.now().toISOString();
      const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      const qa: ConversationQa = { ...current.qa, ...defined, reviewedAt: at };
      // The review is not the conversation's activity: updated_at and the live feed are left alone.
      await deps.store.conversations.update(tenantId, conversationId, { qa });
      return find(tenantId, conversationId);
    },
  };
}
