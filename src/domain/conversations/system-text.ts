import { newId } from '../../lib/ids.js';
import type { DataMode } from '../actor.js';
import { type Conversation, type MessageRecord } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';
import { newConversation } from './new-conversation.js';
import type { Channel } from './inbound.js';

/** A message the business starts with a contact, outside any turn of theirs. */
export interface SystemText {
  contactId: string;
  channel: Channel;
  /** The platform user it goes to (a phone in E.164 for SMS). */
  to: string;
  text: string;
  /** Why it was sent (`{ kind: 'reminder', … }`), kept on the message. */
  metadata: Record<string, unknown>;
  /** The mode of the rows it was chosen from: a test run writes test rows. */
  mode: DataMode;
  /** ISO instant it is stored at. */
  at: string;
}

function openedFor(text: SystemText, at: string): Conversation {
  return newConversation(
    {
      id: newId('conv'),
      contactId: text.contactId,
      sessionId: null,
      userId: text.to,
      channel: text.channel,
      context: {},
      mode: text.mode,
    },
    at,
  );
}

/** Stores the message in the contact's open conversation of the mode on the channel (opening one), with its count, in one transaction. */
export async function postSystemText(
  store: ConversationStore,
  tenantId: string,
  text: SystemText,
): Promise<{ conversationId: string; messageId: string }> {
  const { at } = text;
  return store.transaction(async (tx) => {
    let conversation = await tx.conversations.findOpenForContact(tenantId, text.mode, text.contactId, text.channel);
    if (!conversation) {
      conversation = openedFor(text, at);
      await tx.conversations.insert(tenantId, conversation);
    }
    const message: MessageRecord = {
      id: newId('msg'),
      externalId: null,
      conversationId: conversation.id,
      channel: text.channel,
      direction: 'outbound',
      sender: 'system',
      contentType: 'text',
      text: text.text,
      media: [],
      quickReplies: [],
      intent: null,
      confidence: null,
      sentiment: null,
      status: 'pending',
      error: null,
      metadata: text.metadata,
      replyToId: null,
      createdAt: at,
    };
    await tx.messages.insert(tenantId, message);
    await tx.conversations.recordMessage(tenantId, conversation.id, at, false);
    return { conversationId: conversation.id, messageId: message.id };
  });
}
