import type { StatusUpdate } from '../../channels/channel.js';
import { channelSettings } from '../../channels/settings.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { MessagingError } from '../../providers/messaging/messaging.js';
import type { Queue } from '../../queue/queue.js';
import { JobFailure } from '../../queue/queue.js';
import type { ComplianceService, ContactDecision } from '../compliance/index.js';
import type { ChannelDelivery, ConversationUpkeepService, OutboundMessage } from '../conversations/index.js';
import type { Counters } from '../metrics/index.js';
import type { TenantsService } from '../tenants/index.js';
import {
  planDelivery,
  settingsKey,
  whatsappTemplatePlan,
  type MessagingSenders,
  type Plan,
  type PlanInput,
} from './delivery-plan.js';
import type { InlineAnswer, InlineWindow, InlineWindows } from './inline-windows.js';
import type { ChannelDeliveryRecord, DeliveriesRepo } from './messaging.repo.js';

export interface DeliveryView {
  id: string;
  messageId: string;
  channel: string;
  status: string;
  kind: string | null;
  request: unknown;
  externalId: string | null;
  reason: string | null;
  attempts: number;
}

export interface MessagingDelivery extends ChannelDelivery {
  /** Runs one attempt of a delivery (the `channel.deliver` job). */
  attempt(
    tenantId: string,
    deliveryId: string,
    job: { attempt: number; maxAttempts: number; signal?: AbortSignal },
  ): Promise<unknown>;
  openInline(
    tenantId: string,
    channel: string,
    to: string,
    budgetMs: number,
    context: Record<string, unknown>,
  ): InlineWindow;
  /** Closes the window and claims its deliveries not yet sent: what the webhook answers with. */
  closeInline(tenantId: string, window: InlineWindow): Promise<InlineAnswer[]>;
  /** Forgets a window whose request already answered without its deliveries (they go out through the platform). */
  dropInline(window: InlineWindow): void;
  /** A platform's delivery reports for our messages; returns how many matched one. */
  applyStatuses(tenantId: string, channel: string, updates: StatusUpdate[]): Promise<number>;
  /** Messenger's "delivered/read up to" watermark for one recipient. */
  applyWatermark(
    tenantId: string,
    channel: string,
    recipient: string,
    status: 'delivered' | 'read',
    watermark: Date,
  ): Promise<number>;
  forMessage(tenantId: string, messageId: string): Promise<DeliveryView | undefined>;
}

/** What a delivery changes on its message and reads of its conversation, through the conversation core's door. */
export type ConversationMessages = Pick<
  ConversationUpkeepService,
  'setMessageStatus' | 'applyPlatformStatus' | 'lastInboundAt'
>;

export interface DeliveryPorts {
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'getConfigWithSecrets'>;
  /** Consent and quiet hours: asked before every attempt, so an opted-out number is never messaged. */
  compliance: Pick<ComplianceService, 'mayContact'>;
  senders: MessagingSenders;
  deliveries: DeliveriesRepo;
  messages: ConversationMessages;
  windows: InlineWindows;
  counters: Pick<Counters, 'increment' | 'incrementForBusiness'>;
}

type Outcome = {
  status: 'sent' | 'outbox' | 'held' | 'failed';
  kind?: string;
  request?: unknown;
  externalId?: string;
  reason?: string;
};

/** Records how a delivery ended, on the delivery and on the message agents and the API see. */
async function finish(ports: DeliveryPorts, tenantId: string, d: ChannelDeliveryRecord, outcome: Outcome) {
  const at = ports.clock.now().toISOString();
  await ports.deliveries.update(tenantId, d.id, {
    status: outcome.status,
    updatedAt: at,
    ...(outcome.kind ? { kind: outcome.kind } : {}),
    ...(outcome.request !== undefined ? { request: outcome.request } : {}),
    ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
    reason: outcome.reason ?? null,
    ...(outcome.status === 'sent' ? { sentAt: at } : {}),
  });
  // A message that did not go out says why.
  await ports.messages.setMessageStatus(
    tenantId,
    d.messageId,
    outcome.status === 'sent'
      ? { status: 'sent', error: null, ...(outcome.externalId ? { externalId: outcome.externalId } : {}) }
      : { status: outcome.status === 'failed' ? 'failed' : 'held', error: outcome.reason ?? null },
  );
  return {
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.externalId ? { external_id: outcome.externalId } : {}),
  };
}

async function sendPlanned(
  ports: DeliveryPorts,
  tenantId: string,
  d: ChannelDeliveryRecord,
  p: Plan & { kind: 'send' },
) {
  const result = await p.send();
  const done = await finish(ports, tenantId, d, {
    status: 'sent',
    kind: p.as,
    request: p.request,
    ...(result.externalMessageId ? { externalId: result.externalMessageId } : {}),
  });
  if (d.channel === 'sms') countCustomerSms(ports.counters, tenantId);
  return done;
}

/** A delivery goes to a conversation's participant, so an SMS that went out is one to a customer. */
function countCustomerSms(counters: DeliveryPorts['counters'], tenantId: string): void {
  counters.increment('sms_sent_total');
  counters.increment('sms_sent_customer');
  counters.incrementForBusiness('sms_by_business', tenantId, 'sms_sent_total');
  counters.incrementForBusiness('sms_by_business', tenantId, 'sms_sent_customer');
}

/**
 * What compliance forbids: an opted-out recipient's message is held for good; one outside the
 * recipient's allowed hours goes back to pending with its due time, and a delayed job (durable in
 * the queue) tries again when the window opens, asking compliance once more.
 */
async function refrain(
  ports: DeliveryPorts,
  tenantId: string,
  d: ChannelDeliveryRecord,
  gate: Exclude<ContactDecision, { kind: 'allowed' }>,
) {
  if (gate.kind === 'opted_out')
    return finish(ports, tenantId, d, {
      status: 'held',
      reason: `the recipient opted out of ${d.channel} messages on ${gate.since}: not sent`,
    });
  const due = gate.until.toISOString();
  const reason = `quiet hours in ${gate.zone}: held until ${due}`;
  await ports.deliveries.update(tenantId, d.id, {
    status: 'pending',
    attempts: d.attempts,
    dueAt: due,
    reason,
    updatedAt: ports.clock.now().toISOString(),
  });
  await ports.messages.setMessageStatus(tenantId, d.messageId, { status: 'held', error: reason });
  await ports.queue.enqueue(
    'channel.deliver',
    { tenantId, deliveryId: d.id },
    {
      tenantId,
      dedupeKey: `channel.deliver:${d.id}:${due}`,
      delayMs: Math.max(0, gate.until.getTime() - ports.clock.now().getTime()),
    },
  );
  return { status: 'held', reason, due_at: due };
}

/** One attempt of a delivery: plan, send, record; a failure retrying can help is thrown back to the queue. */
async function attemptDelivery(
  ports: DeliveryPorts,
  tenantId: string,
  deliveryId: string,
  job: { attempt: number; maxAttempts: number; signal?: AbortSignal },
): Promise<unknown> {
  const d = await ports.deliveries.findById(tenantId, deliveryId);
  if (!d || (d.status !== 'pending' && d.status !== 'sending')) return { status: d?.status ?? 'missing' };
  const now = () => ports.clock.now().toISOString();
  const claimed = await ports.deliveries.transition(tenantId, d.id, ['pending', 'sending'], {
    status: 'sending',
    attempts: d.attempts + 1,
    updatedAt: now(),
  });
  if (!claimed) return { status: 'claimed_elsewhere' };
  const gate = await ports.compliance.mayContact(tenantId, d.recipient, d.channel, ports.clock.now());
  if (gate.kind !== 'allowed') return refrain(ports, tenantId, d, gate);
  const settings = channelSettings(await ports.tenants.getConfigWithSecrets(tenantId), settingsKey(d.channel));
  const input: PlanInput = {
    delivery: d,
    settings,
    senders: ports.senders,
    signal: job.signal,
    sinceLastInbound: async () => {
      const last = await ports.messages.lastInboundAt(tenantId, d.conversationId);
      return last ? ports.clock.now().getTime() - Date.parse(last) : Infinity;
    },
  };
  const p = await planDelivery(input);
  if (p.kind === 'held') return finish(ports, tenantId, d, { status: 'held', reason: p.reason });
  if (p.kind === 'outbox')
    return finish(ports, tenantId, d, { status: 'outbox', kind: p.as, request: p.request, reason: p.reason });
  let sending = p;
  try {
    return await sendPlanned(ports, tenantId, d, p);
  } catch (first) {
    let err = first;
    if (
      err instanceof MessagingError &&
      err.kind === 'outside_window' &&
      d.channel === 'whatsapp' &&
      p.as === 'text' &&
      settings
    ) {
      // Our clock said WhatsApp's window was open, WhatsApp's says not: WhatsApp's wins, and a template goes instead.
      const template = whatsappTemplatePlan(input, settings, `WhatsApp refused a free-form message (${err.message})`);
      if (template.kind !== 'send')
        return finish(ports, tenantId, d, {
          status: 'held',
          reason: template.kind === 'held' ? template.reason : err.message,
        });
      sending = template;
      try {
        return await sendPlanned(ports, tenantId, d, template);
      } catch (again) {
        err = again;
      }
    }
    const message = err instanceof Error ? err.message : String(err);
    const retryable = !(err instanceof MessagingError) || err.retryable;
    if (retryable && job.attempt < job.maxAttempts) {
      await ports.deliveries.update(tenantId, d.id, { reason: message, updatedAt: now() });
      throw err;
    }
    await finish(ports, tenantId, d, { status: 'failed', kind: sending.as, request: sending.request, reason: message });
    throw new JobFailure(message, false);
  }
}

/** Stores the delivery (once per message) and queues its first attempt, held back while an inline window may claim it. */
async function deliver(ports: DeliveryPorts, tenantId: string, message: OutboundMessage): Promise<void> {
  const open = ports.windows.find(tenantId, message.channel, message.to);
  // Past its deadline a window no longer holds deliveries back, but still lends its context (a slash command's response_url).
  const window = open && open.deadline > Date.now() ? open : undefined;
  const { delivery, created } = await ports.deliveries.insert(
    tenantId,
    {
      id: newId('dlv'),
      messageId: message.messageId,
      conversationId: message.conversationId,
      channel: message.channel,
      recipient: message.to,
      replyTo: message.replyTo ?? null,
      text: message.text,
      quickReplies: message.quickReplies.map((q) => ({ title: q.title, payload: q.payload })),
      context: { ...open?.context, ...message.context },
    },
    ports.clock.now().toISOString(),
  );
  if (!created) return;
  if (window) window.deliveryIds.push(delivery.id);
  const delayMs = window ? Math.max(0, window.deadline - Date.now()) + 250 : 0;
  await ports.queue.enqueue(
    'channel.deliver',
    { tenantId, deliveryId: delivery.id },
    { tenantId, dedupeKey: `channel.deliver:${delivery.id}`, ...(delayMs ? { delayMs } : {}) },
  );
}

async function applyStatuses(ports: DeliveryPorts, tenantId: string, channel: string, updates: StatusUpdate[]) {
  let matched = 0;
  for (const u of updates)
    if (await ports.messages.applyPlatformStatus(tenantId, channel, u.externalMessageId, u.status, u.error ?? null))
      matched += 1;
  return matched;
}

export function createMessagingDelivery(ports: DeliveryPorts): MessagingDelivery {
  return {
    deliver: (tenantId, message) => deliver(ports, tenantId, message),
    attempt: (tenantId, deliveryId, job) => attemptDelivery(ports, tenantId, deliveryId, job),
    openInline: (tenantId, channel, to, budgetMs, context) =>
      ports.windows.open(tenantId, channel, to, budgetMs, context),
    dropInline: (window) => ports.windows.drop(window),
    closeInline: (tenantId, window) => ports.windows.close(tenantId, window),
    applyStatuses: (tenantId, channel, updates) => applyStatuses(ports, tenantId, channel, updates),
    async applyWatermark(tenantId, channel, recipient, status, watermark) {
      let matched = 0;
      for (const id of await ports.deliveries.sentBefore(tenantId, channel, recipient, watermark.toISOString()))
        if (await ports.messages.applyPlatformStatus(tenantId, channel, id, status, null)) matched += 1;
      return matched;
    },
    async forMessage(tenantId, messageId) {
      const d = await ports.deliveries.findByMessage(tenantId, messageId);
      if (!d) return undefined;
      const { id, channel, status, kind, request, externalId, reason, attempts } = d;
      return { id, messageId: d.messageId, channel, status, kind, request, externalId, reason, attempts };
    },
  };
}
