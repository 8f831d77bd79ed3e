import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { invalid, notFound } from '../errors.js';
import type { LiveBus } from '../live/live-bus.js';
import * as conversations from './conversations.repo.js';
import * as messages from './messages.repo.js';
import { toMessageRecord, type MessageRecord } from './messages.view.js';

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
  db: Db;
  clock: Clock;
  live: LiveBus;
}): ConversationMessagesService {
  const { db } = deps;
  return {
    async getMessage(tenantId, id) {
      const row = await messages.findByAnyId(db, tenantId, id);
      if (!row) throw notFound('message', id);
      const reply = row.direction === 'inbound' ? await messages.findReply(db, tenantId, row.id) : undefined;
      return { message: toMessageRecord(row), reply: reply ? toMessageRecord(reply) : null };
    },

    async typing(tenantId, input) {
      const conversation = await conversations.findById(db, tenantId, input.conversationId);
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
          user_id: input.userId ?? conversation.user_id,
          channel: conversation.channel,
          duration_ms: input.durationMs,
        },
      });
    },

    async feedback(tenantId, input) {
      const row = await messages.findByAnyId(db, tenantId, input.messageId);
      if (!row) throw notFound('message', input.messageId);
      if (input.conversationId !== undefined && input.conversationId !== row.conversation_id) {
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
        messageId: row.id,
        conversationId: row.conversation_id,
        rating: input.rating ?? null,
        helpful: input.helpful ?? null,
        comment: input.comment ?? null,
        createdAt: deps.clock.now().toISOString(),
      };
      await messages.insertFeedback(db, tenantId, {
        id: feedback.id,
        conversation_id: feedback.conversationId,
        message_id: feedback.messageId,
        rating: feedback.rating,
        helpful: feedback.helpful === null ? null : feedback.helpful ? 1 : 0,
        comment: feedback.comment,
        created_at: feedback.createdAt,
      });
      return feedback;
    },
  };
}
