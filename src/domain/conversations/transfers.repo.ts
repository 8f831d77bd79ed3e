import type { Db } from '../../store/db.js';
import type { ConversationsTable, MessagesTable, TransfersTable, UsersTable } from '../../store/tables.js';

export type TransferRow = TransfersTable;
export type HandoffConversationRow = ConversationsTable;
export type AgentRow = Pick<
  UsersTable,
  'id' | 'email' | 'first_name' | 'last_name' | 'department' | 'role' | 'status' | 'permissions' | 'created_at'
>;

/** A transfer that still occupies an agent or the queue. */
export const OPEN_TRANSFER_STATUSES = ['queued', 'accepted'] as const;

const agentColumns = [
  'id',
  'email',
  'first_name',
  'last_name',
  'department',
  'role',
  'status',
  'permissions',
  'created_at',
] as const;

export async function findConversation(
  db: Db,
  tenantId: string,
  id: string,
): Promise<HandoffConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateConversation(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<HandoffConversationRow, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('conversations').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Counts an outbound message on its conversation, as the conversation core does for its own. */
export async function countMessage(db: Db, tenantId: string, conversationId: string, at: string): Promise<void> {
  await db
    .updateTable('conversations')
    .set((eb) => ({ message_count: eb('message_count', '+', 1), last_message_at: at, updated_at: at }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conversationId)
    .execute();
}

export async function insertMessage(db: Db, tenantId: string, row: Omit<MessagesTable, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('messages')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function updateMessageStatus(
  db: Db,
  tenantId: string,
  id: string,
  status: string,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('messages')
    .set({ status, error })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

export async function findOpenTransfer(
  db: Db,
  tenantId: string,
  conversationId: string,
): Promise<TransferRow | undefined> {
  return db
    .selectFrom('transfers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .where('status', 'in', OPEN_TRANSFER_STATUSES)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertTransfer(db: Db, tenantId: string, row: Omit<TransferRow, 'tenant_id'>): Promise<void> {
  await db
    .insertInto('transfers')
    .values({ ...row, tenant_id: tenantId })
    .execute();
}

export async function updateTransfer(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<Omit<TransferRow, 'id' | 'tenant_id' | 'conversation_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('transfers').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Open transfers of one routing pool: one agent's, else one department's unassigned queue, else the tenant's. */
export async function listOpenInPool(
  db: Db,
  tenantId: string,
  pool: { agentUserId: string | null; department: string | null },
): Promise<Pick<TransferRow, 'id' | 'priority' | 'created_at'>[]> {
  let q = db
    .selectFrom('transfers')
    .select(['id', 'priority', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', OPEN_TRANSFER_STATUSES);
  if (pool.agentUserId !== null) q = q.where('agent_user_id', '=', pool.agentUserId);
  else {
    q = q.where('agent_user_id', 'is', null);
    q = pool.department === null ? q.where('department', 'is', null) : q.where('department', '=', pool.department);
  }
  return q.execute();
}

/** The latest completed transfers, for the average handling time. */
export async function listRecentCompleted(
  db: Db,
  tenantId: string,
  limit: number,
): Promise<Pick<TransferRow, 'created_at' | 'accepted_at' | 'completed_at'>[]> {
  return db
    .selectFrom('transfers')
    .select(['created_at', 'accepted_at', 'completed_at'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'completed')
    .where('completed_at', 'is not', null)
    .orderBy('completed_at', 'desc')
    .limit(limit)
    .execute();
}

export async function findUser(db: Db, tenantId: string, userId: string): Promise<AgentRow | undefined> {
  return db
    .selectFrom('users')
    .select(agentColumns)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** The tenant's users of one department (case-insensitive match), oldest first. */
export async function listDepartmentUsers(db: Db, tenantId: string, department: string): Promise<AgentRow[]> {
  return db
    .selectFrom('users')
    .select(agentColumns)
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb(eb.fn('lower', ['department']), '=', department.toLowerCase()))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Open transfers assigned to each of `userIds`. */
export async function openLoadByAgent(db: Db, tenantId: string, userIds: string[]): Promise<Map<string, number>> {
  const load = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return load;
  const rows = await db
    .selectFrom('transfers')
    .select((eb) => ['agent_user_id', eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', 'in', OPEN_TRANSFER_STATUSES)
    .where('agent_user_id', 'in', userIds)
    .groupBy('agent_user_id')
    .execute();
  for (const r of rows) if (r.agent_user_id !== null) load.set(r.agent_user_id, Number(r.n));
  return load;
}

/** The platform id the conversation's contact has on `channel`, when the conversation core linked one. */
export async function findPlatformUserId(
  db: Db,
  tenantId: string,
  contactId: string,
  channel: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('contact_identities')
    .select('platform_user_id')
    .where('tenant_id', '=', tenantId)
    .where('contact_id', '=', contactId)
    .where('channel', '=', channel)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.platform_user_id;
}
