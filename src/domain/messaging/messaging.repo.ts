import type { QuickReplyOption } from '../../providers/messaging/messaging.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ChannelDeliveriesTable } from '../../store/tables.js';

/** `channel_deliveries` rows, which only messaging writes. Every function takes the tenant first and filters by it. */

/** One outbound platform message and where its sending stands. */
export interface ChannelDeliveryRecord {
  id: string;
  messageId: string;
  conversationId: string;
  channel: string;
  recipient: string;
  replyTo: string | null;
  text: string;
  quickReplies: QuickReplyOption[];
  /** Platform specifics from the inbound side (a slash command's response_url, the number written to). */
  context: Record<string, unknown>;
  /** `pending`, `sending`, `sent`, `inline`, `outbox`, `held`, `failed`. */
  status: string;
  kind: string | null;
  request: unknown;
  externalId: string | null;
  attempts: number;
  reason: string | null;
  sentAt: string | null;
  dueAt: string | null;
}

export type NewDelivery = Pick<
  ChannelDeliveryRecord,
  'id' | 'messageId' | 'conversationId' | 'channel' | 'recipient' | 'replyTo' | 'text' | 'quickReplies' | 'context'
>;

/** What a step of a delivery changes; `request` is stored as JSON. */
export interface DeliveryPatch {
  status?: string;
  attempts?: number;
  kind?: string;
  request?: unknown;
  externalId?: string;
  reason?: string | null;
  sentAt?: string;
  /** When quiet hours hold the delivery back: its next attempt; null once it goes. */
  dueAt?: string | null;
  updatedAt: string;
}

type Row = ChannelDeliveriesTable;

function toRecord(row: Row): ChannelDeliveryRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    conversationId: row.conversation_id,
    channel: row.channel,
    recipient: row.recipient,
    replyTo: row.reply_to,
    text: row.text,
    quickReplies: fromJson<QuickReplyOption[]>(row.quick_replies, []),
    context: fromJson<Record<string, unknown>>(row.context, {}),
    status: row.status,
    kind: row.kind,
    request: fromJson<unknown>(row.request, null),
    externalId: row.external_id,
    attempts: row.attempts,
    reason: row.reason,
    sentAt: row.sent_at,
    dueAt: row.due_at,
  };
}

function toPatch(patch: DeliveryPatch): Partial<Row> {
  return {
    updated_at: patch.updatedAt,
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.attempts !== undefined ? { attempts: patch.attempts } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.request !== undefined ? { request: toJson(patch.request) } : {}),
    ...(patch.externalId !== undefined ? { external_id: patch.externalId } : {}),
    ...(patch.reason !== undefined ? { reason: patch.reason } : {}),
    ...(patch.sentAt !== undefined ? { sent_at: patch.sentAt } : {}),
    ...(patch.dueAt !== undefined ? { due_at: patch.dueAt } : {}),
  };
}

/** Inserts unless the message already has a delivery; `findByMessage` reads the delivery that stands. */
async function insertDelivery(
  db: Db,
  tenantId: string,
  d: NewDelivery,
  at: string,
  findByMessage: (tenantId: string, messageId: string) => Promise<ChannelDeliveryRecord | undefined>,
): Promise<{ delivery: ChannelDeliveryRecord; created: boolean }> {
  const inserted = await db
    .insertInto('channel_deliveries')
    .values({
      id: d.id,
      tenant_id: tenantId,
      message_id: d.messageId,
      conversation_id: d.conversationId,
      channel: d.channel,
      recipient: d.recipient,
      reply_to: d.replyTo,
      text: d.text,
      quick_replies: toJson(d.quickReplies),
      context: toJson(d.context),
      status: 'pending',
      kind: null,
      request: null,
      external_id: null,
      attempts: 0,
      reason: null,
      created_at: at,
      updated_at: at,
      sent_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return { delivery: (await findByMessage(tenantId, d.messageId))!, created: inserted !== undefined };
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;

export function createDeliveriesRepo(db: Db) {
  const findByMessage = async (tenantId: string, messageId: string): Promise<ChannelDeliveryRecord | undefined> => {
    const row = await db
      .selectFrom('channel_deliveries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row && toRecord(row);
  };
  return {
    findByMessage,

    /** Inserts unless the message already has a delivery; returns the delivery that stands. */
    insert: (tenantId: string, d: NewDelivery, at: string) => insertDelivery(db, tenantId, d, at, findByMessage),

    async findById(tenantId: string, id: string): Promise<ChannelDeliveryRecord | undefined> {
      const row = await db
        .selectFrom('channel_deliveries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** Moves a delivery from one of `from`; false when another worker (or the inline answer) got there first. */
    async transition(tenantId: string, id: string, from: string[], patch: DeliveryPatch): Promise<boolean> {
      const res = await db
        .updateTable('channel_deliveries')
        .set(toPatch(patch))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async update(tenantId: string, id: string, patch: DeliveryPatch): Promise<void> {
      await db
        .updateTable('channel_deliveries')
        .set(toPatch(patch))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** Messenger reports "everything up to this time": the platform ids of what we sent that recipient before it. */
    async sentBefore(tenantId: string, channel: string, recipient: string, before: string): Promise<string[]> {
      const rows = await db
        .selectFrom('channel_deliveries')
        .select('external_id')
        .where('tenant_id', '=', tenantId)
        .where('channel', '=', channel)
        .where('recipient', '=', recipient)
        .where('status', '=', 'sent')
        .where('sent_at', '<=', before)
        .where('external_id', 'is not', null)
        .execute();
      return rows.map((r) => r.external_id!);
    },
  };
}
