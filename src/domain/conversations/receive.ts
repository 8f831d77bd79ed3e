import { initialState, type ConversationState } from '../../engine/dialog/dialog.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ContactsService } from '../identity/index.js';
import { AppError, notFound } from '../errors.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import * as conversations from './conversations.repo.js';
import type { InboundMessage } from './inbound.js';
import * as messages from './messages.repo.js';
import { toMessageRecord, type ReplyMetadata } from './messages.view.js';
import type { ChatOptions, Received, Turn } from './turn-types.js';

export interface ReceiveDeps {
  db: Db;
  contacts: ContactsService;
  sessions: SessionsService;
}

/** A conversation a message starts, as it is inserted with the message's turn. */
function freshConversation(
  tenantId: string,
  id: string,
  contactId: string,
  message: InboundMessage,
  options: ChatOptions,
  at: string,
): conversations.ConversationRow {
  return {
    id,
    tenant_id: tenantId,
    contact_id: contactId,
    session_id: options.sessionId ?? null,
    user_id: options.userId ?? message.platformUserId,
    channel: message.channel,
    status: 'active',
    bot_paused: 0,
    state: toJson(initialState()),
    context: toJson(message.context ?? {}),
    assigned_agent_id: null,
    department: null,
    priority: null,
    current_intent: null,
    sentiment: null,
    lead_id: null,
    summary: null,
    resolution: null,
    message_count: 0,
    last_inbound_at: null,
    last_message_at: null,
    created_at: at,
    updated_at: at,
    closed_at: null,
  };
}

/** The customer's message as it is stored, before its turn ran. */
function inboundRow(
  tenantId: string,
  conversationId: string,
  message: InboundMessage,
  options: ChatOptions,
): messages.MessageRow {
  const media = message.media ?? [];
  return {
    id: newId('msg'),
    tenant_id: tenantId,
    conversation_id: conversationId,
    channel: message.channel,
    external_id: message.externalMessageId,
    direction: 'inbound',
    sender: 'customer',
    content_type: options.contentType ?? (message.text ? 'text' : (media[0]?.kind ?? 'text')),
    text: message.text,
    media: media.length > 0 ? toJson(media) : null,
    quick_replies: null,
    intent: null,
    confidence: null,
    sentiment: null,
    status: 'received',
    error: null,
    // What a retry needs to run the turn again exactly as it would have run now.
    metadata: toJson({
      platform_user_id: message.platformUserId,
      ...(message.payload ? { payload: message.payload } : {}),
      ...(message.replyTo ? { reply_to: message.replyTo } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(message.context ? { context: message.context } : {}),
    }),
    reply_to_id: null,
    created_at: message.receivedAt.toISOString(),
  };
}

/**
 * The first step of a turn: finds a repeat of a stored message, and otherwise the conversation
 * a new one goes to, reading it once and writing nothing (the turn inserts what is new).
 */
export function createReceiver(deps: ReceiveDeps) {
  const { db } = deps;

  const loadConversation = async (tenantId: string, id: string) => {
    const row = await conversations.findById(db, tenantId, id);
    if (!row) throw notFound('conversation', id);
    return row;
  };

  /** The client's conversation (existing, or new under its id), else the contact's open one on the channel, else a new one. */
  const conversationFor = async (
    tenantId: string,
    message: InboundMessage,
    contactId: string,
    options: ChatOptions,
  ): Promise<{ row: conversations.ConversationRow; created: boolean }> => {
    const at = message.receivedAt.toISOString();
    if (options.conversationId) {
      const existing = await conversations.findById(db, tenantId, options.conversationId);
      if (!existing)
        return {
          row: freshConversation(tenantId, options.conversationId, contactId, message, options, at),
          created: true,
        };
      if (existing.status === 'closed')
        throw new AppError('CONFLICT', `Conversation '${existing.id}' is closed; reopen it or start a new one`, {
          details: { conversation_id: existing.id, status: existing.status },
        });
      if (existing.channel !== message.channel)
        throw new AppError(
          'CONFLICT',
          `Conversation '${existing.id}' is on channel '${existing.channel}', not '${message.channel}'`,
          { details: { conversation_id: existing.id, channel: existing.channel } },
        );
      return { row: existing, created: false };
    }
    const open = await conversations.findOpenForContact(db, tenantId, contactId, message.channel);
    if (open) return { row: open, created: false };
    return { row: freshConversation(tenantId, newId('conv'), contactId, message, options, at), created: true };
  };

  return {
    /** The stored message with this platform id, when the platform sent it before. */
    seen: (tenantId: string, message: InboundMessage) =>
      messages.findByExternal(db, tenantId, message.channel, message.externalMessageId),

    /** A new message: its sender's contact and its conversation. */
    async fresh(tenantId: string, message: InboundMessage, options: ChatOptions): Promise<Received> {
      if (options.sessionId) await deps.sessions.requireActive(tenantId, options.sessionId);
      const contact = await deps.contacts.resolve(
        tenantId,
        { channel: message.channel, platformUserId: message.platformUserId },
        { name: message.senderName, phone: message.phone, email: message.email },
      );
      const { row, created } = await conversationFor(tenantId, message, contact.id, options);
      return {
        tenantId,
        conversation: row,
        conversationIsNew: created,
        inbound: inboundRow(tenantId, row.id, message, options),
        inboundStored: false,
        sessionId: options.sessionId,
        senderContactId: contact.id,
      };
    },

    /** A stored message whose turn runs again. */
    async stored(tenantId: string, row: messages.MessageRow): Promise<Received> {
      const conversation = await loadConversation(tenantId, row.conversation_id);
      return {
        tenantId,
        conversation,
        conversationIsNew: false,
        inbound: row,
        inboundStored: true,
        sessionId: undefined,
        senderContactId: undefined,
      };
    },

    /** The first result of a message already stored. */
    async replay(tenantId: string, row: messages.MessageRow, duplicate: boolean): Promise<Turn> {
      const conversation = await loadConversation(tenantId, row.conversation_id);
      const replyRow = await messages.findReply(db, tenantId, row.id);
      const reply = replyRow ? toMessageRecord(replyRow) : null;
      const state = reply
        ? (reply.metadata as unknown as ReplyMetadata).state
        : fromJson<ConversationState>(conversation.state, initialState());
      return {
        duplicate,
        conversationId: conversation.id,
        contactId: conversation.contact_id ?? '',
        inbound: toMessageRecord(row),
        reply,
        state,
        conversationStatus: conversation.status,
      };
    },
  };
}
