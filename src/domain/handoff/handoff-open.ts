import type { ConversationTx } from '../conversations/index.js';
import type { LiveBus, LiveEvent } from '../live/index.js';
import { deliverToPlatform, outboundText, type DeliveryDeps } from './handoff-delivery.js';
import { agentName, type HandoffPlan, type HandoffResult } from './handoff-record.js';
import { createHandoffRepo } from './handoff.repo.js';

/** Live fan-out is best effort: the change is committed and readable whether or not a listener heard it. */
export async function publishQuietly(live: LiveBus, event: LiveEvent): Promise<void> {
  await live.publish(event).catch(() => undefined);
}

function assignedAgentOf(plan: HandoffPlan): HandoffResult['assignedAgent'] {
  return plan.agent ? { id: plan.agent.id, name: agentName(plan.agent), department: plan.agent.department } : null;
}

export function opened(plan: HandoffPlan): HandoffResult {
  return {
    transferId: plan.transferId,
    assignedAgent: assignedAgentOf(plan),
    estimatedWaitSeconds: plan.waitSeconds,
    queuePosition: plan.position,
    customerMessage: plan.text,
    department: plan.department,
    priority: plan.request.priority,
    status: 'queued',
    customerMessageId: plan.messageId,
    averageHandlingSeconds: plan.handling,
  };
}

/** The handoff's rows, in the caller's transaction: it pauses the bot and tells the customer. */
export async function writeOpen(tx: ConversationTx, tenantId: string, plan: HandoffPlan): Promise<void> {
  const { request, conversation, agent, department, at } = plan;
  const repo = createHandoffRepo(tx.handle);
  // A second handoff re-routes the conversation: the earlier one leaves the queue.
  if (plan.previousId) await repo.update(tenantId, plan.previousId, { status: 'cancelled', completedAt: at });
  await repo.insert(tenantId, {
    id: plan.transferId,
    conversationId: conversation.id,
    agentUserId: agent?.id ?? null,
    department,
    priority: request.priority,
    reason: request.reason,
    note: request.note ?? null,
    briefing: request.briefing,
    status: 'queued',
    createdAt: at,
    acceptedAt: null,
    completedAt: null,
  });
  await tx.conversations.update(tenantId, conversation.id, {
    status: 'waiting_agent',
    botPaused: true,
    assignedAgentId: agent?.id ?? null,
    department,
    priority: request.priority,
    updatedAt: at,
  });
  if (request.noticeInReply) return;
  const notice = { kind: 'transfer_notice', transfer_id: plan.transferId };
  await tx.messages.insert(
    tenantId,
    outboundText({ id: plan.messageId, conversation, sender: 'system', text: plan.text, metadata: notice, at }),
  );
  await tx.conversations.recordMessage(tenantId, conversation.id, at, false);
}

/** After the handoff committed: agents hear of it live and the customer's platform gets the notice. */
export async function announceOpen(
  deps: DeliveryDeps & { live: LiveBus },
  tenantId: string,
  plan: HandoffPlan,
): Promise<void> {
  const { transferId, messageId, text, request } = plan;
  const base = { tenantId, conversationId: plan.conversation.id, at: plan.at };
  // A turn's reply is the notice: the turn publishes and delivers it as the bot's message.
  const ownNotice = !request.noticeInReply;
  if (ownNotice)
    await publishQuietly(deps.live, {
      ...base,
      type: 'message.created',
      data: { message_id: messageId, direction: 'outbound', sender: 'system', text },
    });
  await publishQuietly(deps.live, {
    ...base,
    type: 'conversation.transferred',
    data: {
      transfer_id: transferId,
      assigned_agent: assignedAgentOf(plan),
      department: plan.department,
      priority: request.priority,
      reason: request.reason,
      queue_position: plan.position,
      estimated_wait_seconds: plan.waitSeconds,
      message: { message_id: messageId, text },
    },
  });
  if (ownNotice) await deliverToPlatform(deps, tenantId, plan.conversation, messageId, text);
}
