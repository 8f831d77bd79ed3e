import type { ConversationState, QuickReply } from '../../engine/dialog/dialog.js';
import type { DataMode } from '../actor.js';
import type { InboundMedia } from './inbound.js';

/*
 * A stored conversation and what belongs to it, as the conversation core hands it out. The types
 * live apart from the services so that the analytics over them need not import the service that
 * calls the analytics.
 */

/** A reviewer's judgement of a conversation (spec C's QA). */
export interface ConversationQa {
  flags: string[];
  tags: string[];
  outcome: string | null;
  notes: string | null;
  /** When it was last reviewed; null until then. */
  reviewedAt: string | null;
}

export const NO_QA: ConversationQa = { flags: [], tags: [], outcome: null, notes: null, reviewedAt: null };

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
  qa: ConversationQa;
  /** `test` when a test key opened it: its messages, lead and appointment are test rows too. */
  mode: DataMode;
}

/** What a conversation's change may set. */
export type ConversationPatch = Partial<
  Pick<
    Conversation,
    | 'sessionId'
    | 'status'
    | 'botPaused'
    | 'state'
    | 'context'
    | 'assignedAgentId'
    | 'department'
    | 'priority'
    | 'currentIntent'
    | 'sentiment'
    | 'leadId'
    | 'resolution'
    | 'closedAt'
    | 'qa'
    | 'updatedAt'
  >
>;

/** A stored message as the core hands it out. */
export interface MessageRecord {
  id: string;
  /** The client's `message_id` or the platform's id. */
  externalId: string | null;
  conversationId: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  /** `customer`, `bot`, `agent` or `system`. */
  sender: string;
  contentType: string;
  text: string;
  media: InboundMedia[];
  quickReplies: QuickReply[];
  intent: string | null;
  confidence: number | null;
  sentiment: string | null;
  status: string;
  error: string | null;
  metadata: Record<string, unknown>;
  replyToId: string | null;
  createdAt: string;
}

/** A stored message as the conversation routes and exports read it. */
export type Message = MessageRecord;

/** What a bot reply keeps in `metadata`, so a repeated request is answered exactly as the first. */
export interface ReplyMetadata {
  model_used: string | null;
  provider: string | null;
  processing_time_ms: number;
  confidence_score: number | null;
  state: ConversationState;
  actions: string[];
  lead_id?: string;
  appointment_request_id?: string;
  transfer_id?: string;
}

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
