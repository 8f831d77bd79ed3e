import { sql } from 'kysely';
import { initialState, type ConversationState } from '../../engine/dialog/dialog.js';
import type { Db } from '../../store/db.js';
import { reassignContactRows } from '../../store/contact-rows.js';
import type { DataMode } from '../actor.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ConversationsTable } from '../../store/tables.js';
import { NO_QA, type Conversation, type ConversationPatch, type ConversationQa } from './conversation-record.js';

type ConversationRow = ConversationsTable;

export function toConversation(r: ConversationRow): Conversation {
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
    qa: { ...NO_QA, ...fromJson<Partial<ConversationQa>>(r.qa ?? null, {}) },
    mode: r.livemode === undefined || Boolean(r.livemode) ? 'live' : 'test',
  };
}

const COLUMNS: { [K in keyof ConversationPatch]-?: keyof ConversationRow } = {
  sessionId: 'session_id',
  status: 'status',
  botPaused: 'bot_paused',
  state: 'state',
  context: 'context',
  assignedAgentId: 'assigned_agent_id',
  department: 'department',
  priority: 'priority',
  currentIntent: 'current_intent',
  sentiment: 'sentiment',
  leadId: 'lead_id',
  resolution: 'resolution',
  closedAt: 'closed_at',
  qa: 'qa',
  updatedAt: 'updated_at',
};

function toPatchRow(patch: ConversationPatch): Partial<ConversationRow> {
  const row: Partial<Record<keyof ConversationRow, unknown>> = {};
  for (const [key, value] of Object.entries(patch) as [keyof ConversationPatch, unknown][]) {
    if (value === undefined) continue;
    row[COLUMNS[key]] =
      key === 'botPaused'
        ? value
          ? 1
          : 0
        : key === 'state' || key === 'context' || key === 'qa'
          ? toJson(value)
          : value;
  }
  return row as Partial<ConversationRow>;
}

/** A new conversation's row: no messages yet. */
function toNewRow(tenantId: string, c: Conversation): ConversationRow {
  return {
    id: c.id,
    tenant_id: tenantId,
    contact_id: c.contactId,
    session_id: c.sessionId,
    user_id: c.userId,
    channel: c.channel,
    status: c.status,
    bot_paused: c.botPaused ? 1 : 0,
    state: toJson(c.state),
    context: toJson(c.context),
    assigned_agent_id: c.assignedAgentId,
    department: c.department,
    priority: c.priority,
    current_intent: c.currentIntent,
    sentiment: c.sentiment,
    lead_id: c.leadId,
    summary: c.summary,
    resolution: c.resolution,
    message_count: 0,
    last_inbound_at: null,
    last_message_at: null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    closed_at: c.closedAt,
    qa: toJson(c.qa),
    livemode: c.mode === 'live' ? 1 : 0,
  };
}

/** The `conversations` table: the conversation core is its only writer. */
export function createConversationsRepo(db: Db) {
  const byId = (tenantId: string, id: string) =>
    db.updateTable('conversations').where('tenant_id', '=', tenantId).where('id', '=', id);
  const scoped = (tenantId: string) => db.selectFrom('conversations').where('tenant_id', '=', tenantId);

  return {
    async findById(tenantId: string, id: string): Promise<Conversation | undefined> {
      const row = await scoped(tenantId).selectAll().where('id', '=', id).executeTakeFirst();
      return row && toConversation(row);
    },

    /** When the customer last wrote; null before that, undefined when there is no such conversation. */
    async lastInboundAt(tenantId: string, id: string): Promise<string | null | undefined> {
      const row = await scoped(tenantId).select('last_inbound_at').where('id', '=', id).executeTakeFirst();
      return row ? row.last_inbound_at : undefined;
    },

    /** The contact's newest conversation of the mode on a channel that is not closed. */
    async findOpenForContact(
      tenantId: string,
      mode: DataMode,
      contactId: string,
      channel: string,
    ): Promise<Conversation | undefined> {
      const row = await scoped(tenantId)
        .selectAll()
        .where('livemode', '=', mode === 'live' ? 1 : 0)
        .where('contact_id', '=', contactId)
        .where('channel', '=', channel)
        .where('status', '!=', 'closed')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row && toConversation(row);
    },

    /** Inserts; false when the id is taken (ids are global, so a client-chosen id may be anyone's). */
    async insert(tenantId: string, conversation: Conversation): Promise<boolean> {
      const result = await db
        .insertInto('conversations')
        .values(toNewRow(tenantId, conversation))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async update(tenantId: string, id: string, patch: ConversationPatch): Promise<void> {
      const row = toPatchRow(patch);
      if (Object.keys(row).length > 0) await byId(tenantId, id).set(row).execute();
    },

    /** Moves a conversation out of `fromStatuses`; false when another request changed its status first. */
    async transition(
      tenantId: string,
      id: string,
      fromStatuses: readonly string[],
      patch: ConversationPatch,
    ): Promise<boolean> {
      const result = await byId(tenantId, id)
        .set(toPatchRow(patch))
        .where('status', 'in', fromStatuses)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Counts one more message; an inbound one also moves `last_inbound_at` (WhatsApp's 24-hour window). */
    async recordMessage(tenantId: string, id: string, at: string, inbound: boolean): Promise<void> {
      await byId(tenantId, id)
        .set({
          message_count: sql<number>`message_count + 1`,
          last_message_at: at,
          updated_at: at,
          ...(inbound ? { last_inbound_at: at } : {}),
        })
        .execute();
    },

    /** Every conversation of `fromContactId` now belongs to `toContactId` (two contacts found to be one person). */
    reassignContact: (tenantId: string, fromContactId: string, toContactId: string) =>
      reassignContactRows(db, 'conversations', tenantId, fromContactId, toContactId),
  };
}

export type ConversationsRepo = ReturnType<typeof createConversationsRepo>;
