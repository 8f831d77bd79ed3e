import type { ChannelMessage } from '../../channels/channel.js';
import type { Queue } from '../../queue/queue.js';
import type { ConversationInbox, InboundMessage, InboundResult } from '../conversations/index.js';
import type { InlineAnswer, MessagingDelivery } from '../messaging/index.js';
import type { ConversationRows } from './inbound.repo.js';

/** What an inline-answering request (slash command, Teams) gets back from its turn. */
export interface InlineReply {
  /** The answers produced in time, to be rendered in the platform's response format. */
  answers: InlineAnswer[];
  /** False when the turn outlived the platform's deadline and carries on in the background. */
  completed: boolean;
  duplicate: boolean;
}

export interface TurnPorts {
  queue: Queue;
  inbox: ConversationInbox;
  delivery: MessagingDelivery;
  conversations: Pick<ConversationRows, 'findReply'>;
}

/** Hands a message to the core, then queues its reply (deliver is idempotent per reply, so a redelivered message heals a lost one). */
export async function receiveOne(ports: TurnPorts, tenantId: string, message: ChannelMessage): Promise<InboundResult> {
  const inbound: InboundMessage = {
    ...message,
    context: { ...message.context, ...(message.replyTo ? { reply_to: message.replyTo } : {}) },
  };
  const result = await ports.inbox.receive(tenantId, inbound);
  if (!result.reply) return result;
  const reply = await ports.conversations.findReply(tenantId, result.messageId);
  if (reply) {
    await ports.delivery.deliver(tenantId, {
      channel: message.channel,
      conversationId: reply.conversationId,
      messageId: reply.id,
      to: message.platformUserId,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      text: result.reply.text,
      quickReplies: result.reply.quickReplies,
      ...(inbound.context ? { context: inbound.context } : {}),
    });
  }
  return result;
}

/**
 * For platforms with a short deadline: a durable job is queued first (so the message survives
 * a crash after the early answer), then the turn runs here against the budget. Replies queued
 * for this sender meanwhile are held back so the request can answer with them itself.
 */
export async function receiveWithin(
  ports: TurnPorts,
  tenantId: string,
  message: ChannelMessage,
  budgetMs: number,
  inline: boolean,
): Promise<InlineReply> {
  await ports.queue.enqueue(
    'channel.receive',
    { tenantId, message: { ...message, receivedAt: message.receivedAt.toISOString() } },
    {
      tenantId,
      dedupeKey: `channel.receive:${tenantId}:${message.channel}:${message.externalMessageId}`,
      delayMs: budgetMs + 1_000,
    },
  );
  const { delivery } = ports;
  const window = inline
    ? delivery.openInline(tenantId, message.channel, message.platformUserId, budgetMs, message.context ?? {})
    : undefined;
  const drop = () => {
    if (window) delivery.dropInline(window);
  };
  const work = receiveOne(ports, tenantId, message);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    const result = await Promise.race([work, timeout]);
    if (!result) {
      // The turn goes on without us; the queued job repeats it (as a duplicate) should this process die first.
      work.then(drop, drop);
      return { answers: [], completed: false, duplicate: false };
    }
    return {
      answers: window ? await delivery.closeInline(tenantId, window) : [],
      completed: true,
      duplicate: result.duplicate,
    };
  } catch (err) {
    drop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The `channel.receive` job: a message whose webhook answered before its turn finished. */
export async function receiveLater(ports: TurnPorts, tenantId: string, raw: Record<string, unknown>) {
  const message = { ...(raw as unknown as ChannelMessage), receivedAt: new Date(String(raw.receivedAt)) };
  const result = await receiveOne(ports, tenantId, message);
  return { duplicate: result.duplicate, message_id: result.messageId };
}
