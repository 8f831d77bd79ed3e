import type { ContactsService } from '../contacts/contacts.service.js';
import type { LiveBus } from '../live/live-bus.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import { METRICS, type UsageService } from '../usage/index.js';
import { toMessageRecord, type MessageRecord } from './messages.view.js';
import type { HandoffService } from './transfers.service.js';
import type { Applied, Received, TurnPlan } from './turn-types.js';

export interface AfterTurnDeps {
  contacts: ContactsService;
  sessions: SessionsService;
  live: LiveBus;
  usage: UsageService;
  transfers: () => Pick<HandoffService, 'announceOpen'>;
}

/**
 * What a turn does once its rows are committed, in this order: usage, the session, the live
 * events, learning the contact's facts, the lead's webhooks and the transfer's notice on the
 * platform. None of it could be rolled back, so it waits for the commit.
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

  /** A newly stored message is counted and published as it was received. */
  const received = async ({
    tenantId,
    conversation,
    conversationIsNew,
    inbound,
    sessionId,
    senderContactId,
  }: Received): Promise<void> => {
    if (conversationIsNew) deps.usage.add(tenantId, METRICS.conversations);
    deps.usage.add(tenantId, METRICS.messagesInbound);
    deps.usage.add(tenantId, METRICS.messagesByChannel(conversation.channel));
    if (sessionId && senderContactId) await deps.sessions.touch(tenantId, sessionId, senderContactId);
    await publish(tenantId, toMessageRecord(inbound));
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
      for (const step of plan.steps) {
        if (step.type !== 'transfer') continue;
        await deps.transfers().announceOpen(tenantId, step.plan);
        deps.usage.add(tenantId, METRICS.conversationsEscalated);
      }
      if (applied.reply) {
        deps.usage.add(tenantId, METRICS.messagesOutbound);
        await publish(tenantId, toMessageRecord(applied.reply));
      }
      return learned?.id ?? turn.conversation.contact_id ?? '';
    },
  };
}
