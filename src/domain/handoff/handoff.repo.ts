import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { TransfersTable, UsersTable } from '../../store/tables.js';
import type { Agent, HandoffRow } from './handoff-record.js';

/** A handoff that still occupies an agent or the queue. */
const OPEN_STATUSES = ['queued', 'accepted'] as const;

const agentColumns = [
  'id',
  'email',
  'first_name',
  'last_name',
  'department',
  'status',
  'permissions',
] as const satisfies readonly (keyof UsersTable)[];

function toAgent(u: Pick<UsersTable, (typeof agentColumns)[number]>): Agent {
  return {
    id: u.id,
    email: u.email,
    firstName: u.first_name,
    lastName: u.last_name,
    department: u.department,
    status: u.status,
    permissions: fromJson<string[]>(u.permissions, []),
  };
}

function toHandoff(r: TransfersTable): HandoffRow {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    agentUserId: r.agent_user_id,
    department: r.department,
    priority: r.priority,
    status: r.status,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
    completedAt: r.completed_at,
  };
}

type HandoffChange = Partial<Pick<HandoffRow, 'agentUserId' | 'status' | 'acceptedAt' | 'completedAt'>>;

/** The `transfers` table (one row per handoff): the handoff concept is its only writer. */
function handoffWrites(db: Db) {
  const byConversation = (tenantId: string, conversationId: string) =>
    db.updateTable('transfers').where('tenant_id', '=', tenantId).where('conversation_id', '=', conversationId);
  return {
    async insert(
      tenantId: string,
      h: HandoffRow & { reason: string; note: string | null; briefing: unknown },
    ): Promise<void> {
      await db
        .insertInto('transfers')
        .values({
          id: h.id,
          tenant_id: tenantId,
          conversation_id: h.conversationId,
          agent_user_id: h.agentUserId,
          department: h.department,
          priority: h.priority,
          reason: h.reason,
          note: h.note,
          briefing: toJson(h.briefing),
          status: h.status,
          created_at: h.createdAt,
          accepted_at: h.acceptedAt,
          completed_at: h.completedAt,
        })
        .execute();
    },

    async update(tenantId: string, id: string, change: HandoffChange): Promise<void> {
      await db
        .updateTable('transfers')
        .set({
          ...(change.agentUserId !== undefined ? { agent_user_id: change.agentUserId } : {}),
          ...(change.status !== undefined ? { status: change.status } : {}),
          ...(change.acceptedAt !== undefined ? { accepted_at: change.acceptedAt } : {}),
          ...(change.completedAt !== undefined ? { completed_at: change.completedAt } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    /** Ends every open handoff of a conversation: `completed` when an agent had accepted it, else `cancelled`. */
    async endOpen(tenantId: string, conversationId: string, at: string): Promise<void> {
      await byConversation(tenantId, conversationId)
        .set({ status: 'completed', completed_at: at })
        .where('status', '=', 'accepted')
        .execute();
      await byConversation(tenantId, conversationId)
        .set({ status: 'cancelled', completed_at: at })
        .where('status', '=', 'queued')
        .execute();
    },
  };
}

function handoffReads(db: Db) {
  return {
    /** One handoff with what it was opened for, for the notices sent after it. */
    async findById(
      tenantId: string,
      id: string,
    ): Promise<(HandoffRow & { reason: string | null; briefing: Record<string, unknown> }) | undefined> {
      const row = await db
        .selectFrom('transfers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return (
        row && { ...toHandoff(row), reason: row.reason, briefing: fromJson<Record<string, unknown>>(row.briefing, {}) }
      );
    },

    async findOpen(tenantId: string, conversationId: string): Promise<HandoffRow | undefined> {
      const row = await db
        .selectFrom('transfers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('conversation_id', '=', conversationId)
        .where('status', 'in', OPEN_STATUSES)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row && toHandoff(row);
    },

    /** Open handoffs of one routing pool: one agent's, else one department's unassigned queue, else the tenant's. */
    async listOpenInPool(
      tenantId: string,
      pool: { agentUserId: string | null; department: string | null },
    ): Promise<{ id: string; priority: string }[]> {
      let q = db
        .selectFrom('transfers')
        .select(['id', 'priority'])
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', OPEN_STATUSES);
      if (pool.agentUserId !== null) q = q.where('agent_user_id', '=', pool.agentUserId);
      else {
        q = q.where('agent_user_id', 'is', null);
        q = pool.department === null ? q.where('department', 'is', null) : q.where('department', '=', pool.department);
      }
      return q.execute();
    },

    /** The latest completed handoffs, for the average handling time. */
    async listRecentCompleted(tenantId: string, limit: number) {
      const rows = await db
        .selectFrom('transfers')
        .select(['created_at', 'accepted_at', 'completed_at'])
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'completed')
        .where('completed_at', 'is not', null)
        .orderBy('completed_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ createdAt: r.created_at, acceptedAt: r.accepted_at, completedAt: r.completed_at }));
    },

    /** Open handoffs assigned to each of `userIds`. */
    async openLoadByAgent(tenantId: string, userIds: string[]): Promise<Map<string, number>> {
      const load = new Map<string, number>(userIds.map((id) => [id, 0]));
      if (userIds.length === 0) return load;
      const rows = await db
        .selectFrom('transfers')
        .select((eb) => ['agent_user_id', eb.fn.countAll<number>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', OPEN_STATUSES)
        .where('agent_user_id', 'in', userIds)
        .groupBy('agent_user_id')
        .execute();
      for (const r of rows) if (r.agent_user_id !== null) load.set(r.agent_user_id, Number(r.n));
      return load;
    },
  };
}

/** Who may take a handoff, and where the customer is on the conversation's platform (read from their owners' tables). */
function peopleReads(db: Db) {
  return {
    async findUser(tenantId: string, userId: string): Promise<Agent | undefined> {
      const row = await db
        .selectFrom('users')
        .select(agentColumns)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return row && toAgent(row);
    },

    /** The tenant's users of one department (case-insensitive match), oldest first. */
    async listDepartmentUsers(tenantId: string, department: string): Promise<Agent[]> {
      const rows = await db
        .selectFrom('users')
        .select(agentColumns)
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb(eb.fn('lower', ['department']), '=', department.toLowerCase()))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toAgent);
    },

    /** The platform id the conversation's contact has on `channel`, when the conversation core linked one. */
    async findPlatformUserId(tenantId: string, contactId: string, channel: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('contact_identities')
        .select('platform_user_id')
        .where('tenant_id', '=', tenantId)
        .where('contact_id', '=', contactId)
        .where('channel', '=', channel)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return row?.platform_user_id;
    },
  };
}

export function createHandoffRepo(db: Db) {
  return { ...handoffReads(db), ...handoffWrites(db), ...peopleReads(db) };
}

export type HandoffRepo = ReturnType<typeof createHandoffRepo>;
