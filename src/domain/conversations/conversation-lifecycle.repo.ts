import type { Db } from '../../store/db.js';
import type { ConversationsTable } from '../../store/tables.js';

export type LifecycleConversationRow = Pick<ConversationsTable, 'id' | 'status' | 'resolution' | 'closed_at'>;

export async function findConversation(
  db: Db,
  tenantId: string,
  id: string,
): Promise<LifecycleConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .select(['id', 'status', 'resolution', 'closed_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Moves a conversation out of `fromStatuses`; false when another request changed its status first. */
export async function transition(
  db: Db,
  tenantId: string,
  id: string,
  fromStatuses: readonly string[],
  patch: Partial<Pick<ConversationsTable, 'status' | 'bot_paused' | 'resolution' | 'closed_at' | 'updated_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set(patch)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', 'in', fromStatuses)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends every open transfer of a conversation: `completed` when an agent had accepted it, else `cancelled`. */
export async function endOpenTransfers(db: Db, tenantId: string, conversationId: string, at: string): Promise<void> {
  const base = db
    .updateTable('transfers')
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId);
  await base.set({ status: 'completed', completed_at: at }).where('status', '=', 'accepted').execute();
  await base.set({ status: 'cancelled', completed_at: at }).where('status', '=', 'queued').execute();
}
