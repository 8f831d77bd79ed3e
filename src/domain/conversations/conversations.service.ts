import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { invalid, notFound } from '../errors.js';
import type { LiveBus } from '../live/index.js';
import type { MessageRecord } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';

export interface FeedbackInput {
  messageId: string;
  conversationId?: string | undefined;
  /** 1–5. */
  rating?: number | undefined;
  helpful?: boolean | undefined;
  comment?: string | undefined;
}

export interface Feedback {
  id: string;
  messageId: string;
  conversationId: string;
  rating: number | null;
  helpful: boolean | null;
  comment: string | null;
  createdAt: string;
}

export interface ConversationMessagesService {
  /** A message by our id or by the client's/platform's id, with the reply it got (inbound) or the message it answers (outbound). */
  getMessage(tenantId: string, id: string): Promise<{ message: MessageRecord; reply: MessageRecord | null }>;
  /** Tells the conversation's live listeners someone is typing. */
  typing(
    tenantId: string,
    input: {
      conversationId: string;
      userId?: string | undefined;
      channel: string;
      durationMs: number;
      sender: 'customer' | 'agent' | 'bot';
    },
  ): Promise<void>;
  /** Keeps a customer's rating of a message. */
  feedback(tenantId: string, input: FeedbackInput): Promise<Feedback>;
}

export function createConversationMessagesService(deps: {
  store: ConversationStore;
  clock: Clock;
  live: LiveBus;
}): ConversationMessagesService {
  const { conversations, messages } = deps.store;
  return {
    async getMessage(tenantId, id) {
      const message = await messages.findByAnyId(tenantId, id);
      if (!message) throw notFound('message', id);
      const reply = message.direction === 'inbound' ? await messages.findReply(tenantId, message.id) : undefined;
      return { message, reply: reply ?? null };
    },

    async typing(tenantId, input) {
      const conversation = await conversations.findById(tenantId, input.conversationId);
      if (!conversation) throw notFound('conversation', input.conversationId);
      if (conversation.channel !== input.channel) {
        throw invalid([
          {
            field: 'channel',
            issue: `the conversation is on channel '${conversation.channel}'`,
            type: 'mismatch',
            value: input.channel,
          },
        ]);
      }
      await deps.live.publish({
        type: 'typing',
        tenantId,
        conversationId: conversation.id,
        at: deps.clock.now().toISOString(),
        data: {
          sender: input.sender,
          user_id: input.userId ?? conversation.userId,
          channel: conversation.channel,
          duration_ms: input.durationMs,
        },
      });
    },

    async feedback(tenantId, input) {
      const message = await messages.findByAnyId(tenantId, input.messageId);
      if (!message) throw notFound('message', input.messageId);
      if (input.conversationId !== undefined && input.conversationId !== message.conversationId) {
        throw invalid([
          {
            field: 'conversation_id',
            issue: 'the message belongs to another conversation',
            type: 'mismatch',
            value: input.conversationId,
          },
        ]);
      }
      const feedback: Feedback = {
        id: newId('fb'),
        messageId: message.id,
        conversationId: message.conversationId,
        rating: input.rating ?? null,
        helpful: input.helpful ?? null,
        comment: input.comment ?? null,
        createdAt: deps.clock.now().toISOString(),
      };
      await messages.insertFeedback(tenantId, feedback);
      return feedback;
    },
  };
}
