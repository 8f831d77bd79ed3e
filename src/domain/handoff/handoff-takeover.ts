import { newId } from '../../lib/ids.js';
import type { Conversation } from '../conversations/index.js';
import { AppError } from '../errors.js';
import type { AgentDeps } from './handoff-agent.js';
import { publishQuietly } from './handoff-open.js';
import { resolveNamedAgent } from './handoff-plan.js';
import { liveAgent } from './handoff-record.js';
import { createHandoffRepo } from './handoff.repo.js';

export interface TakenOver {
  transferId: string;
  conversationId: string;
  agent: { id: string; name: string } | null;
  at: string;
}

/**
 * A person takes the conversation: the open handoff is accepted by them (or, when the bot still has
 * it, a handoff is opened already accepted), the bot pauses and the conversation is with them.
 * `userId` null is the owner signed in through the owner link, who is no user of the team.
 */
export async function takeOver(
  deps: AgentDeps,
  tenantId: string,
  conversation: Conversation,
  userId: string | null,
): Promise<TakenOver> {
  if (conversation.status === 'closed')
    throw new AppError('CONFLICT', `Conversation '${conversation.id}' is closed; reopen it before taking it over`, {
      details: { conversation_status: 'closed' },
    });
  const agent = userId ? await resolveNamedAgent(deps, tenantId, userId) : undefined;
  const open = await deps.repo.findOpen(tenantId, conversation.id);
  const now = deps.clock.now();
  const at = now.toISOString();
  const transferId = open?.id ?? newId('transfer', now.getTime());
  await deps.store.transaction(async (tx) => {
    const repo = createHandoffRepo(tx.handle);
    if (open)
      await repo.update(tenantId, open.id, {
        status: 'accepted',
        acceptedAt: at,
        agentUserId: agent?.id ?? open.agentUserId,
      });
    else
      await repo.insert(tenantId, {
        id: transferId,
        conversationId: conversation.id,
        agentUserId: agent?.id ?? null,
        department: conversation.department,
        priority: conversation.priority ?? 'normal',
        reason: 'taken_over',
        note: null,
        briefing: { taken_over_by: userId ?? 'owner' },
        status: 'accepted',
        createdAt: at,
        acceptedAt: at,
        completedAt: null,
      });
    await tx.conversations.update(tenantId, conversation.id, {
      status: 'with_agent',
      botPaused: true,
      assignedAgentId: agent?.id ?? conversation.assignedAgentId,
      updatedAt: at,
    });
  });
  const agentView = liveAgent(agent);
  await publishQuietly(deps.live, {
    type: 'conversation.updated',
    tenantId,
    conversationId: conversation.id,
    at,
    data: { status: 'with_agent', bot_paused: true, transfer_id: transferId, change: 'taken_over', agent: agentView },
  });
  return { transferId, conversationId: conversation.id, agent: agentView, at };
}
