import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type {
  ChatUsageFigures,
  LeadAnalytics,
  ConversationAnalytics,
  OwnerAnalytics,
  PlatformActivity,
  RangeAnalytics,
  RequestAnalytics,
} from '../domain/analytics/index.js';
import type { AppointmentsService } from '../domain/appointments/index.js';
import type { RemindersModule, RemindersService } from '../domain/reminders/index.js';
import type { AuditService } from '../domain/audit/index.js';
import type { CampaignsService } from '../domain/campaigns/index.js';
import type { TokensService } from '../domain/auth/index.js';
import type { IngestionPipeline, IngestionRequestsService, IntakeRelay } from '../domain/calls/index.js';
import type {
  ConversationLifecycleService,
  ConversationMessagesService,
  ConversationQueryService,
  ConversationReviewService,
  ConversationSummaryService,
  InboxService,
} from '../domain/conversations/index.js';
import type { ConversionService } from '../domain/conversion/index.js';
import type { ComplianceService } from '../domain/compliance/index.js';
import type { CrmService } from '../domain/crm/index.js';
import type { ConversationExportService, ExportsService } from '../domain/exports/index.js';
import type { HandoffService } from '../domain/handoff/index.js';
import type { HealthService } from '../domain/health/index.js';
import type { ContactsService } from '../domain/identity/index.js';
import type {
  ChannelWebhooksService,
  TwilioCallsService,
  ExotelCallsService,
  TwilioSmsService,
  TwilioVoiceService,
  WebhookIntakeService,
} from '../domain/inbound/index.js';
import type { BatchesService, LeadsService } from '../domain/leads/index.js';
import type { LiveBus, LiveUpdatesService } from '../domain/live/index.js';
import type { MessagingDelivery } from '../domain/messaging/index.js';
import type { PlatformService } from '../domain/platform/index.js';
import type { NotificationsService } from '../domain/notifications/index.js';
import type {
  InvitationsService,
  SessionsService as AppSessionsService,
  SignInService,
} from '../domain/people/index.js';
import type { SessionsService } from '../domain/sessions/index.js';
import type { VoiceSessionsService, VoiceSpeech } from '../domain/voice/index.js';
import type { CredentialsService } from '../domain/tenants/index.js';
import type { TenantsService } from '../domain/tenants/index.js';
import type { UsersService } from '../domain/tenants/index.js';
import type { TenantAiService } from '../domain/ai/index.js';
import type { UsageService } from '../domain/usage/index.js';
import type { WebhookTuning, WebhooksService } from '../domain/webhooks/index.js';
import type { LocalEngine } from '../engine/local.js';
import type { Metrics } from '../http/metrics.js';
import type { RateLimitStore } from '../http/rate-limit.store.js';
import type { Clock } from '../lib/clock.js';
import type { SecretBox } from '../lib/secrets.js';
import type { HostLookup, SafeHttp } from '../providers/http/safe-fetch.js';
import type { BlobStorage } from '../providers/storage/storage.js';
import type { Queue } from '../queue/queue.js';
import type { Database } from '../store/db.js';

/** Every service the composition builds, by the name surfaces and tests know it. */
export interface Services {
  audit: AuditService;
  usage: UsageService;
  credentials: CredentialsService;
  tokens: TokensService;
  users: UsersService;
  tenants: TenantsService;
  health: HealthService;
  webhooks: WebhooksService;
  tenantAi: TenantAiService;
  leads: LeadsService;
  batches: BatchesService;
  /** Each tenant's conversion model: training runs, their status and held-out figures (spec B's `/api/ml/*`). */
  conversion: ConversionService;
  leadAnalytics: LeadAnalytics;
  crm: CrmService;
  ingestionRequests: IngestionRequestsService;
  exports: ExportsService;
  ingestionAnalytics: RequestAnalytics;
  conversationAnalytics: ConversationAnalytics;
  /** An owner's figures over the tenant's live appointments and conversations (spec C's `/v1/owner/*`). */
  ownerAnalytics: OwnerAnalytics;
  /** A month's chat activity counted from stored conversations, messages, transfers and webhook calls. */
  chatUsage: ChatUsageFigures;
  /** The whole platform's chat load over a timeframe, for the operator's health metrics. */
  platformActivity: PlatformActivity;
  /** The app's analytics page: funnel, time to book, response times and costs of a range. */
  rangeAnalytics: RangeAnalytics;
  ingestionPipeline: IngestionPipeline;
  /** Queues stored requests' first steps; runs where the workers run. */
  intakeRelay: IntakeRelay;
  webhookIntake: WebhookIntakeService;
  liveUpdates: LiveUpdatesService;
  contacts: ContactsService;
  sessions: SessionsService;
  /** Voice calls and widget chats in sessions: speech in and out around the conversation core (spec C). */
  voiceSessions: VoiceSessionsService;
  /** Text to speech (and back) with the tenant's voices before the local ones. */
  speech: VoiceSpeech;
  /** Consent to be messaged, with every change kept (opt-outs, opt-ins), and the hours a recipient may be reached. */
  compliance: ComplianceService;
  /** Appointments requested in conversations and booked through spec C's CRM. */
  appointments: AppointmentsService;
  /** Upcoming-appointment reminders, lead follow-ups and retention messages by SMS (spec C). */
  reminders: RemindersService;
  /** Queues the reminders' next scheduled sweep (where workers start). */
  reminderSchedule: Pick<RemindersModule, 'schedule'>;
  /** The conversation core every channel hands its messages to. */
  inbox: InboxService;
  conversationMessages: ConversationMessagesService;
  /** Handing conversations to people and back (spec D transfer, hand-back, agent replies). */
  transfers: HandoffService;
  conversationQuery: ConversationQueryService;
  conversationLifecycle: ConversationLifecycleService;
  conversationExports: ConversationExportService;
  conversationSummary: ConversationSummaryService;
  /** Quality review of conversations: flags, tags, outcome, notes (spec C). */
  conversationReview: ConversationReviewService;
  /** Outbound platform messages: durable sends, the outbox, WhatsApp's 24-hour window. */
  channelDelivery: MessagingDelivery;
  /** Inbound messaging webhooks (spec D /webhooks/*): tenant routing, signatures, hand-off to the inbox. */
  channelWebhooks: ChannelWebhooksService;
  /** Twilio's inbound SMS (spec C /twilio/sms): signature, consent keywords, appointment answers, the conversation core. */
  twilioSms: TwilioSmsService;
  /** Twilio's voice webhook (spec C /twilio/voice): speech turns through the conversation core, transfers to a person. */
  twilioVoice: TwilioVoiceService;
  /** The installation: demo tenant, the automation switch campaign schedulers read, installation-wide counts (spec B). */
  platform: PlatformService;
  /** Web-app sessions: who a session cookie signs in, and signing out. */
  appSessions: AppSessionsService;
  /** Signing people in to the web app: invitations, passwords, one-time links, the owner link, the admin key. */
  signIn: SignInService;
  /** Inviting people to a tenant's team from the web app, the link sent by mail. */
  invitations: InvitationsService;
  /** Telling the tenant's people of handoffs and what the owner must know. */
  notifications: NotificationsService;
  /** Spec B's outbound campaigns: sourcing, the dial schedule, call outcomes and their figures. */
  campaigns: CampaignsService;
  /** Twilio's status callbacks and speech turns of campaign calls (spec B's `/api/webhooks/twilio/incoming`). */
  twilioCalls: TwilioCallsService;
  exotelCalls: ExotelCallsService;
}

export interface Deps {
  config: Config;
  clock: Clock;
  database: Database;
  queue: Queue;
  redis: Redis | undefined;
  /** Rate-limit counters: this process's memory, or Redis when REDIS_URL is set (shared by every process). */
  rateLimitStore: RateLimitStore;
  /** This app's metrics registry; features count through its `Counters` side. */
  metrics: Metrics;
  box: SecretBox;
  /** The SSRF-guarded client for every outbound call a tenant can point somewhere (webhooks, callbacks, downloads, every vendor API). */
  safeHttp: SafeHttp;
  /** Recordings and other tenant files. */
  storage: BlobStorage;
  /** Live conversation updates for agents, fanned out to every process. */
  live: LiveBus;
  adminKey: string;
  /** Keys this start generated, so the CLI can print them once. */
  generated: { adminKey: boolean; masterKey: boolean };
  services: Services;
  close(): Promise<void>;
}

export interface DepsOptions {
  clock?: Clock;
  /** Tests pass a migrated database they own. */
  database?: Database;
  migrate?: boolean;
  /** Retry schedule and disable thresholds of outbound webhooks (tests shorten them). */
  webhooks?: Partial<WebhookTuning>;
  /** Host resolution for outbound calls (tests simulate DNS answers). */
  lookup?: HostLookup;
  /** A local engine built elsewhere (tests inject one with a fixed clock). */
  localEngine?: LocalEngine;
}

/** What a surface is handed: the shared pieces of the platform and only the services it uses. */
export type SurfaceDeps<K extends keyof Services> = Omit<Deps, 'services' | 'close'> & { services: Pick<Services, K> };
