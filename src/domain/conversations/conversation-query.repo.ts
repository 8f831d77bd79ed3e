import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson } from '../../store/json.js';
import type { MessageFeedbackTable, TransfersTable } from '../../store/tables.js';
import type { Conversation, Feedback, MessageRecord, Transfer } from './conversation-record.js';
import { toConversation } from './conversations.repo.js';
import { toMessageRecord } from './messages.repo.js';

function toTransfer(r: TransfersTable): Transfer {
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

function toFeedback(r: MessageFeedbackTable): Feedback {
  return {
    id: r.id,
    messageId: r.message_id,
    rating: r.rating === null ? null : Number(r.rating),
    helpful: r.helpful === null ? null : Number(r.helpful) === 1,
    comment: r.comment,
    createdAt: r.created_at,
  };
}

export interface ConversationFilter {
  status?: string;
  channel?: string;
  userId?: string;
  contactId?: string;
  /** The user the conversation is assigned to. */
  assignedAgentId?: string;
  /** Inclusive ISO bounds on `created_at` (when the conversation started). */
  createdFrom?: string;
  createdTo?: string;
  /** Lower-cased terms; each must occur in some message of the conversation. */
  terms: string[];
}

export type ConversationSort = { by: 'last_activity' | 'created_at'; order: 'asc' | 'desc' };

/** `%`, `_` and the escape character match themselves inside a LIKE pattern. */
function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

async function list(
  db: Db,
  tenantId: string,
  filter: ConversationFilter,
  sort: ConversationSort,
  page: { limit: number; offset: number },
): Promise<{ rows: Conversation[]; total: number }> {
  let q = db.selectFrom('conversations').where('conversations.tenant_id', '=', tenantId);
  if (filter.status) q = q.where('conversations.status', '=', filter.status);
  if (filter.channel) q = q.where('conversations.channel', '=', filter.channel);
  if (filter.userId) q = q.where('conversations.user_id', '=', filter.userId);
  if (filter.contactId) q = q.where('conversations.contact_id', '=', filter.contactId);
  if (filter.assignedAgentId) q = q.where('conversations.assigned_agent_id', '=', filter.assignedAgentId);
  if (filter.createdFrom) q = q.where('conversations.created_at', '>=', filter.createdFrom);
  if (filter.createdTo) q = q.where('conversations.created_at', '<=', filter.createdTo);
  for (const term of filter.terms) {
    // lower() … LIKE with an explicit escape behaves the same on SQLite and PostgreSQL.
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('messages as m')
          .select(sql.lit(1).as('one'))
          .where('m.tenant_id', '=', tenantId)
          .whereRef('m.conversation_id', '=', 'conversations.id')
          .where(sql<boolean>`lower(${sql.ref('m.text')}) like ${likeContains(term)} escape '\\'`),
      ),
    );
  }
  const activity = sql`coalesce(${sql.ref('conversations.last_message_at')}, ${sql.ref('conversations.created_at')})`;
  const { rows, total } = await pageWithTotal(q, (p) =>
    (sort.by === 'last_activity'
      ? p.selectAll('conversations').orderBy(activity, sort.order)
      : p.selectAll('conversations').orderBy('conversations.created_at', sort.order)
    )
      .orderBy('conversations.id', sort.order)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  );
  return { rows: rows.map(toConversation), total };
}

/** Messages in time order; `latest` keeps only the last N; `from`/`to` are inclusive ISO bounds. */
async function listMessages(
  db: Db,
  tenantId: string,
  conversationId: string,
  opts: { latest?: number; from?: string; to?: string } = {},
): Promise<MessageRecord[]> {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId);
  if (opts.from) q = q.where('created_at', '>=', opts.from);
  if (opts.to) q = q.where('created_at', '<=', opts.to);
  if (opts.latest !== undefined) {
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.latest).execute();
    return rows.reverse().map(toMessageRecord);
  }
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toMessageRecord);
}

async function countMessages(db: Db, tenantId: string, conversationIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom('messages')
    .select((eb) => ['conversation_id', eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', 'in', conversationIds)
    .groupBy('conversation_id')
    .execute();
  for (const r of rows) out.set(r.conversation_id, Number(r.n));
  return out;
}

async function averageRatings(db: Db, tenantId: string, conversationIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (conversationIds.length === 0) return out;
  const rows = await db
    .selectFrom('message_feedback')
    .select((eb) => ['conversation_id', eb.fn.avg<number>('rating').as('avg')])
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', 'in', conversationIds)
    .where('rating', 'is not', null)
    .groupBy('conversation_id')
    .execute();
  for (const r of rows) if (r.avg !== null) out.set(r.conversation_id, Number(r.avg));
  return out;
}

/** A conversation's rows of `table`, oldest first. */
function inConversation(db: Db, table: 'transfers', tenantId: string, id: string): Promise<TransfersTable[]>;
function inConversation(
  db: Db,
  table: 'message_feedback',
  tenantId: string,
  id: string,
): Promise<MessageFeedbackTable[]>;
function inConversation(db: Db, table: 'transfers' | 'message_feedback', tenantId: string, conversationId: string) {
  return db
    .selectFrom(table)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

async function listTransfers(db: Db, tenantId: string, conversationId: string): Promise<Transfer[]> {
  return (await inConversation(db, 'transfers', tenantId, conversationId)).map(toTransfer);
}

async function listFeedback(db: Db, tenantId: string, conversationId: string): Promise<Feedback[]> {
  return (await inConversation(db, 'message_feedback', tenantId, conversationId)).map(toFeedback);
}

/** Display names of the tenant's users among `ids`. */
async function userNames(db: Db, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'first_name', 'last_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  for (const r of rows) out.set(r.id, [r.first_name, r.last_name].filter((p) => p && p.trim()).join(' ') || r.email);
  return out;
}

/** The read side of conversations: lists, a conversation's messages, transfers, feedback and agents' names. */
export function createConversationQueryRepo(db: Db) {
  return {
    list: (
      tenantId: string,
      filter: ConversationFilter,
      sort: ConversationSort,
      page: { limit: number; offset: number },
    ) => list(db, tenantId, filter, sort, page),
    listMessages: (tenantId: string, conversationId: string, opts?: { latest?: number; from?: string; to?: string }) =>
      listMessages(db, tenantId, conversationId, opts),
    countMessages: (tenantId: string, conversationIds: string[]) => countMessages(db, tenantId, conversationIds),
    averageRatings: (tenantId: string, conversationIds: string[]) => averageRatings(db, tenantId, conversationIds),
    listTransfers: (tenantId: string, conversationId: string) => listTransfers(db, tenantId, conversationId),
    listFeedback: (tenantId: string, conversationId: string) => listFeedback(db, tenantId, conversationId),
    userNames: (tenantId: string, ids: string[]) => userNames(db, tenantId, ids),
  };
}

export type ConversationQueryRepo = ReturnType<typeof createConversationQueryRepo>;
