import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ConversationsTable, MessageFeedbackTable, MessagesTable, TransfersTable } from '../../store/tables.js';

export type ConversationRow = ConversationsTable;
export type MessageRow = MessagesTable;
export type TransferRow = TransfersTable;
export type FeedbackRow = MessageFeedbackTable;

export interface ConversationFilter {
  status?: string;
  channel?: string;
  userId?: string;
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

export async function list(
  db: Db,
  tenantId: string,
  filter: ConversationFilter,
  sort: ConversationSort,
  page: { limit: number; offset: number },
): Promise<{ rows: ConversationRow[]; total: number }> {
  let q = db.selectFrom('conversations').where('conversations.tenant_id', '=', tenantId);
  if (filter.status) q = q.where('conversations.status', '=', filter.status);
  if (filter.channel) q = q.where('conversations.channel', '=', filter.channel);
  if (filter.userId) q = q.where('conversations.user_id', '=', filter.userId);
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
  const ordered =
    sort.by === 'last_activity'
      ? q.selectAll('conversations').orderBy(activity, sort.order)
      : q.selectAll('conversations').orderBy('conversations.created_at', sort.order);
  const [rows, count] = await Promise.all([
    ordered.orderBy('conversations.id', sort.order).limit(page.limit).offset(page.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findById(db: Db, tenantId: string, id: string): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Messages in time order; `latest` keeps only the last N; `from`/`to` are inclusive ISO bounds. */
export async function listMessages(
  db: Db,
  tenantId: string,
  conversationId: string,
  opts: { latest?: number; from?: string; to?: string } = {},
): Promise<MessageRow[]> {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId);
  if (opts.from) q = q.where('created_at', '>=', opts.from);
  if (opts.to) q = q.where('created_at', '<=', opts.to);
  if (opts.latest !== undefined) {
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.latest).execute();
    return rows.reverse();
  }
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function countMessages(db: Db, tenantId: string, conversationIds: string[]): Promise<Map<string, number>> {
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

export async function averageRatings(
  db: Db,
  tenantId: string,
  conversationIds: string[],
): Promise<Map<string, number>> {
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

export async function listTransfers(db: Db, tenantId: string, conversationId: string): Promise<TransferRow[]> {
  return db
    .selectFrom('transfers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listFeedback(db: Db, tenantId: string, conversationId: string): Promise<FeedbackRow[]> {
  return db
    .selectFrom('message_feedback')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Display names of the tenant's users among `ids`. */
export async function userNames(db: Db, tenantId: string, ids: string[]): Promise<Map<string, string>> {
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
