import type {
  Channel,
  ChannelDelivery,
  Conversation,
  ConversationStore,
  MessageRecord,
} from '../conversations/index.js';
import type { HandoffRepo } from './handoff.repo.js';

/** A plain-text message a person or the system sends the customer: no analysis, already sent. */
export function outboundText(m: {
  id: string;
  conversation: Conversation;
  sender: 'system' | 'agent';
  text: string;
  metadata: Record<string, unknown>;
  at: string;
}): MessageRecord {
  return {
    id: m.id,
    externalId: null,
    conversationId: m.conversation.id,
    channel: m.conversation.channel,
    direction: 'outbound',
    sender: m.sender,
    contentType: 'text',
    text: m.text,
    media: [],
    quickReplies: [],
    intent: null,
    confidence: null,
    sentiment: null,
    status: 'sent',
    error: null,
    metadata: m.metadata,
    replyToId: null,
    createdAt: m.at,
  };
}

export interface DeliveryDeps {
  repo: HandoffRepo;
  store: ConversationStore;
  /** Absent where no platform delivery is composed (web clients read messages live or through the API). */
  delivery: ChannelDelivery | undefined;
}

/** Sends a stored outbound message out on the conversation's platform; answers `sent` or `failed`. */
export async function deliverToPlatform(
  deps: DeliveryDeps,
  tenantId: string,
  conversation: Conversation,
  messageId: string,
  text: string,
): Promise<string> {
  const { delivery } = deps;
  if (conversation.channel === 'web' || !delivery) return 'sent';
  const failed = async (error: string) => {
    await deps.store.messages.update(tenantId, messageId, { status: 'failed', error });
    return 'failed';
  };
  const to =
    (conversation.contactId
      ? await deps.repo.findPlatformUserId(tenantId, conversation.contactId, conversation.channel)
      : undefined) ?? conversation.userId;
  if (!to) return failed('no platform recipient is known for this conversation');
  const replyTo = typeof conversation.context.reply_to === 'string' ? conversation.context.reply_to : undefined;
  try {
    await delivery.deliver(tenantId, {
      channel: conversation.channel as Channel,
      conversationId: conversation.id,
      messageId,
      to,
      text,
      quickReplies: [],
      ...(replyTo ? { replyTo } : {}),
    });
    return 'sent';
  } catch (err) {
    // The handoff itself stands; the failed delivery is recorded on the message for the agent to see.
    return failed(err instanceof Error ? err.message : String(err));
  }
}
