import type { Clock } from '../../lib/clock.js';
import type {
  ChannelDelivery,
  Conversation,
  ConversationStore,
  ConversationTx,
  HandoffPort,
  HandoffRequest,
  WrittenHandoff,
} from '../conversations/index.js';
import { notFound } from '../errors.js';
import type { LiveBus } from '../live/index.js';
import type { Queue } from '../../queue/queue.js';
import { handBack, sendAgentMessage } from './handoff-agent.js';
import { announceOpen, opened, writeOpen } from './handoff-open.js';
import { queueNoticesIn, type HandoffNotices } from './handoff.jobs.js';
import { takeOver, type TakenOver } from './handoff-takeover.js';
import { planHandoff } from './handoff-plan.js';
import type { AgentMessageInput, AgentMessageSent, HandoffPlan, HandoffResult } from './handoff-record.js';
import { createHandoffRepo, type HandoffRepo } from './handoff.repo.js';

/** Handing a conversation to a human and back: one contract for chat, messaging and (later) voice. */
export interface HandoffService extends HandoffPort<HandoffPlan> {
  /** Pauses the bot on the conversation (it stays silent until `handBack`) and queues or assigns the handoff. */
  open(tenantId: string, request: HandoffRequest): Promise<HandoffResult>;
  /** Ends the human's turn: the handoff completes and the bot answers again. */
  handBack(tenantId: string, conversationId: string): Promise<void>;
  /** A human's reply on a conversation handed to people: stored, published live and sent through the channel; accepts the handoff. */
  sendAgentMessage(tenantId: string, conversationId: string, input: AgentMessageInput): Promise<AgentMessageSent>;
  /** A person takes the conversation over (null: the owner through the owner link); the bot pauses. */
  takeOver(tenantId: string, conversationId: string, userId: string | null): Promise<TakenOver>;
}

export interface HandoffDeps {
  repo: HandoffRepo;
  /** The conversation core's tables: a handoff changes a conversation and adds a message through them. */
  store: ConversationStore;
  clock: Clock;
  live: LiveBus;
  delivery: ChannelDelivery | undefined;
  /** Where the people on duty are told of a handoff and of one nobody took; absent: nobody is told. */
  notices: { queue: Queue; notices: HandoffNotices } | undefined;
}

export function createHandoffService(deps: HandoffDeps): HandoffService {
  const conversationOf = async (tenantId: string, id: string): Promise<Conversation> => {
    const conversation = await deps.store.conversations.findById(tenantId, id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };
  const planOpen = async (tenantId: string, request: HandoffRequest, known?: Conversation): Promise<HandoffPlan> => {
    const conversation = known ?? (await conversationOf(tenantId, request.conversationId));
    const plan = await planHandoff(deps, tenantId, request, conversation);
    // Read before the transaction, which then only writes.
    const waitLimitMinutes = deps.notices ? await deps.notices.notices.waitLimitMinutes(tenantId) : null;
    return { ...plan, waitLimitMinutes };
  };

  const write = async (tx: ConversationTx, tenantId: string, plan: HandoffPlan): Promise<WrittenHandoff> => {
    await writeOpen(tx, tenantId, plan);
    const dispatch =
      deps.notices && plan.waitLimitMinutes !== null
        ? await queueNoticesIn(deps.notices.queue, tx.handle, tenantId, plan.transferId, plan.waitLimitMinutes)
        : undefined;
    return {
      async announce() {
        await dispatch?.();
        await announceOpen(deps, tenantId, plan);
      },
    };
  };

  return {
    async open(tenantId, request) {
      const plan = await planOpen(tenantId, request);
      const written = await deps.store.transaction((tx) => write(tx, tenantId, plan));
      await written.announce();
      return opened(plan);
    },
    planOpen,
    writeOpen: write,
    endOpenIn: (tx: ConversationTx, tenantId, conversationId, at) =>
      createHandoffRepo(tx.handle).endOpen(tenantId, conversationId, at),
    handBack: async (tenantId, conversationId) =>
      handBack(deps, tenantId, await conversationOf(tenantId, conversationId)),
    sendAgentMessage: async (tenantId, conversationId, input) =>
      sendAgentMessage(deps, tenantId, await conversationOf(tenantId, conversationId), input),
    takeOver: async (tenantId, conversationId, userId) =>
      takeOver(deps, tenantId, await conversationOf(tenantId, conversationId), userId),
  };
}
