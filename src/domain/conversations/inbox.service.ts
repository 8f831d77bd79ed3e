import { AppError, notFound } from '../errors.js';
import { createAfterTurn, type AfterTurnDeps } from './after-turn.js';
import { createTurnApplier, TurnRaced, type ApplyDeps } from './apply-turn.js';
import type { MessageRecord } from './conversation-record.js';
import type { ConversationStore } from './conversation-store.repo.js';
import type { HandoffPort } from './handoff-port.js';
import type { ConversationInbox, InboundMessage, InboundResult } from './inbound.js';
import { createReceiver, type ReceiveDeps } from './receive.js';
import { decideTurn, type TurnDeps } from './turn.js';
import { failedPlan } from './turn-plan.js';
import type { ChatOptions, Received, Turn, TurnPlan } from './turn-types.js';

export interface InboxService extends ConversationInbox {
  /** The chat API's turn: stores, answers, and throws UPSTREAM_AI (the message kept as `failed`) when the turn fails. */
  chat(tenantId: string, message: InboundMessage, options: ChatOptions): Promise<Turn>;
  /** Runs a failed message's turn again; CONFLICT when the message did not fail. */
  retry(tenantId: string, messageId: string): Promise<Turn>;
}

/** What receiving, deciding, applying and announcing a turn need. */
export type InboxDeps = Omit<TurnDeps, 'messages' | 'handoff'> &
  Omit<ReceiveDeps, 'store'> &
  Omit<ApplyDeps, 'store' | 'handoff'> &
  AfterTurnDeps & {
    store: ConversationStore;
    handoff: HandoffPort;
  };

/** A turn's result; `failed` when its decision failed and the message was stored `failed` instead. */
interface Outcome {
  turn: Turn;
  failed?: MessageRecord;
}

/** A platform message: the first result of one seen before, else what its turn produced. */
type Handled = { duplicate: true; message: MessageRecord } | { duplicate: false; outcome: Outcome };

function failure(message: MessageRecord): AppError {
  return new AppError(
    'UPSTREAM_AI',
    'The message was stored but its reply could not be produced; retry it with POST /api/v2/chat/message/{id}/retry',
    {
      details: {
        message_id: message.id,
        conversation_id: message.conversationId,
        retryable: true,
        error: message.error,
      },
    },
  );
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Receive → decide → apply (one transaction) → after the commit, as one pipeline. */
function createTurnRunner(deps: InboxDeps) {
  const receiver = createReceiver(deps);
  const applier = createTurnApplier(deps);
  const after = createAfterTurn(deps);
  const turnDeps: TurnDeps = { ...deps, messages: deps.store.messages };

  /** A stored message whose turn could not be written stays `failed` for the next retry. */
  const keepFailed = async (received: Received, err: unknown): Promise<never> => {
    if (!received.inboundStored) throw err;
    const error = reasonOf(err).slice(0, 1000);
    await deps.store.messages.update(received.tenantId, received.inbound.id, { status: 'failed', error });
    throw failure({ ...received.inbound, status: 'failed', error });
  };

  const run = async (received: Received): Promise<Outcome> => {
    let plan: TurnPlan;
    let failed = false;
    try {
      plan = await decideTurn(turnDeps, received);
    } catch (err) {
      // The engine or a model failed: the message is kept `failed`, ready for a retry.
      plan = failedPlan(received, reasonOf(err));
      failed = true;
    }
    const applied = await applier.apply(received, plan).catch((err: unknown) => keepFailed(received, err));
    const contactId = await after.run(received, plan, applied);
    const status = plan.steps.some((s) => s.type === 'transfer') ? 'waiting_agent' : received.conversation.status;
    const turn: Turn = {
      duplicate: false,
      conversationId: received.conversation.id,
      contactId,
      inbound: applied.inbound,
      reply: applied.reply,
      state: plan.state,
      conversationStatus: status,
    };
    return failed ? { turn, failed: turn.inbound } : { turn };
  };

  const handle = async (
    tenantId: string,
    message: InboundMessage,
    options: ChatOptions,
    attempts = 2,
  ): Promise<Handled> => {
    const seen = await receiver.seen(tenantId, message);
    if (seen) return { duplicate: true, message: seen };
    const received = await receiver.fresh(tenantId, message, options);
    try {
      return { duplicate: false, outcome: await run(received) };
    } catch (err) {
      // Decided on what was stored before a concurrent turn committed: once more on what is stored now.
      if (err instanceof TurnRaced && attempts > 1) return handle(tenantId, message, options, attempts - 1);
      throw err;
    }
  };

  return { receiver, run, handle };
}

/**
 * The conversation core every channel calls. A message's turn runs in four steps: receive (a
 * repeat of a stored platform message is answered from its first result; else its conversation
 * is read), decide (engine analysis and one dialog turn, unless a human has the conversation),
 * apply (the message, the reply, the rows of the dialog's actions and the conversation's state
 * in one transaction) and, once committed, the live events, webhooks and platform notices.
 */
export function createInbox(deps: InboxDeps): InboxService {
  const { receiver, run, handle } = createTurnRunner(deps);
  const { messages } = deps.store;

  return {
    async receive(tenantId, message): Promise<InboundResult> {
      // Channel webhooks are signed with the tenant's secrets, which have no test twin.
      const handled = await handle(tenantId, message, { mode: 'live' });
      const turn = handled.duplicate ? await receiver.replay(tenantId, handled.message, true) : handled.outcome.turn;
      return {
        duplicate: handled.duplicate,
        conversationId: turn.conversationId,
        messageId: turn.inbound.id,
        contactId: turn.contactId,
        ...(turn.reply ? { reply: { text: turn.reply.text, quickReplies: turn.reply.quickReplies } } : {}),
      };
    },

    async chat(tenantId, message, options) {
      const handled = await handle(tenantId, message, options);
      if (handled.duplicate) {
        if (handled.message.status === 'failed') throw failure(handled.message);
        return receiver.replay(tenantId, handled.message, true);
      }
      if (handled.outcome.failed) throw failure(handled.outcome.failed);
      return handled.outcome.turn;
    },

    async retry(tenantId, messageId) {
      const message = await messages.findByAnyId(tenantId, messageId);
      if (!message) throw notFound('message', messageId);
      const claimed =
        message.direction === 'inbound' &&
        message.status === 'failed' &&
        (await messages.claimFailed(tenantId, message.id));
      if (!claimed)
        throw new AppError('CONFLICT', `Message '${messageId}' did not fail, so there is nothing to retry`, {
          details: { message_id: message.id, status: message.status, direction: message.direction },
        });
      const outcome = await run(await receiver.stored(tenantId, { ...message, status: 'received', error: null }));
      if (outcome.failed) throw failure(outcome.failed);
      return outcome.turn;
    },
  };
}
