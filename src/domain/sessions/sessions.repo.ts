import type { Db } from '../../store/db.js';
import { reassignContactRows } from '../../store/contact-rows.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ChatSessionsTable } from '../../store/tables.js';
import type { HistoryEntry, SessionMeta, SessionPatch, SessionRecord } from './session-record.js';

const DEFAULT_META: SessionMeta = {
  timeout_minutes: 30,
  persist_context: true,
  token_hash: '',
  ended_at: null,
  extensions: [],
  custom: {},
};

function toRecord(r: ChatSessionsTable): SessionRecord {
  return {
    id: r.id,
    contactId: r.contact_id,
    userId: r.user_id,
    channel: r.channel,
    status: r.status,
    context: fromJson<Record<string, unknown>>(r.context, {}),
    history: fromJson<HistoryEntry[]>(r.history, []),
    meta: fromJson<SessionMeta>(r.metadata, { ...DEFAULT_META, extensions: [], custom: {} }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastActivityAt: r.last_activity_at,
    expiresAt: r.expires_at,
    mode: r.livemode === undefined || Boolean(r.livemode) ? 'live' : 'test',
  };
}

function toPatchRow(p: SessionPatch): Partial<ChatSessionsTable> {
  return {
    ...(p.contactId !== undefined ? { contact_id: p.contactId } : {}),
    ...(p.userId !== undefined ? { user_id: p.userId } : {}),
    ...(p.status !== undefined ? { status: p.status } : {}),
    ...(p.context !== undefined ? { context: toJson(p.context) } : {}),
    ...(p.history !== undefined ? { history: toJson(p.history) } : {}),
    ...(p.meta !== undefined ? { metadata: toJson(p.meta) } : {}),
    ...(p.updatedAt !== undefined ? { updated_at: p.updatedAt } : {}),
    ...(p.lastActivityAt !== undefined ? { last_activity_at: p.lastActivityAt } : {}),
    ...(p.expiresAt !== undefined ? { expires_at: p.expiresAt } : {}),
  };
}

function sessionRows(db: Db) {
  const byId = (tenantId: string, id: string) =>
    db.updateTable('chat_sessions').where('tenant_id', '=', tenantId).where('id', '=', id);
  return {
    async findById(tenantId: string, id: string): Promise<SessionRecord | undefined> {
      const row = await db
        .selectFrom('chat_sessions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async insert(tenantId: string, s: SessionRecord): Promise<void> {
      await db
        .insertInto('chat_sessions')
        .values({
          id: s.id,
          tenant_id: tenantId,
          contact_id: s.contactId,
          user_id: s.userId,
          channel: s.channel,
          status: s.status,
          context: toJson(s.context),
          history: toJson(s.history),
          metadata: toJson(s.meta),
          created_at: s.createdAt,
          updated_at: s.updatedAt,
          last_activity_at: s.lastActivityAt,
          expires_at: s.expiresAt,
          livemode: s.mode === 'live' ? 1 : 0,
        })
        .execute();
    },

    async update(tenantId: string, id: string, patch: SessionPatch): Promise<void> {
      await byId(tenantId, id).set(toPatchRow(patch)).execute();
    },

    /** Every session of `fromContactId` now belongs to `toContactId` (two contacts found to be one person). */
    reassignContact: (tenantId: string, fromContactId: string, toContactId: string) =>
      reassignContactRows(db, 'chat_sessions', tenantId, fromContactId, toContactId),

    /** Whether the same user had a session in this tenant before (a returning visitor). */
    async existsForUser(tenantId: string, userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('chat_sessions')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

/** What happened in a session's conversations (read from the conversation core's tables). */
function activityReads(db: Db) {
  return {
    /** Conversations started in the session and the messages in them. */
    async counts(tenantId: string, sessionId: string): Promise<{ conversations: number; messages: number }> {
      const row = await db
        .selectFrom('conversations')
        .select((eb) => [
          eb.fn.countAll<number>().as('conversations'),
          eb.fn.coalesce(eb.fn.sum<number>('message_count'), eb.val(0)).as('messages'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return { conversations: Number(row?.conversations ?? 0), messages: Number(row?.messages ?? 0) };
    },

    /** Intents of the customer's messages in the session's conversations, oldest first. */
    async intents(tenantId: string, sessionId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select('m.intent')
        .where('m.tenant_id', '=', tenantId)
        .where('c.tenant_id', '=', tenantId)
        .where('c.session_id', '=', sessionId)
        .where('m.direction', '=', 'inbound')
        .where('m.intent', 'is not', null)
        .orderBy('m.created_at')
        .orderBy('m.id')
        .execute();
      return rows.flatMap((r) => (r.intent ? [r.intent] : []));
    },
  };
}

/** The `chat_sessions` table: the sessions concept is its only writer. */
export function createSessionsRepo(db: Db) {
  return { ...sessionRows(db), ...activityReads(db) };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
