import type { Tx } from '../transaction.js';
import type { ConversationStore } from './conversation-store.repo.js';
import { createConversationsRepo } from './conversations.repo.js';
import type { PlatformStatus } from './messages.repo.js';
import { postSystemText, type SystemText } from './system-text.js';

/** What other concepts change on conversations and messages, through the conversation core (their one writer). */
export interface ConversationUpkeepService {
  /** Replaces a conversation's integration context (what generic webhooks and platforms told us about it). */
  setContext(tenantId: string, conversationId: string, context: Record<string, unknown>, at: string): Promise<void>;
  /** Records what became of an outbound message on its platform. */
  setMessageStatus(
    tenantId: string,
    messageId: string,
    patch: { status: string; error?: string | null; externalId?: string | null },
  ): Promise<void>;
  /** Applies a platform's report to our outbound message with that platform id; returns whether one matched. */
  applyPlatformStatus(
    tenantId: string,
    channel: string,
    externalId: string,
    status: PlatformStatus,
    error: string | null,
  ): Promise<boolean>;
  /** When the customer last wrote in the conversation; null before that, undefined when there is no such conversation. */
  lastInboundAt(tenantId: string, conversationId: string): Promise<string | null | undefined>;
  /** Stores a message the business starts (a reminder, a follow-up) in the contact's open conversation on the channel, opening one if none; the caller delivers it. */
  postSystemText(tenantId: string, text: SystemText): Promise<{ conversationId: string; messageId: string }>;
}

export function createConversationUpkeepService(deps: { store: ConversationStore }): ConversationUpkeepService {
  const { store } = deps;
  return {
    setContext: (tenantId, conversationId, context, at) =>
      store.conversations.update(tenantId, conversationId, { context, updatedAt: at }),
    setMessageStatus: (tenantId, messageId, patch) => store.messages.setStatus(tenantId, messageId, patch),
    applyPlatformStatus: (tenantId, channel, externalId, status, error) =>
      store.messages.applyPlatformStatus(tenantId, channel, externalId, status, error),
    lastInboundAt: (tenantId, conversationId) => store.conversations.lastInboundAt(tenantId, conversationId),
    postSystemText: (tenantId, text) => postSystemText(store, tenantId, text),
  };
}

/** Moves every conversation of `fromContactId` to `toContactId` in the caller's transaction (two contacts found to be one person). */
export function reassignConversationsContactIn(
  tx: Tx,
  tenantId: string,
  fromContactId: string,
  toContactId: string,
): Promise<void> {
  return createConversationsRepo(tx).reassignContact(tenantId, fromContactId, toContactId);
}
