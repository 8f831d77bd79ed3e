import type { ContactsService } from '../identity/index.js';
import type { LiveBus } from '../live/index.js';
import type { Counters } from '../metrics/index.js';
import type { SessionsService } from '../sessions/index.js';
import { METRICS } from '../usage/index.js';
import type { UsageService } from '../usage/index.js';
import type { MessageRecord } from './conversation-record.js';
import type { Applied, Received, TurnPlan } from './turn-types.js';

export interface AfterTurnDeps {
  contacts: Pick<ContactsService, 'learn'>;
  sessions: Pick<SessionsService, 'touch'>;
  live: LiveBus;
  usage: Pick<UsageService, 'add'>;
  /**
   * Spec C's `appointments_scheduled` (an appointment a conversation asked for, on any channel) and
   * `callbacks_by_business` (a conversation that took the customer's details and promised a call back).
   */
  counters: Pick<Counters, 'increment' | 'incrementForBusiness'>;
}

/**
 * What a turn does once its rows are committed, in this order: usage, the session, the live
 * events, learning the contact's facts, dispatching the lead's queued webhooks, the handoff's
 * notice on the platform with its queued jobs, and the appointment counter. None of it could be rolled back, so it waits for the commit.
 */
export function createAfterTurn(deps: AfterTurnDeps) {
  const publish = (tenantId: string, m: MessageRecord) =>
    deps.live.publish({
      type: 'message.created',
      tenantId,
      conversationId: m.conversationId,
      at: m.createdAt,
      data: {
        message_id: m.id,
        direction: m.direction,
        sender: m.sender,
        channel: m.channel,
        content_type: m.contentType,
        text: m.text,
        media: m.media,
        quick_replies: m.quickReplies,
        created_at: m.createdAt,
      },
    });

  /** The tenant's usage report counts live conversations only. */
  const count = (turn: Received, metric: string): void => {
    if (turn.conversation.mode === 'live') deps.usage.add(turn.tenantId, metric);
  };

  /** A newly stored message is counted and published as it was received. */
  const received = async (turn: Received): Promise<void> => {
    const { tenantId, conversation, sessionId, senderContactId } = turn;
    if (turn.conversationIsNew) count(turn, METRICS.conversations);
    count(turn, METRICS.messagesByChannel(conversation.channel));
    if (sessionId && senderContactId) await deps.sessions.touch(tenantId, sessionId, senderContactId);
    await publish(tenantId, turn.inbound);
  };

  return {
    /** Runs the committed turn's actions; returns the conversation's contact (learning may have merged it into another). */
    async run(turn: Received, plan: TurnPlan, applied: Applied): Promise<string> {
      const { tenantId } = turn;
      if (!turn.inboundStored) await received(turn);
      const learned = plan.learn
        ? await deps.contacts.learn(tenantId, plan.learn.contactId, plan.learn.facts)
        : undefined;
      for (const lead of applied.leads) await lead.announce();
      for (const handoff of applied.handoffs) await handoff.announce();
      if (applied.reply) await publish(tenantId, applied.reply);
      countOutcomes(deps.counters, turn, plan);
      return learned?.id ?? turn.conversation.contactId ?? '';
    },
  };
}

/** Test-mode conversations stay out of spec C's counters, as they do out of usage. */
function countOutcomes(counters: AfterTurnDeps['counters'], turn: Received, plan: TurnPlan): void {
  if (turn.conversation.mode !== 'live') return;
  const requested = plan.steps.filter((s) => s.type === 'appointment').length;
  if (requested > 0) counters.increment('appointments_scheduled', requested);
  // The dialog completes once it has the details, and its closing line promises that someone gets back to them.
  const completed = plan.state.conversation_stage === 'completed';
  if (!completed || turn.conversation.state.conversation_stage === 'completed') return;
  for (const field of ['callbacks_requested', `callbacks_requested_${turn.conversation.channel}`])
    counters.incrementForBusiness('callbacks_by_business', turn.tenantId, field);
}
