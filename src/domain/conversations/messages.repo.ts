import type { Db } from '../../store/db.js';
import type { MessageFeedbackTable, MessagesTable } from '../../store/tables.js';

export type MessageRow = MessagesTable;

export async function findById(db: Db, tenantId: string, id: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findByExternal(
  db: Db,
  tenantId: string,
  channel: string,
  externalId: string,
): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** By our id, else by the client's or platform's id on any channel (the oldest such message). */
export async function findByAnyId(db: Db, tenantId: string, id: string): Promise<MessageRow | undefined> {
  return (
    (await findById(db, tenantId, id)) ??
    (await db
      .selectFrom('messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('external_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst())
  );
}

/** Inserts; false when (tenant, channel, external id) is already stored: the platform sent it again. */
export async function insert(db: Db, tenantId: string, row: Omit<MessageRow, 'tenant_id'>): Promise<boolean> {
  const result = await db
    .insertInto('messages')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'channel', 'external_id']).where('external_id', 'is not', null).doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<MessageRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('messages').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** The outbound message that answered `messageId`. */
export async function findReply(db: Db, tenantId: string, messageId: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('reply_to_id', '=', messageId)
    .where('direction', '=', 'outbound')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** The customer's messages of a conversation, oldest first (what a lead is scored on). */
export async function listInboundTexts(db: Db, tenantId: string, conversationId: string): Promise<string[]> {
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
}

export async function insertFeedback(
  db: Db,
  tenantId: string,
  row: Omit<MessageFeedbackTable, 'tenant_id'>,
): Promise<void> {
  await db
    .insertInto('message_feedback')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

/** Moves a failed message back to `received`; false when another retry claimed it first (or it did not fail). */
export async function claimFailed(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'received', error: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
