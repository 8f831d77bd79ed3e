import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import { AppError, invalid, notFound } from '../errors.js';
import type { LiveBus, LiveEvent } from '../live/live-bus.js';
import type { Channel, ChannelDelivery } from './inbound.js';
import type { TransferPriority, TransferRequest, TransferResult, TransfersService } from './transfers.js';
import * as repo from './transfers.repo.js';

/** What `open` knows beyond the shared contract, for the surface's answer. */
export interface TransferOpened extends TransferResult {
  assignedAgent: { id: string; name: string; department: string | null } | null;
  department: string | null;
  priority: TransferPriority;
  status: 'queued';
  /** The stored outbound message that told the customer. */
  customerMessageId: string;
  /** The average handling time the wait estimate used. */
  averageHandlingSeconds: number;
}

export interface AgentMessageInput {
  text: string;
  /** The replying user; else the agent the transfer is assigned to. */
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

export interface HandoffService extends TransfersService {
  open(tenantId: string, request: TransferRequest): Promise<TransferOpened>;
  /** `open`'s reads: where the transfer goes and what the customer is told; writes nothing. `conversation` is the caller's copy (one its transaction may yet insert). */
  planOpen(
    tenantId: string,
    request: TransferRequest,
    conversation?: repo.HandoffConversationRow,
  ): Promise<TransferPlan>;
  /** `open`'s writes, in the caller's transaction. */
  writeOpen(trx: Db, tenantId: string, plan: TransferPlan): Promise<void>;
  /** `open`'s live events and platform delivery, once the writes committed. */
  announceOpen(tenantId: string, plan: TransferPlan): Promise<void>;
  /** A human's reply on a conversation handed to people: stored, published live and sent through the channel; accepts the transfer. */
  sendAgentMessage(tenantId: string, conversationId: string, input: AgentMessageInput): Promise<AgentMessageSent>;
}

export interface TransfersDeps {
  db: Db;
  clock: Clock;
  live: LiveBus;
  /** Looked up per call: the channel helper's service is composed independently of this one and may be absent. */
  delivery: () => ChannelDelivery | undefined;
}

/** Used for the wait estimate until the tenant has completed transfers: spec D's example answers 5 minutes. */
export const DEFAULT_HANDLING_SECONDS = 300;
/** The average handling time is taken over this many most recent completed transfers. */
export const HANDLING_SAMPLE = 50;

const PRIORITY_RANK: Record<TransferPriority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
/** Only users who may answer conversations take transfers; an invitation not yet accepted still counts (no acceptance flow exists). */
const AGENT_STATUSES = new Set(['active', 'invited']);

function agentName(user: repo.AgentRow): string {
  return [user.first_name, user.last_name].filter((p) => p && p.trim()).join(' ') || user.email;
}

function isAgent(user: repo.AgentRow): boolean {
  return AGENT_STATUSES.has(user.status) && fromJson<string[]>(user.permissions, []).includes('conversations:write');
}

const readable = (label: string) => label.replace(/[_-]+/g, ' ').trim();

/** Mean seconds from acceptance (or creation, when never accepted) to completion. */
export function averageHandlingSeconds(
  rows: { created_at: string; accepted_at: string | null; completed_at: string | null }[],
): number {
  const spans = rows
    .filter((r) => r.completed_at !== null)
    .map((r) => (Date.parse(r.completed_at!) - Date.parse(r.accepted_at ?? r.created_at)) / 1000)
    .filter((s) => Number.isFinite(s) && s >= 0);
  if (spans.length === 0) return DEFAULT_HANDLING_SECONDS;
  return Math.round(spans.reduce((a, b) => a + b, 0) / spans.length);
}

function customerMessage(
  agent: repo.AgentRow | undefined,
  department: string | null,
  position: number,
  waitSeconds: number,
): string {
  const team = department ? `our ${readable(department)} team` : 'our team';
  const who = agent ? `${agent.first_name?.trim() || agentName(agent)} from ${team}` : `a member of ${team}`;
  const wait =
    position <= 1 && waitSeconds === 0
      ? 'They will be with you shortly.'
      : `You are number ${position} in the queue. Estimated wait time: ${Math.max(1, Math.ceil(waitSeconds / 60))} minutes.`;
  return `I'm connecting you with ${who}. ${wait}`;
}

/** A transfer decided but not yet written: `open` in three steps so a caller can write it in its own transaction. */
export interface TransferPlan {
  request: TransferRequest;
  conversation: repo.HandoffConversationRow;
  agent: repo.AgentRow | undefined;
  department: string | null;
  previousId: string | null;
  position: number;
  waitSeconds: number;
  handling: number;
  text: string;
  at: string;
  transferId: string;
  messageId: string;
}

function assignedAgentOf(plan: TransferPlan): TransferOpened['assignedAgent'] {
  return plan.agent ? { id: plan.agent.id, name: agentName(plan.agent), department: plan.agent.department } : null;
}

function opened(plan: TransferPlan): TransferOpened {
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

/** A plain-text message a person or the system sends the customer: no analysis, already sent. */
function outboundText(m: {
  id: string;
  conversationId: string;
  channel: string;
  sender: 'system' | 'agent';
  text: string;
  metadata: Record<string, unknown>;
  at: string;
}): Parameters<typeof repo.insertMessage>[2] {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    channel: m.channel,
    external_id: null,
    direction: 'outbound',
    sender: m.sender,
    content_type: 'text',
    text: m.text,
    media: null,
    quick_replies: null,
    intent: null,
    confidence: null,
    sentiment: null,
    status: 'sent',
    error: null,
    metadata: toJson(m.metadata),
    reply_to_id: null,
    created_at: m.at,
  };
}

export function createTransfersService(deps: TransfersDeps): HandoffService {
  const { db } = deps;

  const conversationOf = async (tenantId: string, id: string) => {
    const conversation = await repo.findConversation(db, tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };

  const publish = async (event: LiveEvent) => {
    // Live fan-out is best effort: the change is committed and readable whether or not a listener heard it.
    await deps.live.publish(event).catch(() => undefined);
  };

  /** Sends a stored outbound message out on the conversation's platform; web clients read it live or through the API. */
  const deliver = async (
    tenantId: string,
    conversation: repo.HandoffConversationRow,
    messageId: string,
    text: string,
  ): Promise<string> => {
    const delivery = deps.delivery();
    if (conversation.channel === 'web' || !delivery) return 'sent';
    const to =
      (conversation.contact_id
        ? await repo.findPlatformUserId(db, tenantId, conversation.contact_id, conversation.channel)
        : undefined) ?? conversation.user_id;
    if (!to) {
      await repo.updateMessageStatus(
        db,
        tenantId,
        messageId,
        'failed',
        'no platform recipient is known for this conversation',
      );
      return 'failed';
    }
    const context = fromJson<Record<string, unknown>>(conversation.context, {});
    const replyTo = typeof context.reply_to === 'string' ? context.reply_to : undefined;
    try {
      await delivery.deliver(tenantId, {
        channel: conversation.channel as Channel,
        conversationId: conversation.id,
        messageId,
        to,
        text,
        quickReplies: [],
        ...(replyTo ? { replyTo } : {}),
      });
      return 'sent';
    } catch (err) {
      // The handoff itself stands; the failed delivery is recorded on the message for the agent to see.
      await repo.updateMessageStatus(
        db,
        tenantId,
        messageId,
        'failed',
        err instanceof Error ? err.message : String(err),
      );
      return 'failed';
    }
  };

  const resolveNamedAgent = async (tenantId: string, userId: string): Promise<repo.AgentRow> => {
    const user = await repo.findUser(db, tenantId, userId);
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
  };

  /** The department's agent with the fewest open transfers; ties go to the longest-standing user. */
  const leastBusy = async (tenantId: string, department: string): Promise<repo.AgentRow | undefined> => {
    const agents = (await repo.listDepartmentUsers(db, tenantId, department)).filter(isAgent);
    const load = await repo.openLoadByAgent(
      db,
      tenantId,
      agents.map((a) => a.id),
    );
    let best: repo.AgentRow | undefined;
    for (const agent of agents) if (!best || (load.get(agent.id) ?? 0) < (load.get(best.id) ?? 0)) best = agent;
    return best;
  };

  /** Everything a transfer needs, read before anything is written (the queue position, the customer's notice). */
  const planOpen = async (
    tenantId: string,
    request: TransferRequest,
    known?: repo.HandoffConversationRow,
  ): Promise<TransferPlan> => {
    const conversation = known ?? (await conversationOf(tenantId, request.conversationId));
    if (conversation.status === 'closed') {
      throw new AppError('CONFLICT', `Conversation '${conversation.id}' is closed; reopen it before transferring it`, {
        details: { conversation_status: 'closed' },
      });
    }
    const agent = request.agentUserId
      ? await resolveNamedAgent(tenantId, request.agentUserId)
      : request.department
        ? await leastBusy(tenantId, request.department)
        : undefined;
    const department = request.department ?? agent?.department ?? null;
    const previous = await repo.findOpenTransfer(db, tenantId, conversation.id);

    // Ahead: open transfers of the same pool with a higher priority, or the same one and queued earlier (all of them are).
    const pool = await repo.listOpenInPool(db, tenantId, {
      agentUserId: agent?.id ?? null,
      department: agent ? null : department,
    });
    const rank = PRIORITY_RANK[request.priority];
    const ahead = pool.filter(
      (t) => t.id !== previous?.id && (PRIORITY_RANK[t.priority as TransferPriority] ?? PRIORITY_RANK.normal) >= rank,
    ).length;
    const handling = averageHandlingSeconds(await repo.listRecentCompleted(db, tenantId, HANDLING_SAMPLE));
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
  };

  /** The transfer's rows, in the caller's transaction: it pauses the bot and tells the customer. */
  const writeOpen = async (trx: Db, tenantId: string, plan: TransferPlan): Promise<void> => {
    const { request, conversation, agent, department, at } = plan;
    // A second transfer re-routes the conversation: the earlier one leaves the queue.
    if (plan.previousId)
      await repo.updateTransfer(trx, tenantId, plan.previousId, { status: 'cancelled', completed_at: at });
    await repo.insertTransfer(trx, tenantId, {
      id: plan.transferId,
      conversation_id: conversation.id,
      agent_user_id: agent?.id ?? null,
      department,
      priority: request.priority,
      reason: request.reason,
      note: request.note ?? null,
      briefing: toJson(request.briefing),
      status: 'queued',
      created_at: at,
      accepted_at: null,
      completed_at: null,
    });
    await repo.updateConversation(trx, tenantId, conversation.id, {
      status: 'waiting_agent',
      bot_paused: 1,
      assigned_agent_id: agent?.id ?? null,
      department,
      priority: request.priority,
      updated_at: at,
    });
    await repo.insertMessage(
      trx,
      tenantId,
      outboundText({
        id: plan.messageId,
        conversationId: conversation.id,
        channel: conversation.channel,
        sender: 'system',
        text: plan.text,
        metadata: { kind: 'transfer_notice', transfer_id: plan.transferId },
        at,
      }),
    );
    await repo.countMessage(trx, tenantId, conversation.id, at);
  };

  /** After the transfer committed: agents hear of it live and the customer's platform gets the notice. */
  const announceOpen = async (tenantId: string, plan: TransferPlan): Promise<void> => {
    const { transferId, messageId, text, request } = plan;
    const base = { tenantId, conversationId: plan.conversation.id, at: plan.at };
    await publish({
      ...base,
      type: 'message.created',
      data: { message_id: messageId, direction: 'outbound', sender: 'system', text },
    });
    await publish({
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
    await deliver(tenantId, plan.conversation, messageId, text);
  };

  return {
    async open(tenantId, request) {
      const plan = await planOpen(tenantId, request);
      await db.transaction().execute((trx) => writeOpen(trx, tenantId, plan));
      await announceOpen(tenantId, plan);
      return opened(plan);
    },

    planOpen,
    writeOpen,
    announceOpen,

    async handBack(tenantId, conversationId) {
      const conversation = await conversationOf(tenantId, conversationId);
      const open = await repo.findOpenTransfer(db, tenantId, conversationId);
      if (!open && conversation.bot_paused === 0) {
        throw new AppError(
          'CONFLICT',
          `Conversation '${conversationId}' is not with a human: there is nothing to hand back`,
          { details: { conversation_status: conversation.status } },
        );
      }
      const at = deps.clock.now().toISOString();
      const status = conversation.status === 'closed' ? 'closed' : 'active';
      await db.transaction().execute(async (trx) => {
        if (open) await repo.updateTransfer(trx, tenantId, open.id, { status: 'completed', completed_at: at });
        await repo.updateConversation(trx, tenantId, conversationId, { bot_paused: 0, status, updated_at: at });
      });
      await publish({
        type: 'conversation.updated',
        tenantId,
        conversationId,
        at,
        data: { status, bot_paused: false, transfer_id: open?.id ?? null, change: 'handed_back' },
      });
    },

    async sendAgentMessage(tenantId, conversationId, input) {
      const conversation = await conversationOf(tenantId, conversationId);
      if (conversation.status === 'closed')
        throw new AppError('CONFLICT', `Conversation '${conversationId}' is closed; reopen it before replying`, {
          details: { conversation_status: 'closed' },
        });
      if (conversation.bot_paused === 0) {
        throw new AppError(
          'CONFLICT',
          `The bot has conversation '${conversationId}': transfer it to an agent before replying as one`,
          { details: { conversation_status: conversation.status } },
        );
      }
      const open = await repo.findOpenTransfer(db, tenantId, conversationId);
      const agentId = input.agentUserId ?? open?.agent_user_id ?? conversation.assigned_agent_id ?? undefined;
      const agent = agentId ? await resolveNamedAgent(tenantId, agentId) : undefined;

      const now = deps.clock.now();
      const at = now.toISOString();
      const messageId = newId('msg', now.getTime());
      await db.transaction().execute(async (trx) => {
        await repo.insertMessage(
          trx,
          tenantId,
          outboundText({
            id: messageId,
            conversationId,
            channel: conversation.channel,
            sender: 'agent',
            text: input.text,
            metadata: { agent_id: agent?.id ?? null, transfer_id: open?.id ?? null },
            at,
          }),
        );
        await repo.countMessage(trx, tenantId, conversationId, at);
        // The first reply is the agent taking the conversation.
        if (open?.status === 'queued')
          await repo.updateTransfer(trx, tenantId, open.id, {
            status: 'accepted',
            accepted_at: at,
            agent_user_id: agent?.id ?? open.agent_user_id,
          });
        await repo.updateConversation(trx, tenantId, conversationId, {
          status: 'with_agent',
          assigned_agent_id: agent?.id ?? conversation.assigned_agent_id,
          updated_at: at,
        });
      });

      const agentView = agent ? { id: agent.id, name: agentName(agent) } : null;
      await publish({
        type: 'message.created',
        tenantId,
        conversationId,
        at,
        data: { message_id: messageId, direction: 'outbound', sender: 'agent', agent: agentView, text: input.text },
      });
      const status = await deliver(tenantId, conversation, messageId, input.text);
      return { messageId, conversationId, agent: agentView, transferId: open?.id ?? null, createdAt: at, status };
    },
  };
}
