import type { Db } from '../../store/db.js';

/** True when the conversation exists and belongs to the tenant. */
export async function conversationExists(db: Db, tenantId: string, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .executeTakeFirst();
  return row !== undefined;
}
