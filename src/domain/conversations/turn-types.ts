import type { DataMode } from '../actor.js';
import type { AnalysisResult } from '../../engine/analysis.schema.js';
import type { ConversationState } from '../../engine/dialog/dialog.js';
import type { AppointmentRequest } from '../appointments/index.js';
import type { LeadIdentity } from '../leads/index.js';
import type { Conversation, ConversationPatch, MessageRecord, ReplyMetadata } from './conversation-record.js';
import type { PlannedHandoff } from './handoff-port.js';

/** What the chat API adds to a platform message. */
export interface ChatOptions {
  /** The client's conversation: one of the tenant's, or a free id to start a new one under. */
  conversationId?: string | undefined;
  sessionId?: string | undefined;
  userId?: string | undefined;
  /** `text`, `image`, `audio`, … as the client declared it. */
  contentType?: string | undefined;
  language?: string | undefined;
  /** The mode a new conversation is opened in; a conversation of the other mode is not joined. */
  mode: DataMode;
}

/** One customer message and what came of it. */
export interface Turn {
  /** The message id was seen before: this is the first result, nothing ran again. */
  duplicate: boolean;
  conversationId: string;
  contactId: string;
  inbound: MessageRecord;
  /** Absent while a human has the conversation (or the message failed). */
  reply: MessageRecord | null;
  /** The conversation's dialog state after this message. */
  state: ConversationState;
  /** The conversation's status now (`active`, `waiting_agent`, `with_agent`, `closed`). */
  conversationStatus: string;
}

/** A message ready for its turn: the conversation it goes to, read once, and the message as it would be stored. */
export interface Received {
  tenantId: string;
  conversation: Conversation;
  /** The message starts this conversation: the turn inserts it. */
  conversationIsNew: boolean;
  inbound: MessageRecord;
  /** A failed message run again: the turn updates it instead of inserting it and counts nothing twice. */
  inboundStored: boolean;
  /** The chat session to link to the conversation and touch. */
  sessionId: string | undefined;
  /** The sender's contact, as resolved from the platform identity (a new message only). */
  senderContactId: string | undefined;
}

/** Something the dialog asked for beyond the reply, written with the turn in this order. */
export type TurnStep =
  | { type: 'lead'; lead: LeadIdentity; analysis: AnalysisResult; processingTimeMs: number }
  /** Linked to the lead a step before it created, else to the conversation's lead. */
  | { type: 'appointment'; request: Omit<AppointmentRequest, 'leadId'> }
  | { type: 'transfer'; plan: PlannedHandoff };

/** What a turn decided: every row it writes and what happens once they are committed. Nothing of it is stored yet. */
export interface TurnPlan {
  /** The inbound message as this turn leaves it (processed, failed, or received while a human has the conversation). */
  inbound: MessageRecord;
  /** The bot's answer; its metadata gets the ids of what the steps create. */
  reply: { message: Omit<MessageRecord, 'metadata'>; meta: ReplyMetadata } | null;
  state: ConversationState;
  /** The conversation's dialog fields after the turn; null when the turn does not touch them. */
  conversationPatch: ConversationPatch | null;
  steps: TurnStep[];
  /** Contact facts the customer gave (phone, e-mail, name), learned once the turn committed. */
  learn: {
    contactId: string;
    facts: { phone?: string | undefined; email?: string | undefined; name?: string | undefined };
  } | null;
}

/** The turn's messages as committed. */
export interface Applied {
  inbound: MessageRecord;
  reply: MessageRecord | null;
  /** Each lead step's result, with the usage and webhook dispatch it runs after commit. */
  leads: { announce: () => Promise<void> }[];
  /** Each handoff step's announcement and notice jobs, run after commit. */
  handoffs: { announce: () => Promise<void> }[];
}
