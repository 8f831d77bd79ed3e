import type { Db } from '../../store/db.js';
import type { ChannelDeliveriesTable } from '../../store/tables.js';

export type DeliveryRow = ChannelDeliveriesTable;

/**
 * Every tenant's id, status and stored configuration, for the two inbound checks that name no key
 * of ours (Meta's subscription check, generic integrations' bearer token): they read across
 * tenants. Nothing else here does; the messaging webhooks find their tenant in `channel_routes`.
 */
export async function listTenantConfigs(db: Db): Promise<{ id: string; status: string; config: string }[]> {
  return db.selectFrom('tenants').select(['id', 'status', 'config']).execute();
}

/** Inserts unless the message already has a delivery; returns the row that stands. */
export async function insertDelivery(
  db: Db,
  tenantId: string,
  row: Omit<DeliveryRow, 'tenant_id'>,
): Promise<{ row: DeliveryRow; created: boolean }> {
  const inserted = await db
    .insertInto('channel_deliveries')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) => oc.columns(['tenant_id', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const existing = await findByMessage(db, tenantId, row.message_id);
  return { row: existing!, created: inserted !== undefined };
}

export async function findById(db: Db, tenantId: string, id: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('channel_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findByMessage(db: Db, tenantId: string, messageId: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('channel_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/** Moves a delivery from one of `from` to `to`; false when another worker (or the inline answer) got there first. */
export async function transition(
  db: Db,
  tenantId: string,
  id: string,
  from: string[],
  patch: Partial<Omit<DeliveryRow, 'id' | 'tenant_id'>> & { status: string },
): Promise<boolean> {
  const res = await db
    .updateTable('channel_deliveries')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<DeliveryRow, 'id' | 'tenant_id'>>,
): Promise<void> {
  await db
    .updateTable('channel_deliveries')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function setMessageStatus(
  db: Db,
  tenantId: string,
  messageId: string,
  patch: { status: string; error?: string | null; external_id?: string | null },
): Promise<void> {
  await db.updateTable('messages').set(patch).where('tenant_id', '=', tenantId).where('id', '=', messageId).execute();
}

/** Statuses only move forward (a late `delivered` never undoes `read`); `failed` always lands. */
const EARLIER: Record<string, string[]> = {
  sent: ['sent', 'processed'],
  delivered: ['sent', 'processed', 'delivered'],
  read: ['sent', 'processed', 'delivered', 'read'],
  failed: ['sent', 'processed', 'delivered', 'read', 'failed'],
};

/** Applies a platform's report to our outbound message with that platform id; returns whether one matched. */
export async function applyStatus(
  db: Db,
  tenantId: string,
  channel: string,
  externalId: string,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  error: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('messages')
    .set({ status, ...(status === 'failed' ? { error } : {}) })
    .where('tenant_id', '=', tenantId)
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .where('direction', '=', 'outbound')
    .where('status', 'in', EARLIER[status]!)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Messenger reports "everything up to this time": the messages we sent that recipient before it. */
export async function sentBefore(
  db: Db,
  tenantId: string,
  channel: string,
  recipient: string,
  before: string,
): Promise<string[]> {
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
}

export async function lastInboundAt(
  db: Db,
  tenantId: string,
  conversationId: string,
): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('conversations')
    .select('last_inbound_at')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
  return row ? row.last_inbound_at : undefined;
}

/** The outbound message the conversation core stored in answer to an inbound one. */
export async function findReply(
  db: Db,
  tenantId: string,
  inboundMessageId: string,
): Promise<{ id: string; conversation_id: string } | undefined> {
  return db
    .selectFrom('messages')
    .select(['id', 'conversation_id'])
    .where('tenant_id', '=', tenantId)
    .where('reply_to_id', '=', inboundMessageId)
    .where('direction', '=', 'outbound')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The contact's conversations not closed, on any channel: an integration's news is context for all of them. */
export async function openConversationsOf(
  db: Db,
  tenantId: string,
  contactId: string,
): Promise<{ id: string; context: string }[]> {
  return db
    .selectFrom('conversations')
    .select(['id', 'context'])
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .where('status', '!=', 'closed')
    .orderBy('created_at')
    .execute();
}

export async function setConversationContext(
  db: Db,
  tenantId: string,
  conversationId: string,
  context: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ context, updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .execute();
}
