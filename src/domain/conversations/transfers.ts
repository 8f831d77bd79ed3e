import type { HandoffBriefing } from '../../engine/dialog/dialog.js';

/** Handing a conversation to a human and back: one contract for chat, messaging and (later) voice. */

export const TRANSFER_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TransferPriority = (typeof TRANSFER_PRIORITIES)[number];

export interface TransferRequest {
  conversationId: string;
  reason: string;
  note?: string;
  priority: TransferPriority;
  /** A named agent (user id); else the least-busy user of `department`, else the tenant's queue. */
  agentUserId?: string;
  department?: string;
  /** What the agent needs to know; the dialog's briefing on an automatic handoff. */
  briefing: HandoffBriefing | Record<string, unknown>;
}

export interface TransferResult {
  transferId: string;
  assignedAgent: { id: string; name: string } | null;
  /** From the real queue of open transfers ahead of this one. */
  estimatedWaitSeconds: number;
  queuePosition: number;
  /** What the customer is told. */
  customerMessage: string;
}

export interface TransfersService {
  /** Pauses the bot on the conversation (it stays silent until `handBack`) and queues or assigns the transfer. */
  open(tenantId: string, request: TransferRequest): Promise<TransferResult>;
  /** Ends the human's turn: the transfer completes and the bot answers again. */
  handBack(tenantId: string, conversationId: string): Promise<void>;
}
