import { notFound } from '../errors.js';
import type { Conversation, ConversationRecord, Message, Transfer } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';

export type { Conversation, ConversationRecord, Feedback, Message, Transfer } from './conversation-record.js';
export { messageContent } from './message-content.js';

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
  contactId?: string;
  /** The user the conversation is assigned to. */
  assignedAgentId?: string;
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
  /** Whether the tenant has this conversation. */
  exists(tenantId: string, id: string): Promise<boolean>;
}

/** Search terms: whitespace-separated, lower-cased, at most eight (each adds one EXISTS to the query). */
export function searchTerms(search: string | undefined): string[] {
  return [...new Set((search ?? '').toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 8);
}

function sortOf(sort: ConversationSortKey) {
  const order = sort.endsWith('asc') ? ('asc' as const) : ('desc' as const);
  return { by: sort.startsWith('last_activity') ? ('last_activity' as const) : ('created_at' as const), order };
}

async function list(store: ConversationStore, tenantId: string, q: ListQuery) {
  const { rows, total } = await store.query.list(
    tenantId,
    {
      ...(q.status ? { status: q.status } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.userId ? { userId: q.userId } : {}),
      ...(q.contactId ? { contactId: q.contactId } : {}),
      ...(q.assignedAgentId ? { assignedAgentId: q.assignedAgentId } : {}),
      ...(q.from ? { createdFrom: q.from } : {}),
      ...(q.to ? { createdTo: q.to } : {}),
      terms: searchTerms(q.search),
    },
    sortOf(q.sort),
    { limit: q.limit, offset: q.offset },
  );
  const ids = rows.map((r) => r.id);
  const [counts, ratings] = await Promise.all([
    store.query.countMessages(tenantId, ids),
    store.query.averageRatings(tenantId, ids),
  ]);
  const items = rows.map((conversation) => ({
    conversation,
    messageCount: counts.get(conversation.id) ?? 0,
    averageRating: ratings.get(conversation.id) ?? null,
  }));
  return { items, total };
}

export function createConversationQueryService(deps: { store: ConversationStore }): ConversationQueryService {
  const { store } = deps;

  const find = async (tenantId: string, id: string) => {
    const conversation = await store.conversations.findById(tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };

  const record = async (tenantId: string, id: string, range: { from?: string; to?: string } = {}) => {
    const conversation = await find(tenantId, id);
    const [messages, transfers, feedback] = await Promise.all([
      store.query.listMessages(tenantId, id, {
        ...(range.from ? { from: range.from } : {}),
        ...(range.to ? { to: range.to } : {}),
      }),
      store.query.listTransfers(tenantId, id),
      store.query.listFeedback(tenantId, id),
    ]);
    const agentIds = new Set<string>();
    for (const t of transfers) if (t.agentUserId) agentIds.add(t.agentUserId);
    if (conversation.assignedAgentId) agentIds.add(conversation.assignedAgentId);
    const agentNames = await store.query.userNames(tenantId, [...agentIds]);
    return { conversation, messages, transfers, feedback, agentNames };
  };

  return {
    list: (tenantId, q) => list(store, tenantId, q),

    async get(tenantId, id, messageLimit) {
      const conversation = await find(tenantId, id);
      const [messages, counts, transfers] = await Promise.all([
        messageLimit === undefined
          ? Promise.resolve([])
          : store.query.listMessages(tenantId, id, { latest: messageLimit }),
        store.query.countMessages(tenantId, [id]),
        store.query.listTransfers(tenantId, id),
      ]);
      return { conversation, messages, totalMessages: counts.get(id) ?? 0, transfers };
    },

    record,

    exists: async (tenantId, id) => (await store.conversations.findById(tenantId, id)) !== undefined,
  };
}
