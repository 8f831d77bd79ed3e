import type { Conversation, HandoffPriority, HandoffRequest, PlannedHandoff } from '../conversations/index.js';

/** A user who may be handed conversations. */
export interface Agent {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  department: string | null;
  status: string;
  permissions: string[];
}

/** A stored handoff (a `transfers` row) as routing reads it. */
export interface HandoffRow {
  id: string;
  conversationId: string;
  agentUserId: string | null;
  department: string | null;
  priority: string;
  status: string;
  createdAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
}

/** A handoff decided but not yet written: `open` in three steps so a caller can write it in its own transaction. */
export interface HandoffPlan extends PlannedHandoff {
  request: HandoffRequest;
  conversation: Conversation;
  agent: Agent | undefined;
  department: string | null;
  previousId: string | null;
  position: number;
  waitSeconds: number;
  handling: number;
  at: string;
  messageId: string;
  /** Minutes the handoff may wait before the owner is told; null when nobody is told of handoffs. */
  waitLimitMinutes: number | null;
}

export interface HandoffResult {
  transferId: string;
  assignedAgent: { id: string; name: string; department: string | null } | null;
  /** From the real queue of open handoffs ahead of this one. */
  estimatedWaitSeconds: number;
  queuePosition: number;
  /** What the customer is told. */
  customerMessage: string;
  department: string | null;
  priority: HandoffPriority;
  status: 'queued';
  /** The stored outbound message that told the customer. */
  customerMessageId: string;
  /** The average handling time the wait estimate used. */
  averageHandlingSeconds: number;
}

export interface AgentMessageInput {
  text: string;
  /** The replying user; else the agent the handoff is assigned to. */
  agentUserId?: string;
}

export interface AgentMessageSent {
  messageId: string;
  conversationId: string;
  agent: { id: string; name: string } | null;
  transferId: string | null;
  createdAt: string;
  /** `sent`, or `failed` when the platform delivery could not be queued. */
  status: string;
}

export function agentName(agent: Agent): string {
  return [agent.firstName, agent.lastName].filter((p) => p && p.trim()).join(' ') || agent.email;
}

/** The agent as a live event names them; null when no one is named. */
export function liveAgent(agent: Agent | undefined): { id: string; name: string } | null {
  return agent ? { id: agent.id, name: agentName(agent) } : null;
}
