import type { QuickReply } from '../../engine/dialog/dialog.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { MessagesTable } from '../../store/tables.js';
import type { MessageRecord } from './conversation-record.js';
import type { InboundMedia } from './inbound.js';

type MessageRow = MessagesTable;

export function toMessageRecord(r: MessageRow): MessageRecord {
  return {
    id: r.id,
    externalId: r.external_id,
    conversationId: r.conversation_id,
    channel: r.channel,
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    sender: r.sender,
    contentType: r.content_type,
    text: r.text,
    media: fromJson<InboundMedia[]>(r.media, []),
    quickReplies: fromJson<QuickReply[]>(r.quick_replies, []),
    intent: r.intent,
    confidence: r.confidence === null ? null : Number(r.confidence),
    sentiment: r.sentiment,
    status: r.status,
    error: r.error,
    metadata: fromJson<Record<string, unknown>>(r.metadata, {}),
    replyToId: r.reply_to_id,
    createdAt: r.created_at,
  };
}

/** Lists are stored only when they hold something; a bot reply keeps its (possibly empty) quick replies. */
function toRow(tenantId: string, m: MessageRecord): MessageRow {
  return {
    id: m.id,
    tenant_id: tenantId,
    conversation_id: m.conversationId,
    channel: m.channel,
    external_id: m.externalId,
    direction: m.direction,
    sender: m.sender,
    content_type: m.contentType,
    text: m.text,
    media: m.media.length > 0 ? toJson(m.media) : null,
    quick_replies: m.sender === 'bot' || m.quickReplies.length > 0 ? toJson(m.quickReplies) : null,
    intent: m.intent,
    confidence: m.confidence,
    sentiment: m.sentiment,
    status: m.status,
    error: m.error,
    metadata: toJson(m.metadata),
    reply_to_id: m.replyToId,
    created_at: m.createdAt,
  };
}

/** What a stored message's turn may change. */
export type MessagePatch = Partial<
  Pick<MessageRecord, 'text' | 'status' | 'error' | 'intent' | 'confidence' | 'sentiment' | 'metadata'>
>;

function toPatchRow(patch: MessagePatch): Partial<MessageRow> {
  const { metadata, ...plain } = patch;
  return { ...plain, ...(metadata !== undefined ? { metadata: toJson(metadata) } : {}) };
}

function messageReads(db: Db) {
  const findById = async (tenantId: string, id: string): Promise<MessageRecord | undefined> => {
    const row = await db
      .selectFrom('messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toMessageRecord(row);
  };
  return {
    findById,

    async findByExternal(tenantId: string, channel: string, externalId: string): Promise<MessageRecord | undefined> {
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('channel', '=', channel)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      return row && toMessageRecord(row);
    },

    /** By our id, else by the client's or platform's id on any channel (the oldest such message). */
    async findByAnyId(tenantId: string, id: string): Promise<MessageRecord | undefined> {
      const own = await findById(tenantId, id);
      if (own) return own;
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('external_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      return row && toMessageRecord(row);
    },

    /** The outbound message that answered `messageId`. */
    async findReply(tenantId: string, messageId: string): Promise<MessageRecord | undefined> {
      const row = await db
        .selectFrom('messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('reply_to_id', '=', messageId)
        .where('direction', '=', 'outbound')
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      return row && toMessageRecord(row);
    },

    /** The customer's messages of a conversation, oldest first (what a lead is scored on). */
    async listInboundTexts(tenantId: string, conversationId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('messages')
        .select('text')
        .where('tenant_id', '=', tenantId)
        .where('conversation_id', '=', conversationId)
        .where('direction', '=', 'inbound')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.text).filter((t) => t.length > 0);
    },
  };
}

/** What a platform reports of a message we sent. */
export type PlatformStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Statuses only move forward (a late `delivered` never undoes `read`); `failed` always lands. */
const EARLIER: Record<PlatformStatus, string[]> = {
  sent: ['sent', 'processed'],
  delivered: ['sent', 'processed', 'delivered'],
  read: ['sent', 'processed', 'delivered', 'read'],
  failed: ['sent', 'processed', 'delivered', 'read', 'failed'],
};

interface FeedbackRow {
  id: string;
  conversationId: string;
  messageId: string;
  rating: number | null;
  helpful: boolean | null;
  comment: string | null;
  createdAt: string;
}

async function insertFeedbackRow(db: Db, tenantId: string, f: FeedbackRow): Promise<void> {
  await db
    .insertInto('message_feedback')
    .values({
      id: f.id,
      tenant_id: tenantId,
      conversation_id: f.conversationId,
      message_id: f.messageId,
      rating: f.rating,
      helpful: f.helpful === null ? null : f.helpful ? 1 : 0,
      comment: f.comment,
      created_at: f.createdAt,
    })
    .execute();
}

function messageWrites(db: Db) {
  const byId = (tenantId: string, id: string) =>
    db.updateTable('messages').where('tenant_id', '=', tenantId).where('id', '=', id);

  return {
    /** Inserts; false when (tenant, channel, external id) is already stored: the platform sent it again. */
    async insert(tenantId: string, message: MessageRecord): Promise<boolean> {
      // A message is of its conversation's mode, whoever writes it (customer, bot, agent).
      const result = await db
        .insertInto('messages')
        .values((eb) => ({
          ...toRow(tenantId, message),
          livemode: eb.fn.coalesce(
            eb
              .selectFrom('conversations')
              .select('livemode')
              .where('tenant_id', '=', tenantId)
              .where('id', '=', message.conversationId),
            eb.lit(true),
          ),
        }))
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'channel', 'external_id']).where('external_id', 'is not', null).doNothing(),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async update(tenantId: string, id: string, patch: MessagePatch): Promise<void> {
      await byId(tenantId, id).set(toPatchRow(patch)).execute();
    },

    /** What became of an outbound message on its platform, and the platform's id for it. */
    async setStatus(
      tenantId: string,
      id: string,
      patch: { status: string; error?: string | null; externalId?: string | null },
    ): Promise<void> {
      const { externalId, ...rest } = patch;
      await byId(tenantId, id)
        .set({ ...rest, ...(externalId !== undefined ? { external_id: externalId } : {}) })
        .execute();
    },

    /** Applies a platform's report to our outbound message with that platform id; returns whether one matched. */
    async applyPlatformStatus(
      tenantId: string,
      channel: string,
      externalId: string,
      status: PlatformStatus,
      error: string | null,
    ): Promise<boolean> {
      const res = await db
        .updateTable('messages')
        .set({ status, ...(status === 'failed' ? { error } : {}) })
        .where('tenant_id', '=', tenantId)
        .where('channel', '=', channel)
        .where('external_id', '=', externalId)
        .where('direction', '=', 'outbound')
        .where('status', 'in', EARLIER[status])
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    /** Moves a failed message back to `received`; false when another retry claimed it first (or it did not fail). */
    async claimFailed(tenantId: string, id: string): Promise<boolean> {
      const result = await byId(tenantId, id)
        .set({ status: 'received', error: null })
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    insertFeedback: (tenantId: string, f: FeedbackRow) => insertFeedbackRow(db, tenantId, f),
  };
}

/** The `messages` and `message_feedback` tables: the conversation core is their only writer. */
export function createMessagesRepo(db: Db) {
  return { ...messageReads(db), ...messageWrites(db) };
}

export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
