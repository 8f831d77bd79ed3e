import type { ChannelSettings } from '../../channels/settings.js';
import type { SendResult } from '../../providers/messaging/messaging.js';
import type { MessengerSender } from '../../providers/messaging/messenger.js';
import type { SlackWebSender } from '../../providers/messaging/slack-web.js';
import type { TelegramSender } from '../../providers/messaging/telegram.js';
import type { TwilioSmsSender } from '../../providers/sms/twilio.js';
import { whatsappTemplateBody, whatsappTextBody, type WhatsAppSender } from '../../providers/messaging/whatsapp.js';
import type { ChannelDeliveryRecord } from './messaging.repo.js';

/**
 * What one delivery attempt will do, decided from the delivery and the tenant's channel settings:
 * send through the platform (and with which request), record in the outbox when the tenant has
 * no credentials, or hold when the platform's rules forbid sending now.
 */

/** WhatsApp's customer-service window: free-form messages only within 24 hours of the customer's last one. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface MessagingSenders {
  whatsapp: WhatsAppSender;
  messenger: MessengerSender;
  slack: SlackWebSender;
  telegram: TelegramSender;
  sms: TwilioSmsSender;
}

export type Plan =
  | { kind: 'send'; as: 'text' | 'template'; request: unknown; send: () => Promise<SendResult> }
  | { kind: 'outbox'; as: 'text'; request: unknown; reason: string }
  | { kind: 'held'; reason: string };

export interface PlanInput {
  delivery: ChannelDeliveryRecord;
  settings: ChannelSettings | undefined;
  senders: MessagingSenders;
  signal?: AbortSignal | undefined;
  /** Milliseconds since the customer last wrote in this conversation (Infinity when never). */
  sinceLastInbound: () => Promise<number>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The tenant configuration's `channels.<key>` a delivery's channel reads its credentials from. */
export const settingsKey = (channel: string): string => (channel === 'sms' ? 'twilio' : channel);

const missing = (d: ChannelDeliveryRecord, what: string) =>
  `no ${d.channel} credentials (${what}) are configured for this tenant: recorded in the outbox, not sent`;

function vendorBase(s: ChannelSettings | undefined) {
  return {
    ...(s?.api_base_url ? { baseUrl: s.api_base_url } : {}),
    ...(s?.api_version ? { apiVersion: s.api_version } : {}),
  };
}

/** The number the customer wrote to answers them (a tenant may have several), else the configured one. */
function whatsappNumber(d: ChannelDeliveryRecord, s: ChannelSettings | undefined): string | undefined {
  return str(d.context.phone_number_id) ?? s?.phone_number_id;
}

/** Outside the window only an approved template may go out; without one the message is held. */
export function whatsappTemplatePlan(input: PlanInput, s: ChannelSettings, why: string): Plan {
  const d = input.delivery;
  const template = s.reengagement_template;
  if (!template)
    return {
      kind: 'held',
      reason: `${why} and no approved template is configured (channels.whatsapp.reengagement_template)`,
    };
  const t = {
    name: template.name,
    languageCode: template.language,
    bodyParameters: template.include_text ? [d.text] : [],
  };
  const creds = { phoneNumberId: whatsappNumber(d, s)!, accessToken: s.access_token!, ...vendorBase(s) };
  return {
    kind: 'send',
    as: 'template',
    request: whatsappTemplateBody(t),
    send: () => input.senders.whatsapp.sendTemplate(creds, d.recipient, t),
  };
}

async function whatsappPlan(input: PlanInput): Promise<Plan> {
  const { delivery: d, settings: s, senders, signal } = input;
  const request = whatsappTextBody(d.text, d.quickReplies);
  const phoneNumberId = whatsappNumber(d, s);
  if (!phoneNumberId || !s?.access_token)
    return {
      kind: 'outbox',
      as: 'text',
      request,
      reason: missing(d, 'channels.whatsapp.phone_number_id and access_token'),
    };
  if ((await input.sinceLastInbound()) > WHATSAPP_WINDOW_MS)
    return whatsappTemplatePlan(input, s, "outside WhatsApp's 24-hour customer-service window");
  const creds = { phoneNumberId, accessToken: s.access_token, ...vendorBase(s) };
  return {
    kind: 'send',
    as: 'text',
    request,
    send: () => senders.whatsapp.sendText(creds, d.recipient, d.text, d.quickReplies, signal),
  };
}

function messengerPlan({ delivery: d, settings: s, senders, signal }: PlanInput): Plan {
  const request = { recipient: { id: d.recipient }, messaging_type: 'RESPONSE', text: d.text };
  if (!s?.access_token)
    return { kind: 'outbox', as: 'text', request, reason: missing(d, 'channels.messenger.access_token') };
  const creds = { pageAccessToken: s.access_token, ...vendorBase(s) };
  return {
    kind: 'send',
    as: 'text',
    request,
    send: () => senders.messenger.sendText(creds, d.recipient, d.text, d.quickReplies, signal),
  };
}

function slackPlan({ delivery: d, settings: s, senders, signal }: PlanInput): Plan {
  const responseUrl = str(d.context.response_url);
  // A slash command's response_url needs no token: Slack handed it to us for this answer.
  if (responseUrl)
    return {
      kind: 'send',
      as: 'text',
      request: { response_url: responseUrl, text: d.text },
      send: () => senders.slack.respond(responseUrl, d.text, d.quickReplies, signal),
    };
  const channel = d.replyTo ?? d.recipient;
  const request = { channel, text: d.text };
  const botToken = s?.bot_token;
  if (!botToken) return { kind: 'outbox', as: 'text', request, reason: missing(d, 'channels.slack.bot_token') };
  const creds = { botToken, ...(s.api_base_url ? { baseUrl: s.api_base_url } : {}) };
  return {
    kind: 'send',
    as: 'text',
    request,
    send: () => senders.slack.postMessage(creds, channel, d.text, d.quickReplies, str(d.context.thread_ts), signal),
  };
}

function telegramPlan({ delivery: d, settings: s, senders, signal }: PlanInput): Plan {
  const chat = d.replyTo ?? d.recipient;
  const request = { chat_id: chat, text: d.text };
  if (!s?.bot_token) return { kind: 'outbox', as: 'text', request, reason: missing(d, 'channels.telegram.bot_token') };
  const creds = { botToken: s.bot_token, ...(s.api_base_url ? { baseUrl: s.api_base_url } : {}) };
  return {
    kind: 'send',
    as: 'text',
    request,
    send: async () => {
      const callback = str(d.context.callback_query_id);
      // Stops the spinner on the tapped button; the answer itself is the message below.
      if (callback) await senders.telegram.answerCallbackQuery(creds, callback, signal).catch(() => undefined);
      return senders.telegram.sendMessage(creds, chat, d.text, d.quickReplies, signal);
    },
  };
}

/** Through Twilio from the number the customer wrote to (else the tenant's), or the outbox without credentials. */
function smsPlan({ delivery: d, settings: s, senders, signal }: PlanInput): Plan {
  const from = str(d.context.to) ?? s?.phone_number;
  const request = { To: d.recipient, From: from ?? null, Body: d.text };
  if (!s?.account_sid || !s.auth_token || !from)
    return {
      kind: 'outbox',
      as: 'text',
      request,
      reason: missing(d, 'channels.twilio.account_sid, auth_token and phone_number'),
    };
  const creds = {
    accountSid: s.account_sid,
    authToken: s.auth_token,
    ...(s.api_base_url ? { baseUrl: s.api_base_url } : {}),
  };
  return {
    kind: 'send',
    as: 'text',
    request,
    send: () => senders.sms.send(creds, { to: d.recipient, from, body: d.text }, signal),
  };
}

export async function planDelivery(input: PlanInput): Promise<Plan> {
  const d = input.delivery;
  switch (d.channel) {
    case 'whatsapp':
      return whatsappPlan(input);
    case 'messenger':
      return messengerPlan(input);
    case 'slack':
      return slackPlan(input);
    case 'telegram':
      return telegramPlan(input);
    case 'sms':
      return smsPlan(input);
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
        request: { to: d.recipient, text: d.text },
        reason: `the ${d.channel} channel has no platform sender: recorded in the outbox, not sent`,
      };
  }
}
