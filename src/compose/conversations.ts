import type { Config } from '../config.js';
import { dialogConfigFrom } from '../domain/ai/index.js';
import { createAppointmentsModule } from '../domain/appointments/index.js';
import { sttProvidersFor } from '../domain/calls/index.js';
import { createConversationsModule, createVoiceNoteTranscriber } from '../domain/conversations/index.js';
import { createHandoffModule } from '../domain/handoff/index.js';
import { createInboundModule } from '../domain/inbound/index.js';
import { createLiveModule } from '../domain/live/index.js';
import { createMessagingModule } from '../domain/messaging/index.js';
import { createSessionsModule } from '../domain/sessions/index.js';
import { createDialogEngine } from '../engine/dialog/dialog-engine.js';
import { createMessengerSender } from '../providers/messaging/messenger.js';
import { createSlackWebSender } from '../providers/messaging/slack-web.js';
import { createTelegramSender } from '../providers/messaging/telegram.js';
import { createWhatsAppSender } from '../providers/messaging/whatsapp.js';
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
  const messaging = createMessagingModule({
    db,
    clock,
    queue,
    tenants: a.tenants,
    senders: {
      whatsapp: createWhatsAppSender(safeHttp),
      messenger: createMessengerSender(safeHttp),
      slack: createSlackWebSender(safeHttp),
      telegram: createTelegramSender(safeHttp),
    },
  });
  const { handoff } = createHandoffModule({ db, clock, live, delivery: messaging.channelDelivery });
  const { appointments } = createAppointmentsModule({ db, clock, contacts: l.contacts });
  const conversations = createConversationsModule({
    db,
    clock,
    ai: a.tenantAi,
    dialog: createDialogEngine({ textLimit: config.engineTextLimit }),
    dialogConfig: async (tenantId) => dialogConfigFrom(await a.tenants.get(tenantId)),
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
      providersFor: sttProvidersFor(safeHttp.fetch),
    }),
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
    contacts: l.contacts,
    delivery: messaging.channelDelivery,
    intake: l.calls.intake,
  });
  return { sessions, messaging, handoff, appointments, conversations, liveUpdates, inbound };
}

export type ConversationModules = ReturnType<typeof composeConversations>;
