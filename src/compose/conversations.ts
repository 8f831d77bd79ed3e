import type { Config } from '../config.js';
import { dialogConfigFrom } from '../domain/ai/index.js';
import { createAppointmentsModule } from '../domain/appointments/index.js';
import { createComplianceModule, type ComplianceService } from '../domain/compliance/index.js';
import { sttProvidersFor } from '../domain/calls/index.js';
import {
  createConversationUpkeep,
  createConversationsModule,
  createVoiceNoteTranscriber,
  type ConversationUpkeepService,
} from '../domain/conversations/index.js';
import { createHandoffModule } from '../domain/handoff/index.js';
import { createInboundModule } from '../domain/inbound/index.js';
import { createLiveModule } from '../domain/live/index.js';
import { createMessagingModule } from '../domain/messaging/index.js';
import { createRemindersModule } from '../domain/reminders/index.js';
import { createSessionsModule } from '../domain/sessions/index.js';
import { createDialogEngine } from '../engine/dialog/dialog-engine.js';
import { createMessengerSender } from '../providers/messaging/messenger.js';
import { createSlackWebSender } from '../providers/messaging/slack-web.js';
import { createTelegramSender } from '../providers/messaging/telegram.js';
import { createWhatsAppSender } from '../providers/messaging/whatsapp.js';
import { createTwilioSmsSender } from '../providers/sms/twilio.js';
import type { Accounts } from './accounts.js';
import type { LeadsAndCalls } from './leads-and-calls.js';
import type { Platform } from './platform.js';
import { composeTelephony } from './telephony.js';

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
  const messaging = composeMessaging(p, a, conversationUpkeep, compliance);
  const { notifications, handoffModule } = composeHandoff(p, l, messaging);
  const { handoff } = handoffModule;
  const { appointments } = createAppointmentsModule({ db, clock, contacts: l.contacts, tenants: a.tenants });
  const remindersModule = composeReminders(p, a, conversationUpkeep, compliance, messaging);
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
    counters: p.metrics,
    transcribe: createVoiceNoteTranscriber({ http: safeHttp, tenants: a.tenants, providersFor: sttProviders }),
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
  const { voiceSessions, speech, twilioSms, twilioVoice } = composeTelephony(p, a, l, {
    sessions,
    inbox: conversations.inbox,
    compliance,
    appointments,
    sttProviders,
    greet: async (tenantId) => {
      const opening = dialog.start(await dialogConfig(tenantId), clock.now());
      return { text: opening.reply, state: opening.state };
    },
  });
  return {
    sessions,
    compliance,
    messaging,
    notifications,
    handoffModule,
    handoff,
    conversations,
    liveUpdates,
    inbound,
    appointments,
    remindersModule,
    twilioSms,
    twilioVoice,
    voiceSessions,
    speech,
  };
}

/** Outbound platform messages, asking compliance before each attempt and recording statuses on the conversation's messages. */
function composeMessaging(p: Platform, a: Accounts, upkeep: ConversationUpkeepService, compliance: ComplianceService) {
  return createMessagingModule({
    db: p.database.db,
    clock: p.clock,
    queue: p.queue,
    tenants: a.tenants,
    messages: upkeep,
    compliance,
    counters: p.metrics,
    senders: {
      whatsapp: createWhatsAppSender(p.safeHttp),
      messenger: createMessengerSender(p.safeHttp),
      slack: createSlackWebSender(p.safeHttp),
      telegram: createTelegramSender(p.safeHttp),
      sms: createTwilioSmsSender(p.safeHttp),
    },
  });
}

/** Handoff, with the notices that tell the tenant's people of it: now, and once the wait limit passed. */
function composeHandoff(p: Platform, l: LeadsAndCalls, messaging: ReturnType<typeof composeMessaging>) {
  const { notifications } = l.notificationsModule;
  const handoffModule = createHandoffModule({
    db: p.database.db,
    clock: p.clock,
    live: p.live,
    delivery: messaging.channelDelivery,
    notices: { queue: p.queue, notices: notifications },
  });
  return { notifications, handoffModule };
}

/** Reminders, follow-ups and retention: SMS through messaging, counted in spec C's metrics. */
function composeReminders(
  p: Platform,
  a: Accounts,
  upkeep: ConversationUpkeepService,
  compliance: ComplianceService,
  messaging: ReturnType<typeof composeMessaging>,
) {
  return createRemindersModule({
    db: p.database.db,
    clock: p.clock,
    tenants: a.tenants,
    compliance,
    messages: upkeep,
    delivery: messaging.channelDelivery,
    counters: p.metrics,
  });
}

export type ConversationModules = ReturnType<typeof composeConversations>;
