import type { Config } from '../config.js';
import { dialogConfigFrom } from '../domain/ai/index.js';
import { createAppointmentsModule } from '../domain/appointments/index.js';
import { createComplianceModule } from '../domain/compliance/index.js';
import { sttProvidersFor } from '../domain/calls/index.js';
import {
  createConversationUpkeep,
  createConversationsModule,
  createVoiceNoteTranscriber,
} from '../domain/conversations/index.js';
import { createHandoffModule } from '../domain/handoff/index.js';
import { createInboundModule, createTwilioSmsService, createTwilioVoiceService } from '../domain/inbound/index.js';
import { createLiveModule } from '../domain/live/index.js';
import { createMessagingModule } from '../domain/messaging/index.js';
import { createSessionsModule } from '../domain/sessions/index.js';
import { createVoiceModule } from '../domain/voice/index.js';
import { createDialogEngine } from '../engine/dialog/dialog-engine.js';
import { createMessengerSender } from '../providers/messaging/messenger.js';
import { createSlackWebSender } from '../providers/messaging/slack-web.js';
import { createTelegramSender } from '../providers/messaging/telegram.js';
import { createWhatsAppSender } from '../providers/messaging/whatsapp.js';
import { createTwilioSmsSender } from '../providers/sms/twilio.js';
import type { Accounts } from './accounts.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';

/**
 * Conversations and what hangs on them, each built after what it needs: sessions and outbound
 * delivery, then handoff (which delivers agents' replies), then the conversation core, then the
 * live stream and the inbound channels that feed the core.
 */
export function composeConversations(config: Config, p: Platform, a: Accounts, l: LeadsAndCalls) {
  const { clock, queue, live, safeHttp } = p;
  const db = p.database.db;
  const { sessions } = createSessionsModule({ db, clock });
  const conversationUpkeep = createConversationUpkeep(db);
  const { compliance } = createComplianceModule({ db, clock, tenants: a.tenants });
  const messaging = createMessagingModule({
    db,
    clock,
    queue,
    tenants: a.tenants,
    messages: conversationUpkeep,
    compliance,
    senders: {
      whatsapp: createWhatsAppSender(safeHttp),
      messenger: createMessengerSender(safeHttp),
      slack: createSlackWebSender(safeHttp),
      telegram: createTelegramSender(safeHttp),
      sms: createTwilioSmsSender(safeHttp),
    },
  });
  const { handoff } = createHandoffModule({ db, clock, live, delivery: messaging.channelDelivery });
  const { appointments } = createAppointmentsModule({ db });
  const dialog = createDialogEngine({ textLimit: config.engineTextLimit });
  const dialogConfig = async (tenantId: string) => dialogConfigFrom(await a.tenants.get(tenantId));
  const sttProviders = sttProvidersFor(safeHttp.fetch);
  const conversations = createConversationsModule({
    db,
    clock,
    ai: a.tenantAi,
    dialog,
    dialogConfig,
    phraser: (tenantId) => a.tenantAi.phraserFor(tenantId),
    contacts: l.contacts,
    sessions,
    leads: l.leads,
    appointments,
    handoff,
    live,
    usage: a.usage,
    transcribe: createVoiceNoteTranscriber({
      http: safeHttp,
      tenants: a.tenants,
      providersFor: sttProviders,
    }),
  });
  const { voiceSessions } = createVoiceModule({
    clock,
    sessions,
    inbox: conversations.inbox,
    tenants: a.tenants,
    sttProvidersFor: sttProviders,
    fetch: safeHttp.fetch,
    greet: async (tenantId) => {
      const opening = dialog.start(await dialogConfig(tenantId), clock.now());
      return { text: opening.reply, state: opening.state };
    },
  });
  const { liveUpdates } = createLiveModule({
    live,
    conversationExists: (tenantId, id) => conversations.conversationQuery.exists(tenantId, id),
  });
  const inbound = createInboundModule({
    db,
    clock,
    queue,
    tenants: a.tenants,
    credentials: a.credentials,
    routes: a.routes,
    inbox: conversations.inbox,
    upkeep: conversationUpkeep,
    contacts: l.contacts,
    delivery: messaging.channelDelivery,
    intake: l.calls.intake,
  });
  const twilioSms = createTwilioSmsService({
    clock,
    tenants: a.tenants,
    credentials: a.credentials,
    compliance,
    appointments,
    contacts: l.contacts,
    inbox: conversations.inbox,
  });
  const twilioVoice = createTwilioVoiceService({
    tenants: a.tenants,
    credentials: a.credentials,
    inbox: conversations.inbox,
  });
  return { sessions, compliance, messaging, handoff, conversations, liveUpdates, inbound, twilioSms, twilioVoice, voiceSessions };
}

export type ConversationModules = ReturnType<typeof composeConversations>;
