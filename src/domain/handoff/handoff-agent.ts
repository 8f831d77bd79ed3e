import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Conversation } from '../conversations/index.js';
import { AppError } from '../errors.js';
import type { LiveBus } from '../live/index.js';
import { deliverToPlatform, outboundText, type DeliveryDeps } from './handoff-delivery.js';
import { publishQuietly } from './handoff-open.js';
import { resolveNamedAgent } from './handoff-plan.js';
import { liveAgent, type AgentMessageInput, type AgentMessageSent } from './handoff-record.js';
import { createHandoffRepo } from './handoff.repo.js';

export interface AgentDeps extends DeliveryDeps {
  clock: Clock;
  live: LiveBus;
}

/** Ends the human's turn: the open handoff completes and the bot answers again. */
export async function handBack(deps: AgentDeps, tenantId: string, conversation: Conversation): Promise<void> {
  const conversationId = conversation.id;
  const open = await deps.repo.findOpen(tenantId, conversationId);
  if (!open && !conversation.botPaused)
    throw new AppError(
      'CONFLICT',
      `Conversation '${conversationId}' is not with a human: there is nothing to hand back`,
      {
        details: { conversation_status: conversation.status },
      },
    );
  const at = deps.clock.now().toISOString();
  const status = conversation.status === 'closed' ? 'closed' : 'active';
  await deps.store.transaction(async (tx) => {
    if (open) await createHandoffRepo(tx.handle).update(tenantId, open.id, { status: 'completed', completedAt: at });
    await tx.conversations.update(tenantId, conversationId, { botPaused: false, status, updatedAt: at });
  });
  await publishQuietly(deps.live, {
    type: 'conversation.updated',
    tenantId,
    conversationId,
    at,
    data: { status, bot_paused: false, transfer_id: open?.id ?? null, change: 'handed_back' },
  });
}

function requireWithHuman(conversation: Conversation): void {
  if (conversation.status === 'closed')
    throw new AppError('CONFLICT', `Conversation '${conversation.id}' is closed; reopen it before replying`, {
      details: { conversation_status: 'closed' },
    });
  if (!conversation.botPaused)
    throw new AppError(
      'CONFLICT',
      `The bot has conversation '${conversation.id}': transfer it to an agent before replying as one`,
      { details: { conversation_status: conversation.status } },
    );
}

/** A human's reply on a conversation handed to people: stored, published live and sent through the channel; accepts the handoff. */
export async function sendAgentMessage(
  deps: AgentDeps,
  tenantId: string,
  conversation: Conversation,
  input: AgentMessageInput,
): Promise<AgentMessageSent> {
  requireWithHuman(conversation);
  const conversationId = conversation.id;
  const open = await deps.repo.findOpen(tenantId, conversationId);
  const agentId = input.agentUserId ?? open?.agentUserId ?? conversation.assignedAgentId ?? undefined;
  const agent = agentId ? await resolveNamedAgent(deps, tenantId, agentId) : undefined;
  const now = deps.clock.now();
  const at = now.toISOString();
  const messageId = newId('msg', now.getTime());
  const metadata = { agent_id: agent?.id ?? null, transfer_id: open?.id ?? null };
  await deps.store.transaction(async (tx) => {
    await tx.messages.insert(
      tenantId,
      outboundText({ id: messageId, conversation, sender: 'agent', text: input.text, metadata, at }),
    );
    await tx.conversations.recordMessage(tenantId, conversationId, at, false);
    // The first reply is the agent taking the conversation.
    if (open?.status === 'queued')
      await createHandoffRepo(tx.handle).update(tenantId, open.id, {
        status: 'accepted',
        acceptedAt: at,
        agentUserId: agent?.id ?? open.agentUserId,
      });
    await tx.conversations.update(tenantId, conversationId, {
      status: 'with_agent',
      assignedAgentId: agent?.id ?? conversation.assignedAgentId,
      updatedAt: at,
    });
  });
  const agentView = liveAgent(agent);
  await publishQuietly(deps.live, {
    type: 'message.created',
    tenantId,
    conversationId,
    at,
    data: { message_id: messageId, direction: 'outbound', sender: 'agent', agent: agentView, text: input.text },
  });
  const status = await deliverToPlatform(deps, tenantId, conversation, messageId, input.text);
  return { messageId, conversationId, agent: agentView, transferId: open?.id ?? null, createdAt: at, status };
}
