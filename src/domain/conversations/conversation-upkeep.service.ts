import type { Tx } from '../transaction.js';
import type { ConversationStore } from './conversation-store.repo.js';
import { createConversationsRepo } from './conversations.repo.js';

/** What other concepts change on conversations and messages, through the conversation core (their one writer). */
export interface ConversationUpkeepService {
  /** Moves every conversation of `fromContactId` to `toContactId` in the caller's transaction (two contacts found to be one person). */
  reassignContactIn(tx: Tx, tenantId: string, fromContactId: string, toContactId: string): Promise<void>;
  /** Replaces a conversation's integration context (what generic webhooks and platforms told us about it). */
  setContext(tenantId: string, conversationId: string, context: Record<string, unknown>, at: string): Promise<void>;
  /** Records what became of an outbound message on its platform. */
  setMessageStatus(
    tenantId: string,
    messageId: string,
    patch: { status: string; error?: string | null; externalId?: string | null },
  ): Promise<void>;
}

export function createConversationUpkeepService(deps: { store: ConversationStore }): ConversationUpkeepService {
  const { store } = deps;
  return {
    reassignContactIn: (tx, tenantId, from, to) => createConversationsRepo(tx).reassignContact(tenantId, from, to),
    setContext: (tenantId, conversationId, context, at) =>
      store.conversations.update(tenantId, conversationId, { context, updatedAt: at }),
    setMessageStatus: (tenantId, messageId, patch) => store.messages.setStatus(tenantId, messageId, patch),
  };
}
