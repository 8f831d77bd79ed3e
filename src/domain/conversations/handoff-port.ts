import type { HandoffBriefing } from '../../engine/dialog/dialog.js';
import type { Conversation } from './conversation-record.js';
import type { ConversationTx } from './conversation-store.repo.js';

/*
 * What the conversation core needs from handing conversations to people (the handoff concept
 * implements it): a turn plans a handoff before it writes, writes it (with the jobs that tell people
 * of it) in its own transaction and announces it once committed; closing a conversation ends its
 * open handoffs in its transaction.
 */

export const HANDOFF_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type HandoffPriority = (typeof HANDOFF_PRIORITIES)[number];

export interface HandoffRequest {
  conversationId: string;
  reason: string;
  note?: string;
  priority: HandoffPriority;
  /** A named agent (user id); else the least-busy user of `department`, else the tenant's queue. */
  agentUserId?: string;
  department?: string;
  /** What the agent needs to know; the dialog's briefing on an automatic handoff. */
  briefing: HandoffBriefing | Record<string, unknown>;
  /** A chat turn's own reply tells the customer, so the handoff writes and sends no notice of its own. */
  noticeInReply?: boolean;
}

/** A handoff decided but not yet written. */
export interface PlannedHandoff {
  transferId: string;
  /** What the customer is told (the turn's reply). */
  text: string;
  /** The notice message's id: the turn's reply takes it when the reply is the notice. */
  messageId: string;
}

/** A handoff written in a transaction not yet committed. */
export interface WrittenHandoff {
  /** Live events, platform delivery and running the notice jobs, once the writes committed. */
  announce(): Promise<void>;
}

export interface HandoffPort<P extends PlannedHandoff = PlannedHandoff> {
  /** Where the handoff goes and what the customer is told; writes nothing. `conversation` is the caller's copy (one its transaction may yet insert). */
  planOpen(tenantId: string, request: HandoffRequest, conversation?: Conversation): Promise<P>;
  /**
   * The handoff's rows and its notice and wait-limit jobs in the caller's transaction: it pauses
   * the bot and tells the customer, and a rollback takes the jobs with it.
   */
  writeOpen(tx: ConversationTx, tenantId: string, plan: P): Promise<WrittenHandoff>;
  /** Ends every open handoff of a conversation in the caller's transaction (the conversation closes). */
  endOpenIn(tx: ConversationTx, tenantId: string, conversationId: string, at: string): Promise<void>;
}
