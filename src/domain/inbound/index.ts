import type { Clock } from '../../lib/clock.js';
import type { Queue } from '../../queue/queue.js';
import type { Db } from '../../store/db.js';
import type { ContactsService } from '../identity/index.js';
import type { ConversationInbox, ConversationUpkeepService } from '../conversations/index.js';
import type { IntakeService } from '../calls/index.js';
import type { MessagingDelivery } from '../messaging/index.js';
import type { ChannelRoutes } from '../routing/index.js';
import type { CredentialsService } from '../tenants/index.js';
import type { TenantsService } from '../tenants/index.js';
import { createWebhookIntakeService } from './call-hooks.js';
import { createChannelWebhooksService } from './channel-webhooks.service.js';
import { createConversationRows, createTenantConfigsReader } from './inbound.repo.js';
import { registerInboundJobs } from './inbound.jobs.js';

/**
 * Inbound: every vendor webhook (WhatsApp, Messenger, Slack, Teams, Telegram, generic
 * integrations, CallRail) through one flow — route keys from the channel adapter, the tenant from
 * `channel_routes`, the adapter's signature check on the raw bytes, then the hand-off to the
 * conversation inbox or the call intake. See docs/architecture.md, "Inbound webhooks".
 */

export type { ChannelHook } from './receive.js';
export type { ChannelWebhooksService } from './channel-webhooks.service.js';
export type { GenericOutcome } from './generic-hook.js';
export { SLACK_BUDGET_MS, TEAMS_BUDGET_MS, type ReceivedBatch, type SlackAnswer } from './messaging-hooks.js';
export type { InlineReply } from './turns.js';
export { slackInlineBody, teamsInlineBody } from './inline-replies.js';
export { WEBHOOK_SETTINGS_TTL_MS, type InboundWebhook, type WebhookIntakeService } from './call-hooks.js';
export { twilioSmsSchema, twilioVoiceSchema } from '../../channels/twilio.js';
export {
  asksForPerson,
  createTwilioVoiceService,
  type TwilioVoicePorts,
  type TwilioVoiceService,
  type VoiceStep,
} from './twilio-voice.service.js';
export type { TwilioHook } from './twilio-request.js';
export { createTwilioCallsService, twilioCallStatusSchema, type TwilioCallsService } from './twilio-calls.js';
export { createExotelCallsService, type ExotelCall, type ExotelCallsService, type ExotelHook } from './exotel-calls.js';
export {
  createTwilioSmsService,
  type TwilioSmsAnswer,
  type TwilioSmsPorts,
  type TwilioSmsService,
} from './twilio-sms.service.js';

export interface InboundPorts {
  db: Db;
  clock: Clock;
  queue: Queue;
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf'>;
  credentials: Pick<CredentialsService, 'webhookSecrets'>;
  routes: Pick<ChannelRoutes, 'tenantsFor' | 'tenantsOn' | 'anyOn' | 'fingerprint'>;
  inbox: ConversationInbox;
  /** The conversation core's door for an integration's news about a conversation. */
  upkeep: Pick<ConversationUpkeepService, 'setContext'>;
  contacts: Pick<ContactsService, 'updateFromIntegration'>;
  delivery: MessagingDelivery;
  intake: IntakeService;
}

export function createInboundModule(ports: InboundPorts) {
  const channelWebhooks = createChannelWebhooksService({
    ...ports,
    configs: createTenantConfigsReader(ports.db),
    conversations: createConversationRows(ports.db),
  });
  const webhookIntake = createWebhookIntakeService(ports);
  return {
    channelWebhooks,
    webhookIntake,
    registerJobs(queue: Queue): void {
      registerInboundJobs(queue, channelWebhooks);
    },
  };
}
