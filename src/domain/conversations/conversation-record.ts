import type { ConversationState } from '../../engine/dialog/dialog.js';
import type { MessageRecord } from './messages.view.js';

/*
 * A stored conversation and what belongs to it, as the read side hands it out. The types live
 * apart from the query service so that the analytics over them need not import the service
 * that calls the analytics.
 */

export interface Conversation {
  id: string;
  contactId: string | null;
  sessionId: string | null;
  userId: string | null;
  channel: string;
  status: string;
  botPaused: boolean;
  state: ConversationState;
  context: Record<string, unknown>;
  assignedAgentId: string | null;
  department: string | null;
  priority: string | null;
  currentIntent: string | null;
  sentiment: string | null;
  leadId: string | null;
  summary: string | null;
  resolution: string | null;
  createdAt: string;
  updatedAt: string;
  /** The last message's time, else the start. */
  lastActivityAt: string;
  closedAt: string | null;
}

/** A stored message as the conversation routes and exports read it. */
export type Message = MessageRecord;

export interface Transfer {
  id: string;
  agentUserId: string | null;
  department: string | null;
  priority: string;
  reason: string | null;
  note: string | null;
  briefing: unknown;
  status: string;
  createdAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
}

export interface Feedback {
  id: string;
  messageId: string | null;
  rating: number | null;
  helpful: boolean | null;
  comment: string | null;
  createdAt: string;
}

/** A conversation with everything stored about it. */
export interface ConversationRecord {
  conversation: Conversation;
  messages: Message[];
  transfers: Transfer[];
  feedback: Feedback[];
  /** Display names of the agents it mentions, by user id. */
  agentNames: Map<string, string>;
}
