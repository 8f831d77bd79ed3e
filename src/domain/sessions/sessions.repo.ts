import type { Db } from '../../store/db.js';
import type { ChatSessionsTable } from '../../store/tables.js';

export type SessionRow = ChatSessionsTable;

export async function findById(db: Db, tenantId: string, id: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('chat_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insert(db: Db, tenantId: string, row: Omit<SessionRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('chat_sessions')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<SessionRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('chat_sessions').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Whether the same user had a session in this tenant before (a returning visitor). */
export async function existsForUser(db: Db, tenantId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('chat_sessions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Conversations started in the session and the messages in them. */
export async function counts(
  db: Db,
  tenantId: string,
  sessionId: string,
): Promise<{ conversations: number; messages: number }> {
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
}

/** Intents of the customer's messages in the session's conversations, oldest first. */
export async function intents(db: Db, tenantId: string, sessionId: string): Promise<string[]> {
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
}
