import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ConversationsTable } from '../../store/tables.js';

export type ConversationRow = ConversationsTable;

export async function findById(db: Db, tenantId: string, id: string): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The contact's newest conversation on a channel that is not closed. */
export async function findOpenForContact(
  db: Db,
  tenantId: string,
  contactId: string,
  channel: string,
): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .where('channel', '=', channel)
    .where('status', '!=', 'closed')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Inserts; false when the id is taken (ids are global, so a client-chosen id may be anyone's). */
export async function insert(db: Db, tenantId: string, row: Omit<ConversationRow, 'tenant_id'>): Promise<boolean> {
  const result = await db
    .insertInto('conversations')
    .values({ ...row, tenant_id: tenantId })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<ConversationRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('conversations').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Counts one more message; an inbound one also moves `last_inbound_at` (WhatsApp's 24-hour window). */
export async function recordMessage(db: Db, tenantId: string, id: string, at: string, inbound: boolean): Promise<void> {
  await db
    .updateTable('conversations')
    .set({
      message_count: sql<number>`message_count + 1`,
      last_message_at: at,
      updated_at: at,
      ...(inbound ? { last_inbound_at: at } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
