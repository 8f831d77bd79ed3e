import { newId } from '../../lib/ids.js';
import type { ContactsService } from '../identity/index.js';
import { AppError, notFound } from '../errors.js';
import type { SessionsService } from '../sessions/index.js';
import { type Conversation, type MessageRecord, type ReplyMetadata } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';
import { newConversation } from './new-conversation.js';
import type { InboundMessage } from './inbound.js';
import type { ChatOptions, Received, Turn } from './turn-types.js';

export interface ReceiveDeps {
  store: ConversationStore;
  contacts: Pick<ContactsService, 'resolve'>;
  sessions: Pick<SessionsService, 'requireActive'>;
}

/** A conversation a message starts, as it is inserted with the message's turn. */
function freshConversation(
  id: string,
  contactId: string,
  message: InboundMessage,
  options: ChatOptions,
  at: string,
): Conversation {
  return newConversation(
    {
      id,
      contactId,
      sessionId: options.sessionId ?? null,
      userId: options.userId ?? message.platformUserId,
      channel: message.channel,
      context: message.context ?? {},
      mode: options.mode,
    },
    at,
  );
}

/** The customer's message as it is stored, before its turn ran. */
function inboundMessage(conversationId: string, message: InboundMessage, options: ChatOptions): MessageRecord {
  const media = message.media ?? [];
  return {
    id: newId('msg'),
    externalId: message.externalMessageId,
    conversationId,
    channel: message.channel,
    direction: 'inbound',
    sender: 'customer',
    contentType: options.contentType ?? (message.text ? 'text' : (media[0]?.kind ?? 'text')),
    text: message.text,
    media,
    quickReplies: [],
    intent: null,
    confidence: null,
    sentiment: null,
    status: 'received',
    error: null,
    // What a retry needs to run the turn again exactly as it would have run now.
    metadata: {
      platform_user_id: message.platformUserId,
      ...(message.payload ? { payload: message.payload } : {}),
      ...(message.replyTo ? { reply_to: message.replyTo } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(message.context ? { context: message.context } : {}),
    },
    replyToId: null,
    createdAt: message.receivedAt.toISOString(),
  };
}

/** The client's named conversation must be open, on the message's channel and of the caller's mode. */
function requireUsable(existing: Conversation, message: InboundMessage, mode: ChatOptions['mode']): void {
  if (existing.mode !== mode)
    throw new AppError('CONFLICT', `Conversation '${existing.id}' is a ${existing.mode}-mode conversation`, {
      details: { conversation_id: existing.id, livemode: existing.mode === 'live' },
    });
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
}

/**
 * The first step of a turn: finds a repeat of a stored message, and otherwise the conversation
 * a new one goes to, reading it once and writing nothing (the turn inserts what is new).
 */
export function createReceiver(deps: ReceiveDeps) {
  const { conversations, messages } = deps.store;

  const loadConversation = async (tenantId: string, id: string) => {
    const conversation = await conversations.findById(tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };

  /** The client's conversation (existing, or new under its id), else the contact's open one on the channel, else a new one. */
  const conversationFor = async (
    tenantId: string,
    message: InboundMessage,
    contactId: string,
    options: ChatOptions,
  ): Promise<{ conversation: Conversation; created: boolean }> => {
    const at = message.receivedAt.toISOString();
    const named = options.conversationId;
    const existing = named
      ? await conversations.findById(tenantId, named)
      : await conversations.findOpenForContact(tenantId, options.mode, contactId, message.channel);
    if (existing) {
      if (named) requireUsable(existing, message, options.mode);
      return { conversation: existing, created: false };
    }
    const id = named ?? newId('conv');
    return { conversation: freshConversation(id, contactId, message, options, at), created: true };
  };

  return {
    /** The stored message with this platform id, when the platform sent it before. */
    seen: (tenantId: string, message: InboundMessage) =>
      messages.findByExternal(tenantId, message.channel, message.externalMessageId),

    /** A new message: its sender's contact and its conversation. */
    async fresh(tenantId: string, message: InboundMessage, options: ChatOptions): Promise<Received> {
      if (options.sessionId) await deps.sessions.requireActive(tenantId, options.sessionId);
      const contact = await deps.contacts.resolve(
        tenantId,
        { channel: message.channel, platformUserId: message.platformUserId },
        { name: message.senderName, phone: message.phone, email: message.email },
      );
      const { conversation, created } = await conversationFor(tenantId, message, contact.id, options);
      return {
        tenantId,
        conversation,
        conversationIsNew: created,
        inbound: inboundMessage(conversation.id, message, options),
        inboundStored: false,
        sessionId: options.sessionId,
        senderContactId: contact.id,
      };
    },

    /** A stored message whose turn runs again. */
    async stored(tenantId: string, message: MessageRecord): Promise<Received> {
      return {
        tenantId,
        conversation: await loadConversation(tenantId, message.conversationId),
        conversationIsNew: false,
        inbound: message,
        inboundStored: true,
        sessionId: undefined,
        senderContactId: undefined,
      };
    },

    /** The first result of a message already stored. */
    async replay(tenantId: string, message: MessageRecord, duplicate: boolean): Promise<Turn> {
      const conversation = await loadConversation(tenantId, message.conversationId);
      const reply = (await messages.findReply(tenantId, message.id)) ?? null;
      return {
        duplicate,
        conversationId: conversation.id,
        contactId: conversation.contactId ?? '',
        inbound: message,
        reply,
        state: reply ? (reply.metadata as unknown as ReplyMetadata).state : conversation.state,
        conversationStatus: conversation.status,
      };
    },
  };
}
