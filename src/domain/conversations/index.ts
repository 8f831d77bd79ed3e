import type { DialogConfig, DialogEngine, Phraser } from '../../engine/dialog/dialog.js';
import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { TenantAiService } from '../ai/index.js';
import type { AppointmentsService } from '../appointments/index.js';
import type { ContactsService } from '../identity/index.js';
import type { LeadsService } from '../leads/index.js';
import type { LiveBus } from '../live/index.js';
import type { Counters } from '../metrics/index.js';
import type { SessionsService } from '../sessions/index.js';
import type { UsageService } from '../usage/index.js';
import {
  createConversationLifecycleService,
  type ConversationLifecycleService,
} from './conversation-lifecycle.service.js';
import { createConversationQueryService, type ConversationQueryService } from './conversation-query.service.js';
import { createConversationReviewService, type ConversationReviewService } from './conversation-review.service.js';
import { createConversationStore } from './conversation-store.repo.js';
import { createConversationSummaryService, type ConversationSummaryService } from './conversation-summary.service.js';
import { createConversationUpkeepService, type ConversationUpkeepService } from './conversation-upkeep.service.js';
import { createConversationMessagesService, type ConversationMessagesService } from './conversations.service.js';
import type { HandoffPort } from './handoff-port.js';
import { createInbox, type InboxService } from './inbox.service.js';
import type { VoiceNoteTranscriber } from './voice-notes.js';

export type {
  Conversation,
  ConversationPatch,
  ConversationQa,
  ConversationRecord,
  Feedback,
  Message,
  MessageRecord,
  ReplyMetadata,
  Transfer,
} from './conversation-record.js';
export { createConversationStore, type ConversationStore, type ConversationTx } from './conversation-store.repo.js';
export {
  CONVERSATION_SORTS,
  CONVERSATION_STATUSES,
  type ConversationDetail,
  type ConversationQueryService,
  type ConversationSortKey,
  type ListedConversation,
  type ListQuery,
} from './conversation-query.service.js';
export type { LifecycleChange, ConversationLifecycleService } from './conversation-lifecycle.service.js';
export type { ConversationReviewService, QaChange } from './conversation-review.service.js';
export type { ConversationSummary } from './conversation-summary.js';
export { readableIntent } from './conversation-summary.js';
export type { ConversationSummaryService } from './conversation-summary.service.js';
export { reassignConversationsContactIn, type ConversationUpkeepService } from './conversation-upkeep.service.js';
export type { PlatformStatus } from './messages.repo.js';
export type {
  ConversationMessagesService,
  Feedback as MessageFeedback,
  FeedbackInput,
} from './conversations.service.js';
export {
  HANDOFF_PRIORITIES,
  type HandoffPort,
  type HandoffPriority,
  type HandoffRequest,
  type PlannedHandoff,
  type WrittenHandoff,
} from './handoff-port.js';
export {
  CHANNELS,
  type Channel,
  type ChannelDelivery,
  type ConversationInbox,
  type InboundMedia,
  type InboundMessage,
  type InboundResult,
  type OutboundMessage,
} from './inbound.js';
export type { InboxService } from './inbox.service.js';
export { messageContent } from './message-content.js';
export type { ChatOptions, Turn } from './turn-types.js';
export { createVoiceNoteTranscriber, type VoiceNoteTranscriber } from './voice-notes.js';

export interface ConversationsPorts {
  db: Db;
  clock: Clock;
  ai: TenantAiService;
  dialog: DialogEngine;
  /** The tenant's dialog configuration, read fresh each turn (a configuration change is live at once). */
  dialogConfig: (tenantId: string) => Promise<DialogConfig>;
  /** Rewrites a drafted reply in the tenant's voice, when the tenant has one configured. */
  phraser?: (tenantId: string) => Promise<Phraser | undefined>;
  contacts: ContactsService;
  sessions: SessionsService;
  leads: Pick<LeadsService, 'recordAnalyzedIn'>;
  appointments: Pick<AppointmentsService, 'requestIn'>;
  handoff: HandoffPort;
  live: LiveBus;
  usage: UsageService;
  /** Spec C's business counters (`appointments_scheduled`, `callbacks_by_business`). */
  counters: Pick<Counters, 'increment' | 'incrementForBusiness'>;
  /** Voice messages to text with the tenant's speech-to-text chain. */
  transcribe?: VoiceNoteTranscriber | undefined;
}

export interface ConversationsModule {
  /** The conversation core every channel hands its messages to. */
  inbox: InboxService;
  conversationMessages: ConversationMessagesService;
  conversationQuery: ConversationQueryService;
  conversationLifecycle: ConversationLifecycleService;
  conversationSummary: ConversationSummaryService;
  /** Quality review of conversations (spec C's QA). */
  conversationReview: ConversationReviewService;
}

/** Conversations: the turn pipeline, messages, the read side, lifecycle and summaries (the concept's one door). */
export function createConversationsModule(ports: ConversationsPorts): ConversationsModule {
  const store = createConversationStore(ports.db);
  const conversationQuery = createConversationQueryService({ store });
  return {
    inbox: createInbox({ ...ports, store }),
    conversationMessages: createConversationMessagesService({ store, clock: ports.clock, live: ports.live }),
    conversationQuery,
    conversationLifecycle: createConversationLifecycleService({
      store,
      clock: ports.clock,
      live: ports.live,
      handoff: ports.handoff,
    }),
    conversationSummary: createConversationSummaryService({ conversations: conversationQuery, ai: ports.ai }),
    conversationReview: createConversationReviewService({ store, clock: ports.clock }),
  };
}

/**
 * What other concepts change on conversations and messages (integration context, platform
 * statuses), on its own database handle: messaging is built before the conversation core (the
 * core's handoff delivers through messaging), so it cannot be handed the core's module.
 */
export function createConversationUpkeep(db: Db): ConversationUpkeepService {
  return createConversationUpkeepService({ store: createConversationStore(db) });
}
