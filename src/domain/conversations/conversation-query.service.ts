import type { ConversationState } from '../../engine/dialog/dialog.js';
import { initialState } from '../../engine/dialog/dialog.js';
import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import { notFound } from '../errors.js';
import * as repo from './conversation-query.repo.js';
import type { Conversation, ConversationRecord, Feedback, Message, Transfer } from './conversation-record.js';
import { toMessageRecord } from './messages.view.js';

export type { Conversation, ConversationRecord, Feedback, Message, Transfer } from './conversation-record.js';

export const CONVERSATION_STATUSES = ['active', 'waiting_agent', 'with_agent', 'closed'] as const;
export const CONVERSATION_SORTS = [
  'last_activity_desc',
  'last_activity_asc',
  'created_at_desc',
  'created_at_asc',
] as const;
export type ConversationSortKey = (typeof CONVERSATION_SORTS)[number];

export interface ListQuery {
  status?: string;
  channel?: string;
  userId?: string;
  /** ISO instants, inclusive, on the conversation's start. */
  from?: string;
  to?: string;
  search?: string;
  sort: ConversationSortKey;
  limit: number;
  offset: number;
}

export interface ListedConversation {
  conversation: Conversation;
  messageCount: number;
  /** Mean of the customer's ratings, when any. */
  averageRating: number | null;
}

export interface ConversationDetail {
  conversation: Conversation;
  /** The latest `messageLimit` messages in time order; empty when not asked for. */
  messages: Message[];
  totalMessages: number;
  transfers: Transfer[];
}

export interface ConversationQueryService {
  list(tenantId: string, query: ListQuery): Promise<{ items: ListedConversation[]; total: number }>;
  /** `messageLimit` undefined: no messages. */
  get(tenantId: string, id: string, messageLimit: number | undefined): Promise<ConversationDetail>;
  /** Everything stored about one conversation; messages bounded by `range` (inclusive ISO instants) when given. */
  record(tenantId: string, id: string, range?: { from?: string; to?: string }): Promise<ConversationRecord>;
}

/** Search terms: whitespace-separated, lower-cased, at most eight (each adds one EXISTS to the query). */
export function searchTerms(search: string | undefined): string[] {
  return [...new Set((search ?? '').toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 8);
}

export function conversationOf(r: repo.ConversationRow): Conversation {
  return {
    id: r.id,
    contactId: r.contact_id,
    sessionId: r.session_id,
    userId: r.user_id,
    channel: r.channel,
    status: r.status,
    botPaused: Number(r.bot_paused) === 1,
    state: { ...initialState(), ...fromJson<Partial<ConversationState>>(r.state, {}) },
    context: fromJson<Record<string, unknown>>(r.context, {}),
    assignedAgentId: r.assigned_agent_id,
    department: r.department,
    priority: r.priority,
    currentIntent: r.current_intent,
    sentiment: r.sentiment,
    leadId: r.lead_id,
    summary: r.summary,
    resolution: r.resolution,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActivityAt: r.last_message_at ?? r.created_at,
    closedAt: r.closed_at,
  };
}

function transferOf(r: repo.TransferRow): Transfer {
  return {
    id: r.id,
    agentUserId: r.agent_user_id,
    department: r.department,
    priority: r.priority,
    reason: r.reason,
    note: r.note,
    briefing: fromJson<unknown>(r.briefing, {}),
    status: r.status,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
    completedAt: r.completed_at,
  };
}

function feedbackOf(r: repo.FeedbackRow): Feedback {
  return {
    id: r.id,
    messageId: r.message_id,
    rating: r.rating === null ? null : Number(r.rating),
    helpful: r.helpful === null ? null : Number(r.helpful) === 1,
    comment: r.comment,
    createdAt: r.created_at,
  };
}

export function createConversationQueryService(deps: { db: Db }): ConversationQueryService {
  const { db } = deps;

  const find = async (tenantId: string, id: string) => {
    const row = await repo.findById(db, tenantId, id);
    if (!row) throw notFound('conversation', id);
    return conversationOf(row);
  };

  const record = async (
    tenantId: string,
    id: string,
    range: { from?: string; to?: string } = {},
  ): Promise<ConversationRecord> => {
    const conversation = await find(tenantId, id);
    const [messages, transfers, feedback] = await Promise.all([
      repo.listMessages(db, tenantId, id, {
        ...(range.from ? { from: range.from } : {}),
        ...(range.to ? { to: range.to } : {}),
      }),
      repo.listTransfers(db, tenantId, id),
      repo.listFeedback(db, tenantId, id),
    ]);
    const agentIds = new Set<string>();
    for (const t of transfers) if (t.agent_user_id) agentIds.add(t.agent_user_id);
    if (conversation.assignedAgentId) agentIds.add(conversation.assignedAgentId);
    return {
      conversation,
      messages: messages.map(toMessageRecord),
      transfers: transfers.map(transferOf),
      feedback: feedback.map(feedbackOf),
      agentNames: await repo.userNames(db, tenantId, [...agentIds]),
    };
  };

  return {
    async list(tenantId, q) {
      const [by, order] = q.sort.startsWith('last_activity')
        ? (['last_activity', q.sort.endsWith('asc') ? 'asc' : 'desc'] as const)
        : (['created_at', q.sort.endsWith('asc') ? 'asc' : 'desc'] as const);
      const { rows, total } = await repo.list(
        db,
        tenantId,
        {
          ...(q.status ? { status: q.status } : {}),
          ...(q.channel ? { channel: q.channel } : {}),
          ...(q.userId ? { userId: q.userId } : {}),
          ...(q.from ? { createdFrom: q.from } : {}),
          ...(q.to ? { createdTo: q.to } : {}),
          terms: searchTerms(q.search),
        },
        { by, order },
        { limit: q.limit, offset: q.offset },
      );
      const ids = rows.map((r) => r.id);
      const [counts, ratings] = await Promise.all([
        repo.countMessages(db, tenantId, ids),
        repo.averageRatings(db, tenantId, ids),
      ]);
      return {
        items: rows.map((r) => ({
          conversation: conversationOf(r),
          messageCount: counts.get(r.id) ?? 0,
          averageRating: ratings.get(r.id) ?? null,
        })),
        total,
      };
    },

    async get(tenantId, id, messageLimit) {
      const conversation = await find(tenantId, id);
      const [messages, counts, transfers] = await Promise.all([
        messageLimit === undefined
          ? Promise.resolve([])
          : repo.listMessages(db, tenantId, id, { latest: messageLimit }),
        repo.countMessages(db, tenantId, [id]),
        repo.listTransfers(db, tenantId, id),
      ]);
      return {
        conversation,
        messages: messages.map(toMessageRecord),
        totalMessages: counts.get(id) ?? 0,
        transfers: transfers.map(transferOf),
      };
    },

    record,
  };
}

/** Spec D's `content` of a message: media and quick replies only when there are any. */
export function messageContent(m: Message) {
  return {
    type: m.contentType,
    text: m.text,
    ...(present(m.media) ? { media: m.media } : {}),
    ...(present(m.quickReplies) ? { quick_replies: m.quickReplies } : {}),
  };
}

/** Whether a stored JSON field says anything (null and empty lists do not). */
function present(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
}
