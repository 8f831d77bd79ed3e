import { AppError, notFound } from '../errors.js';
import type { LeadsService } from '../leads/leads.service.js';
import type { LiveBus } from '../live/live-bus.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import type { UsageService } from '../usage/index.js';
import { createAfterTurn } from './after-turn.js';
import { createTurnApplier, TurnRaced } from './apply-turn.js';
import type { ConversationInbox, InboundMessage, InboundResult } from './inbound.js';
import * as messages from './messages.repo.js';
import { toMessageRecord, type MessageRecord } from './messages.view.js';
import { createReceiver } from './receive.js';
import type { HandoffService } from './transfers.service.js';
import { createTurnDecider, failedPlan, type TurnDeps } from './turn.js';
import type { ChatOptions, Received, Turn, TurnPlan } from './turn-types.js';

export type { ChatOptions, Turn } from './turn-types.js';

export interface InboxService extends ConversationInbox {
  /** The chat API's turn: stores, answers, and throws UPSTREAM_AI (the message kept as `failed`) when the turn fails. */
  chat(tenantId: string, message: InboundMessage, options: ChatOptions): Promise<Turn>;
  /** Runs a failed message's turn again; CONFLICT when the message did not fail. */
  retry(tenantId: string, messageId: string): Promise<Turn>;
}

/** What deciding a turn needs, and what applying and announcing it add. */
export interface InboxDeps extends Omit<TurnDeps, 'transfers'> {
  sessions: SessionsService;
  leads: LeadsService;
  live: LiveBus;
  usage: UsageService;
  /** Read at handoff time: the transfers service is wired after this one. */
  transfers: () => Pick<HandoffService, 'planOpen' | 'writeOpen' | 'announceOpen'>;
}

/** A turn's result; `failed` when its decision failed and the message was stored `failed` instead. */
interface Outcome {
  turn: Turn;
  failed?: MessageRecord;
}

/** A platform message: the first result of one seen before, else what its turn produced. */
type Handled = { duplicate: true; row: messages.MessageRow } | { duplicate: false; outcome: Outcome };

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

/**
 * The conversation core every channel calls. A message's turn runs in four steps: receive (a
 * repeat of a stored platform message is answered from its first result; else its conversation
 * is read), decide (engine analysis and one dialog turn, unless a human has the conversation),
 * apply (the message, the reply, the rows of the dialog's actions and the conversation's state
 * in one transaction) and, once committed, the live events, webhooks and platform notices.
 */
export function createInbox(deps: InboxDeps): InboxService {
  const receiver = createReceiver(deps);
  const decider = createTurnDecider(deps);
  const applier = createTurnApplier(deps);
  const after = createAfterTurn(deps);

  /** A stored message whose turn could not be written stays `failed` for the next retry. */
  const keepFailed = async (received: Received, err: unknown): Promise<never> => {
    if (!received.inboundStored) throw err;
    const error = reasonOf(err).slice(0, 1000);
    await messages.update(deps.db, received.tenantId, received.inbound.id, { status: 'failed', error });
    throw failure({ ...toMessageRecord(received.inbound), status: 'failed', error });
  };

  const run = async (received: Received): Promise<Outcome> => {
    let plan: TurnPlan;
    let failed = false;
    try {
      plan = await decider.decide(received);
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
      inbound: toMessageRecord(applied.inbound),
      reply: applied.reply ? toMessageRecord(applied.reply) : null,
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
    if (seen) return { duplicate: true, row: seen };
    const received = await receiver.fresh(tenantId, message, options);
    try {
      return { duplicate: false, outcome: await run(received) };
    } catch (err) {
      // Decided on what was stored before a concurrent turn committed: once more on what is stored now.
      if (err instanceof TurnRaced && attempts > 1) return handle(tenantId, message, options, attempts - 1);
      throw err;
    }
  };

  return {
    async receive(tenantId, message): Promise<InboundResult> {
      const handled = await handle(tenantId, message, {});
      const turn = handled.duplicate ? await receiver.replay(tenantId, handled.row, true) : handled.outcome.turn;
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
        if (handled.row.status === 'failed') throw failure(toMessageRecord(handled.row));
        return receiver.replay(tenantId, handled.row, true);
      }
      if (handled.outcome.failed) throw failure(handled.outcome.failed);
      return handled.outcome.turn;
    },

    async retry(tenantId, messageId) {
      const row = await messages.findByAnyId(deps.db, tenantId, messageId);
      if (!row) throw notFound('message', messageId);
      if (
        row.direction !== 'inbound' ||
        row.status !== 'failed' ||
        !(await messages.claimFailed(deps.db, tenantId, row.id))
      ) {
        throw new AppError('CONFLICT', `Message '${messageId}' did not fail, so there is nothing to retry`, {
          details: { message_id: row.id, status: row.status, direction: row.direction },
        });
      }
      const outcome = await run(await receiver.stored(tenantId, { ...row, status: 'received', error: null }));
      if (outcome.failed) throw failure(outcome.failed);
      return outcome.turn;
    },
  };
}
