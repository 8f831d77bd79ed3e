import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Conversation, HandoffPriority, HandoffRequest } from '../conversations/index.js';
import { AppError, invalid } from '../errors.js';
import { agentName, type Agent, type HandoffPlan } from './handoff-record.js';
import type { HandoffRepo } from './handoff.repo.js';

/** Used for the wait estimate until the tenant has completed handoffs: spec D's example answers 5 minutes. */
export const DEFAULT_HANDLING_SECONDS = 300;
/** The average handling time is taken over this many most recent completed handoffs. */
export const HANDLING_SAMPLE = 50;

const PRIORITY_RANK: Record<HandoffPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
/** Only users who may answer conversations take handoffs; an invitation not yet accepted still counts (no acceptance flow exists). */
const AGENT_STATUSES = new Set(['active', 'invited']);

function isAgent(user: Agent): boolean {
  return AGENT_STATUSES.has(user.status) && user.permissions.includes('conversations:write');
}

const readable = (label: string) => label.replace(/[_-]+/g, ' ').trim();

/** Mean seconds from acceptance (or creation, when never accepted) to completion. */
export function averageHandlingSeconds(
  rows: { createdAt: string; acceptedAt: string | null; completedAt: string | null }[],
): number {
  const spans = rows
    .filter((r) => r.completedAt !== null)
    .map((r) => (Date.parse(r.completedAt!) - Date.parse(r.acceptedAt ?? r.createdAt)) / 1000)
    .filter((s) => Number.isFinite(s) && s >= 0);
  if (spans.length === 0) return DEFAULT_HANDLING_SECONDS;
  return Math.round(spans.reduce((a, b) => a + b, 0) / spans.length);
}

function customerMessage(agent: Agent | undefined, department: string | null, position: number, waitSeconds: number) {
  const team = department ? `our ${readable(department)} team` : 'our team';
  const who = agent ? `${agent.firstName?.trim() || agentName(agent)} from ${team}` : `a member of ${team}`;
  const wait =
    position <= 1 && waitSeconds === 0
      ? 'They will be with you shortly.'
      : `You are number ${position} in the queue. Estimated wait time: ${Math.max(1, Math.ceil(waitSeconds / 60))} minutes.`;
  return `I'm connecting you with ${who}. ${wait}`;
}

export interface PlanDeps {
  repo: HandoffRepo;
  clock: Clock;
}

/** A user named to take a conversation: must exist in the tenant and be able to answer. */
export async function resolveNamedAgent(deps: PlanDeps, tenantId: string, userId: string): Promise<Agent> {
  const user = await deps.repo.findUser(tenantId, userId);
  if (!user)
    throw invalid([
      { field: 'agent_id', issue: 'no user with this id in this tenant', type: 'not_found', value: userId },
    ]);
  if (!isAgent(user))
    throw invalid([
      {
        field: 'agent_id',
        issue: 'this user cannot take conversations (needs the conversations:write permission and an active account)',
        type: 'invalid',
        value: userId,
      },
    ]);
  return user;
}

/** The department's agent with the fewest open handoffs; ties go to the longest-standing user. */
async function leastBusy(deps: PlanDeps, tenantId: string, department: string): Promise<Agent | undefined> {
  const agents = (await deps.repo.listDepartmentUsers(tenantId, department)).filter(isAgent);
  const load = await deps.repo.openLoadByAgent(
    tenantId,
    agents.map((a) => a.id),
  );
  let best: Agent | undefined;
  for (const agent of agents) if (!best || (load.get(agent.id) ?? 0) < (load.get(best.id) ?? 0)) best = agent;
  return best;
}

/** Everything a handoff needs, read before anything is written (the queue position, the customer's notice). */
export async function planHandoff(
  deps: PlanDeps,
  tenantId: string,
  request: HandoffRequest,
  conversation: Conversation,
): Promise<Omit<HandoffPlan, 'waitLimitMinutes'>> {
  if (conversation.status === 'closed')
    throw new AppError('CONFLICT', `Conversation '${conversation.id}' is closed; reopen it before transferring it`, {
      details: { conversation_status: 'closed' },
    });
  const agent = request.agentUserId
    ? await resolveNamedAgent(deps, tenantId, request.agentUserId)
    : request.department
      ? await leastBusy(deps, tenantId, request.department)
      : undefined;
  const department = request.department ?? agent?.department ?? null;
  const previous = await deps.repo.findOpen(tenantId, conversation.id);
  // Ahead: open handoffs of the same pool with a higher priority, or the same one and queued earlier (all of them are).
  const pool = await deps.repo.listOpenInPool(tenantId, {
    agentUserId: agent?.id ?? null,
    department: agent ? null : department,
  });
  const rank = PRIORITY_RANK[request.priority];
  const ahead = pool.filter(
    (t) => t.id !== previous?.id && (PRIORITY_RANK[t.priority as HandoffPriority] ?? PRIORITY_RANK.normal) >= rank,
  ).length;
  const handling = averageHandlingSeconds(await deps.repo.listRecentCompleted(tenantId, HANDLING_SAMPLE));
  const waitSeconds = ahead * handling;
  const position = ahead + 1;
  const now = deps.clock.now();
  return {
    request,
    conversation,
    agent,
    department,
    previousId: previous?.id ?? null,
    position,
    waitSeconds,
    handling,
    text: customerMessage(agent, department, position, waitSeconds),
    at: now.toISOString(),
    transferId: newId('transfer', now.getTime()),
    messageId: newId('msg', now.getTime()),
  };
}
