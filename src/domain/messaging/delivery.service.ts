import type { StatusUpdate } from '../../channels/channel.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { MessagingError, type QuickReplyOption, type SendResult } from '../../providers/messaging/messaging.js';
import type { MessengerSender } from '../../providers/messaging/messenger.js';
import type { SlackWebSender } from '../../providers/messaging/slack-web.js';
import type { TelegramSender } from '../../providers/messaging/telegram.js';
import { whatsappTemplateBody, whatsappTextBody, type WhatsAppSender } from '../../providers/messaging/whatsapp.js';
import type { Queue } from '../../queue/queue.js';
import { JobFailure } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { ChannelDelivery, OutboundMessage } from '../conversations/inbound.js';
import type { TenantsService } from '../tenants/index.js';
import { channelSettings, type ChannelSettings } from './channel-settings.js';
import * as repo from './messaging.repo.js';

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last one. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface MessagingSenders {
  whatsapp: WhatsAppSender;
  messenger: MessengerSender;
  slack: SlackWebSender;
  telegram: TelegramSender;
}

/**
 * A webhook request that may still answer in its own HTTP response (a Slack slash command, a
 * Teams outgoing webhook). Deliveries to its sender made while it is open wait for its deadline,
 * so the request can claim them and answer inline; unclaimed ones go out through the platform.
 */
export interface InlineWindow {
  readonly key: string;
  readonly deadline: number;
  readonly context: Record<string, unknown>;
  readonly deliveryIds: string[];
}

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
  closeInline(tenantId: string, window: InlineWindow): Promise<{ text: string; quickReplies: QuickReplyOption[] }[]>;
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

type Plan =
  | { kind: 'send'; as: 'text' | 'template'; request: unknown; send: () => Promise<SendResult> }
  | { kind: 'outbox'; as: 'text'; request: unknown; reason: string }
  | { kind: 'held'; reason: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function createMessagingDelivery(deps: {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: TenantsService;
  senders: MessagingSenders;
}): MessagingDelivery {
  const { db, clock, queue, senders } = deps;
  const windows = new Map<string, InlineWindow>();
  const now = () => clock.now().toISOString();

  const finish = async (
    row: repo.DeliveryRow,
    patch: {
      status: 'sent' | 'outbox' | 'held' | 'failed';
      kind?: string;
      request?: unknown;
      externalId?: string;
      reason?: string;
    },
  ) => {
    const at = now();
    await repo.update(db, row.tenant_id, row.id, {
      status: patch.status,
      updated_at: at,
      ...(patch.kind ? { kind: patch.kind } : {}),
      ...(patch.request !== undefined ? { request: toJson(patch.request) } : {}),
      ...(patch.externalId ? { external_id: patch.externalId } : {}),
      reason: patch.reason ?? null,
      ...(patch.status === 'sent' ? { sent_at: at } : {}),
    });
    // The message row is what agents and the API see: a message that did not go out says why.
    if (patch.status === 'sent')
      await repo.setMessageStatus(db, row.tenant_id, row.message_id, {
        status: 'sent',
        error: null,
        ...(patch.externalId ? { external_id: patch.externalId } : {}),
      });
    else
      await repo.setMessageStatus(db, row.tenant_id, row.message_id, {
        status: patch.status === 'failed' ? 'failed' : 'held',
        error: patch.reason ?? null,
      });
    return {
      status: patch.status,
      ...(patch.reason ? { reason: patch.reason } : {}),
      ...(patch.externalId ? { external_id: patch.externalId } : {}),
    };
  };

  /** The number the customer wrote to answers them (a tenant may have several), else the configured one. */
  const whatsappNumber = (row: repo.DeliveryRow, s: ChannelSettings | undefined) =>
    str(fromJson<Record<string, unknown>>(row.context, {}).phone_number_id) ?? s?.phone_number_id;

  const whatsappTemplatePlan = (
    row: repo.DeliveryRow,
    s: ChannelSettings,
    to: string,
    text: string,
    why: string,
  ): Plan => {
    const template = s.reengagement_template;
    if (!template)
      return {
        kind: 'held',
        reason: `${why} and no approved template is configured (channels.whatsapp.reengagement_template)`,
      };
    const t = {
      name: template.name,
      languageCode: template.language,
      bodyParameters: template.include_text ? [text] : [],
    };
    const creds = {
      phoneNumberId: whatsappNumber(row, s)!,
      accessToken: s.access_token!,
      ...(s.api_base_url ? { baseUrl: s.api_base_url } : {}),
      ...(s.api_version ? { apiVersion: s.api_version } : {}),
    };
    return {
      kind: 'send',
      as: 'template',
      request: whatsappTemplateBody(t),
      send: () => senders.whatsapp.sendTemplate(creds, to, t),
    };
  };

  const plan = async (row: repo.DeliveryRow, s: ChannelSettings | undefined, signal?: AbortSignal): Promise<Plan> => {
    const text = row.text;
    const quick = fromJson<QuickReplyOption[]>(row.quick_replies, []);
    const context = fromJson<Record<string, unknown>>(row.context, {});
    const to = row.recipient;
    const base = s?.api_base_url ? { baseUrl: s.api_base_url } : {};
    const version = s?.api_version ? { apiVersion: s.api_version } : {};
    const missing = (what: string) =>
      `no ${row.channel} credentials (${what}) are configured for this tenant: recorded in the outbox, not sent`;
    switch (row.channel) {
      case 'whatsapp': {
        const request = whatsappTextBody(text, quick);
        const phoneNumberId = whatsappNumber(row, s);
        if (!phoneNumberId || !s?.access_token)
          return {
            kind: 'outbox',
            as: 'text',
            request,
            reason: missing('channels.whatsapp.phone_number_id and access_token'),
          };
        const last = await repo.lastInboundAt(db, row.tenant_id, row.conversation_id);
        const since = last ? clock.now().getTime() - Date.parse(last) : Infinity;
        if (since > WHATSAPP_WINDOW_MS)
          return whatsappTemplatePlan(row, s, to, text, "outside WhatsApp's 24-hour customer-service window");
        const creds = { phoneNumberId, accessToken: s.access_token, ...base, ...version };
        return {
          kind: 'send',
          as: 'text',
          request,
          send: () => senders.whatsapp.sendText(creds, to, text, quick, signal),
        };
      }
      case 'messenger': {
        const request = { recipient: { id: to }, messaging_type: 'RESPONSE', text };
        if (!s?.access_token)
          return { kind: 'outbox', as: 'text', request, reason: missing('channels.messenger.access_token') };
        const creds = { pageAccessToken: s.access_token, ...base, ...version };
        return {
          kind: 'send',
          as: 'text',
          request,
          send: () => senders.messenger.sendText(creds, to, text, quick, signal),
        };
      }
      case 'slack': {
        const responseUrl = str(context.response_url);
        // A slash command's response_url needs no token: Slack handed it to us for this answer.
        if (responseUrl)
          return {
            kind: 'send',
            as: 'text',
            request: { response_url: responseUrl, text },
            send: () => senders.slack.respond(responseUrl, text, quick, signal),
          };
        const channel = row.reply_to ?? to;
        const request = { channel, text };
        if (!s?.bot_token) return { kind: 'outbox', as: 'text', request, reason: missing('channels.slack.bot_token') };
        return {
          kind: 'send',
          as: 'text',
          request,
          send: () =>
            senders.slack.postMessage(
              { botToken: s.bot_token!, ...base },
              channel,
              text,
              quick,
              str(context.thread_ts),
              signal,
            ),
        };
      }
      case 'telegram': {
        const chat = row.reply_to ?? to;
        const request = { chat_id: chat, text };
        if (!s?.bot_token)
          return { kind: 'outbox', as: 'text', request, reason: missing('channels.telegram.bot_token') };
        const creds = { botToken: s.bot_token, ...base };
        return {
          kind: 'send',
          as: 'text',
          request,
          send: async () => {
            const callback = str(context.callback_query_id);
            // Stops the spinner on the tapped button; the answer itself is the message below.
            if (callback) await senders.telegram.answerCallbackQuery(creds, callback, signal).catch(() => undefined);
            return senders.telegram.sendMessage(creds, chat, text, quick, signal);
          },
        };
      }
      case 'teams':
        return {
          kind: 'held',
          reason:
            'Teams outgoing webhooks can only answer in their HTTP response (within 5 seconds); this message came too late to be sent',
        };
      default:
        return {
          kind: 'outbox',
          as: 'text',
          request: { to, text },
          reason: `the ${row.channel} channel has no platform sender: recorded in the outbox, not sent`,
        };
    }
  };

  return {
    async deliver(tenantId: string, message: OutboundMessage): Promise<void> {
      const open = windows.get(`${tenantId}:${message.channel}:${message.to}`);
      // Past its deadline a window no longer holds deliveries back, but still lends its context (a slash command's response_url).
      const window = open && open.deadline > Date.now() ? open : undefined;
      const at = now();
      const { row, created } = await repo.insertDelivery(db, tenantId, {
        id: newId('dlv'),
        message_id: message.messageId,
        conversation_id: message.conversationId,
        channel: message.channel,
        recipient: message.to,
        reply_to: message.replyTo ?? null,
        text: message.text,
        quick_replies: toJson(message.quickReplies.map((q) => ({ title: q.title, payload: q.payload }))),
        context: toJson({ ...open?.context, ...message.context }),
        status: 'pending',
        kind: null,
        request: null,
        external_id: null,
        attempts: 0,
        reason: null,
        created_at: at,
        updated_at: at,
        sent_at: null,
      });
      if (!created) return;
      if (window) window.deliveryIds.push(row.id);
      // Held until the inline deadline when a webhook request may still answer with it itself.
      const delayMs = window ? Math.max(0, window.deadline - Date.now()) + 250 : 0;
      await queue.enqueue(
        'channel.deliver',
        { tenantId, deliveryId: row.id },
        { tenantId, dedupeKey: `channel.deliver:${row.id}`, ...(delayMs ? { delayMs } : {}) },
      );
    },

    async attempt(tenantId, deliveryId, job) {
      const row = await repo.findById(db, tenantId, deliveryId);
      if (!row || (row.status !== 'pending' && row.status !== 'sending')) return { status: row?.status ?? 'missing' };
      const claimed = await repo.transition(db, tenantId, row.id, ['pending', 'sending'], {
        status: 'sending',
        attempts: row.attempts + 1,
        updated_at: now(),
      });
      if (!claimed) return { status: 'claimed_elsewhere' };
      const config = await deps.tenants.getConfigWithSecrets(tenantId);
      const settings = channelSettings(config, row.channel);
      let p = await plan(row, settings, job.signal);
      if (p.kind === 'held') return finish(row, { status: 'held', reason: p.reason });
      if (p.kind === 'outbox')
        return finish(row, { status: 'outbox', kind: p.as, request: p.request, reason: p.reason });
      try {
        const result = await p.send();
        return await finish(row, {
          status: 'sent',
          kind: p.as,
          request: p.request,
          ...(result.externalMessageId ? { externalId: result.externalMessageId } : {}),
        });
      } catch (first) {
        let err = first;
        if (
          err instanceof MessagingError &&
          err.kind === 'outside_window' &&
          row.channel === 'whatsapp' &&
          p.as === 'text' &&
          settings
        ) {
          // Our clock said the window was open, WhatsApp's says not: WhatsApp's wins.
          p = whatsappTemplatePlan(
            row,
            settings,
            row.recipient,
            row.text,
            `WhatsApp refused a free-form message (${err.message})`,
          );
          if (p.kind !== 'send')
            return finish(row, { status: 'held', reason: p.kind === 'held' ? p.reason : err.message });
          try {
            const result = await p.send();
            return await finish(row, {
              status: 'sent',
              kind: p.as,
              request: p.request,
              ...(result.externalMessageId ? { externalId: result.externalMessageId } : {}),
            });
          } catch (again) {
            err = again;
          }
        }
        const message = err instanceof Error ? err.message : String(err);
        const retryable = !(err instanceof MessagingError) || err.retryable;
        if (retryable && job.attempt < job.maxAttempts) {
          await repo.update(db, tenantId, row.id, { reason: message, updated_at: now() });
          throw err;
        }
        await finish(row, { status: 'failed', kind: p.as, request: p.request, reason: message });
        throw new JobFailure(message, false);
      }
    },

    openInline(tenantId, channel, to, budgetMs, context) {
      const window: InlineWindow = {
        key: `${tenantId}:${channel}:${to}`,
        deadline: Date.now() + budgetMs,
        context,
        deliveryIds: [],
      };
      windows.set(window.key, window);
      return window;
    },

    dropInline(window) {
      if (windows.get(window.key) === window) windows.delete(window.key);
    },

    async closeInline(tenantId, window) {
      if (windows.get(window.key) === window) windows.delete(window.key);
      const answers: { text: string; quickReplies: QuickReplyOption[] }[] = [];
      for (const id of window.deliveryIds) {
        const row = await repo.findById(db, tenantId, id);
        if (!row) continue;
        const at = now();
        if (
          await repo.transition(db, tenantId, id, ['pending'], {
            status: 'inline',
            updated_at: at,
            sent_at: at,
            kind: 'text',
          })
        ) {
          await repo.setMessageStatus(db, tenantId, row.message_id, { status: 'sent', error: null });
          answers.push({ text: row.text, quickReplies: fromJson<QuickReplyOption[]>(row.quick_replies, []) });
        }
      }
      return answers;
    },

    async applyStatuses(tenantId, channel, updates) {
      let matched = 0;
      for (const u of updates)
        if (await repo.applyStatus(db, tenantId, channel, u.externalMessageId, u.status, u.error ?? null)) matched += 1;
      return matched;
    },

    async applyWatermark(tenantId, channel, recipient, status, watermark) {
      let matched = 0;
      for (const id of await repo.sentBefore(db, tenantId, channel, recipient, watermark.toISOString()))
        if (await repo.applyStatus(db, tenantId, channel, id, status, null)) matched += 1;
      return matched;
    },

    async forMessage(tenantId, messageId) {
      const row = await repo.findByMessage(db, tenantId, messageId);
      if (!row) return undefined;
      return {
        id: row.id,
        messageId: row.message_id,
        channel: row.channel,
        status: row.status,
        kind: row.kind,
        request: fromJson<unknown>(row.request, null),
        externalId: row.external_id,
        reason: row.reason,
        attempts: row.attempts,
      };
    },
  };
}
