import { genericHook, type GenericOutcome, type GenericPorts } from './generic-hook.js';
import {
  messengerHook,
  slackHook,
  teamsHook,
  telegramHook,
  whatsappHook,
  type ReceivedBatch,
  type SlackAnswer,
} from './messaging-hooks.js';
import type { ChannelHook } from './receive.js';
import { verifySubscription } from './subscription.js';
import { receiveLater, type InlineReply } from './turns.js';

/**
 * Inbound messaging webhooks: each finds the tenant a platform request is for, checks its
 * signature on the raw bytes with that tenant's secret, hands each message to the conversation
 * core (which stores it before anything else), then queues the reply through the channel
 * delivery. Only then does the surface answer 2xx.
 */
export interface ChannelWebhooksService {
  whatsapp(hook: ChannelHook): Promise<ReceivedBatch>;
  messenger(hook: ChannelHook): Promise<ReceivedBatch>;
  slack(hook: ChannelHook): Promise<SlackAnswer>;
  teams(hook: ChannelHook): Promise<InlineReply>;
  telegram(hook: ChannelHook): Promise<ReceivedBatch>;
  generic(integrationId: string, hook: ChannelHook): Promise<GenericOutcome>;
  /** Meta-style subscription check: the challenge when mode and token match a tenant's; FORBIDDEN otherwise. */
  verify(channel: string, query: Record<string, unknown>): Promise<string>;
  /** The `channel.receive` job: a message whose webhook answered before its turn finished. */
  receiveLater(tenantId: string, message: Record<string, unknown>): Promise<unknown>;
}

export function createChannelWebhooksService(ports: GenericPorts): ChannelWebhooksService {
  return {
    whatsapp: (hook) => whatsappHook(ports, hook),
    messenger: (hook) => messengerHook(ports, hook),
    slack: (hook) => slackHook(ports, hook),
    teams: (hook) => teamsHook(ports, hook),
    telegram: (hook) => telegramHook(ports, hook),
    generic: (integrationId, hook) => genericHook(ports, integrationId, hook),
    verify: (channel, query) => verifySubscription(ports, channel, query),
    receiveLater: (tenantId, message) => receiveLater(ports, tenantId, message),
  };
}
