import type { ChannelMessage } from '../../channels/channel.js';
import { messengerChannel, type MessengerBatch } from '../../channels/messenger.js';
import { channelSettings, type ChannelSettings } from '../../channels/settings.js';
import { slackChannel } from '../../channels/slack.js';
import { teamsChannel } from '../../channels/teams.js';
import { telegramChannel, TELEGRAM_SECRET_HEADER } from '../../channels/telegram.js';
import { whatsappChannel, type WhatsAppBatch } from '../../channels/whatsapp.js';
import { header } from '../../channels/channel.js';
import type { InboundResult } from '../conversations/index.js';
import { AppError, invalid } from '../errors.js';
import type { MessagingDelivery } from '../messaging/index.js';
import { receive, signatureError, type ChannelHook, type ReceivePorts, type ReceiveSpec } from './receive.js';
import { receiveOne, receiveWithin, type InlineReply, type TurnPorts } from './turns.js';

/**
 * The messaging platforms' webhooks, each the one receive flow plus what its platform needs:
 * WhatsApp by `metadata.phone_number_id`, Messenger by Page id, Slack by `api_app_id` /
 * `team_id`, Telegram by its secret token's fingerprint; Teams carries nothing of ours, so the
 * tenant is the one among those with Teams whose token verifies the request. `?tenant_id=`
 * narrows any channel to one tenant.
 */

/** What a batch webhook did: the messages handed to the core and the delivery reports applied. */
export interface ReceivedBatch {
  results: InboundResult[];
  statusesApplied: number;
}

/** What a Slack request answers: the URL challenge, an acknowledgement, nothing, or (slash commands) the turn's inline reply. */
export type SlackAnswer =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'received'; duplicate: boolean }
  | { kind: 'empty' }
  | { kind: 'inline'; reply: InlineReply };

/** Slack wants an answer within 3 s, Teams within 5 s: the turn gets this long before the request answers without it. */
export const SLACK_BUDGET_MS = 2_500;
export const TEAMS_BUDGET_MS = 4_500;

export type HookPorts = ReceivePorts & TurnPorts & { delivery: MessagingDelivery };

const settingsFor = (ports: HookPorts, channel: string) => async (tenantId: string) => {
  const config = await ports.tenants.getConfigWithSecrets(tenantId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  return config && channelSettings(config, channel);
};

type Spec<E> = Omit<ReceiveSpec<ChannelSettings, E>, 'settingsOf'>;
const receiveOn = <E>(ports: HookPorts, spec: Spec<E>) =>
  receive(ports, { ...spec, settingsOf: settingsFor(ports, spec.channel.id) });

export async function whatsappHook(ports: HookPorts, hook: ChannelHook): Promise<ReceivedBatch> {
  const { tenantOf, event } = await receiveOn<WhatsAppBatch[]>(ports, {
    channel: whatsappChannel,
    hook,
    noRecipient: () =>
      invalid(
        [{ field: 'entry[].changes[].value.metadata.phone_number_id', issue: 'required field missing' }],
        'Not a WhatsApp Cloud API webhook payload',
      ),
  });
  const results: InboundResult[] = [];
  let statusesApplied = 0;
  for (const batch of event) {
    const tenantId = tenantOf.get(batch.phoneNumberId)!;
    for (const m of batch.messages) results.push(await receiveOne(ports, tenantId, m));
    statusesApplied += await ports.delivery.applyStatuses(tenantId, 'whatsapp', batch.statuses);
  }
  return { results, statusesApplied };
}

export async function messengerHook(ports: HookPorts, hook: ChannelHook): Promise<ReceivedBatch> {
  const { tenantOf, event } = await receiveOn<MessengerBatch[]>(ports, {
    channel: messengerChannel,
    hook,
    noRecipient: () =>
      invalid([{ field: 'entry[].id', issue: 'required field missing' }], 'Not a Messenger webhook payload'),
  });
  const results: InboundResult[] = [];
  let statusesApplied = 0;
  for (const batch of event) {
    const tenantId = tenantOf.get(batch.pageId)!;
    for (const m of batch.messages) results.push(await receiveOne(ports, tenantId, m));
    for (const w of batch.watermarks)
      statusesApplied += await ports.delivery.applyWatermark(tenantId, 'messenger', w.psid, w.status, w.watermark);
  }
  return { results, statusesApplied };
}

export async function slackHook(ports: HookPorts, hook: ChannelHook): Promise<SlackAnswer> {
  const { tenantId, event } = await receiveOn(ports, {
    channel: slackChannel,
    hook,
    unkeyed: { label: 'team ?, app ?', tenants: () => ports.routes.tenantsOn('slack') },
  });
  switch (event.kind) {
    case 'url_verification':
      return { kind: 'challenge', challenge: event.challenge };
    case 'ignored':
      return { kind: 'ignored', reason: event.reason };
    case 'message': {
      // Events API replies never ride on the HTTP answer: they go out by chat.postMessage.
      const reply = await receiveWithin(ports, tenantId, event.message, SLACK_BUDGET_MS, false);
      return { kind: 'received', duplicate: reply.duplicate };
    }
    case 'slash_command':
      return { kind: 'inline', reply: await receiveWithin(ports, tenantId, event.message, SLACK_BUDGET_MS, true) };
    case 'interaction':
      // Slack ignores the HTTP body of a block_actions answer: the reply goes to the tap's response_url.
      await receiveWithin(ports, tenantId, event.message, SLACK_BUDGET_MS, false);
      return { kind: 'empty' };
  }
}

export async function teamsHook(ports: HookPorts, hook: ChannelHook): Promise<InlineReply> {
  const { tenantId, event } = await receiveOn<ChannelMessage | undefined>(ports, {
    channel: teamsChannel,
    hook,
    unkeyed: { label: 'no routing key: the security token decides', tenants: () => ports.routes.tenantsOn('teams') },
  });
  if (!event)
    throw invalid(
      [{ field: 'type', issue: 'must be a message activity with an id and a sender' }],
      'Not a Teams message activity',
    );
  return receiveWithin(ports, tenantId, event, TEAMS_BUDGET_MS, true);
}

export async function telegramHook(ports: HookPorts, hook: ChannelHook): Promise<ReceivedBatch> {
  const given = header(hook.headers, TELEGRAM_SECRET_HEADER);
  const { tenantId, event } = await receiveOn<ChannelMessage | undefined>(ports, {
    channel: telegramChannel,
    hook,
    fingerprintKeys: true,
    unkeyed: { label: 'no routing key: the secret token decides', tenants: () => Promise.resolve([]) },
    // No tenant holds this token: refused as a wrong (or missing) token while any tenant has Telegram, as when every tenant's token was tried.
    onNoCandidates: async () => {
      if (await ports.routes.anyOn('telegram'))
        throw signatureError({ ok: false, reason: given ? 'signature_mismatch' : 'missing_signature' }, 'Telegram');
    },
  });
  // Updates we do not act on (edited channel posts, member changes) are acknowledged so Telegram stops resending them.
  return { results: event ? [await receiveOne(ports, tenantId, event)] : [], statusesApplied: 0 };
}
