import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config, S3Settings } from './config.js';
import { createAuditModule, type AuditService } from './domain/audit/index.js';
import { createAuthModule, type TokensService } from './domain/auth/index.js';
import { createHealthModule, type HealthService } from './domain/health/index.js';
import {
  createTenantsModule,
  type CredentialsService,
  type TenantsService,
  type UsersService,
} from './domain/tenants/index.js';
import { createUsageModule, type UsageService } from './domain/usage/index.js';
import {
  createConversationExportService,
  type ConversationExportService,
} from './domain/conversations/conversation-export.service.js';
import {
  createConversationLifecycleService,
  type ConversationLifecycleService,
} from './domain/conversations/conversation-lifecycle.service.js';
import {
  createConversationQueryService,
  type ConversationQueryService,
} from './domain/conversations/conversation-query.service.js';
import {
  createConversationSummaryService,
  type ConversationSummaryService,
} from './domain/conversations/conversation-summary.service.js';
import type { ChannelDelivery } from './domain/conversations/inbound.js';
import { createTransfersService, type HandoffService } from './domain/conversations/transfers.service.js';
import {
  createChannelWebhooksService,
  type ChannelWebhooksService,
} from './domain/messaging/channel-webhooks.service.js';
import { createMessagingDelivery, type MessagingDelivery } from './domain/messaging/delivery.service.js';
import { createMessengerSender } from './providers/messaging/messenger.js';
import { createSlackWebSender } from './providers/messaging/slack-web.js';
import { createTelegramSender } from './providers/messaging/telegram.js';
import { createWhatsAppSender } from './providers/messaging/whatsapp.js';
import { createAiModule, dialogConfigFrom, type TenantAiService } from './domain/ai/index.js';
import { createCrmModule, type CrmService } from './domain/crm/index.js';
import {
  createIngestionAnalyticsService,
  type IngestionAnalyticsService,
} from './domain/ingestion/analytics.service.js';
import { createExportsService, type ExportsService } from './domain/ingestion/exports.service.js';
import { createIntakeRelay, type IntakeRelay } from './domain/ingestion/intake-relay.js';
import { createIntakeService } from './domain/ingestion/intake.service.js';
import { createIngestionPipeline, type IngestionPipeline } from './domain/ingestion/pipeline.js';
import { createIngestionRequestsService, type IngestionRequestsService } from './domain/ingestion/requests.service.js';
import { createPipelineSteps, STEP_POLICIES, sttProvidersFor } from './domain/ingestion/steps/pipeline-steps.js';
import { createWebhookIntakeService, type WebhookIntakeService } from './domain/ingestion/webhook-intake.service.js';
import { createChannelRoutes } from './domain/routing/channel-routes.service.js';
import type { EventSink } from './domain/events.js';
import type { LiveBus } from './domain/live/live-bus.js';
import { createMemoryLiveBus } from './pubsub/memory.live-bus.js';
import { createRedisLiveBus } from './pubsub/redis.live-bus.js';
import { createLiveUpdatesService, type LiveUpdatesService } from './domain/live/live.service.js';
import { createLeadAnalyticsService, type LeadAnalyticsService } from './domain/leads/analytics.service.js';
import { createBatchesService, type BatchesService } from './domain/leads/batches.service.js';
import { createLeadsService, type LeadsService } from './domain/leads/leads.service.js';
import { createContactsService, type ContactsService } from './domain/contacts/contacts.service.js';
import {
  createConversationMessagesService,
  type ConversationMessagesService,
} from './domain/conversations/conversations.service.js';
import { createInbox, type InboxService } from './domain/conversations/inbox.service.js';
import { createVoiceNoteTranscriber } from './domain/conversations/voice-notes.js';
import { createSessionsService, type SessionsService } from './domain/sessions/sessions.service.js';
import { createDialogEngine } from './engine/dialog/dialog-engine.js';
import type { WebhookTuning } from './domain/webhooks/delivery-policy.js';
import { isWebhookEvent } from './domain/webhooks/webhooks.schema.js';
import { createWebhooksService, type WebhooksService } from './domain/webhooks/webhooks.service.js';
import { createLocalEngine, type LocalEngine } from './engine/local.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createFingerprint } from './lib/crypto.js';
import { loadOrCreateKey } from './lib/keyfile.js';
import { createSecretBox, type SecretBox } from './lib/secrets.js';
import { VERSION } from './lib/version.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createRedisRateLimitStore } from './http/rate-limit.redis.js';
import { createMemoryRateLimitStore, type RateLimitStore } from './http/rate-limit.store.js';
import { createSafeHttp, type HostLookup, type SafeHttp } from './providers/http/safe-fetch.js';
import { createMailer } from './providers/notify/email.js';
import { createSlackNotifier } from './providers/notify/slack.js';
import { createFilesystemStorage } from './providers/storage/filesystem.js';
import { createS3Storage, type S3StorageOptions } from './providers/storage/s3.js';
import type { BlobStorage } from './providers/storage/storage.js';
import { createBullmqQueue } from './queue/bullmq.queue.js';
import { createEmbeddedQueue } from './queue/embedded.queue.js';
import { httpForeground } from './queue/foreground.js';
import type { Queue } from './queue/queue.js';
import { openDatabase, type Database } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { registerJobHandlers } from './workers.js';

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
  leadAnalytics: LeadAnalyticsService;
  crm: CrmService;
  ingestionRequests: IngestionRequestsService;
  exports: ExportsService;
  ingestionAnalytics: IngestionAnalyticsService;
  ingestionPipeline: IngestionPipeline;
  /** Queues stored requests' first steps; runs where the workers run. */
  intakeRelay: IntakeRelay;
  webhookIntake: WebhookIntakeService;
  liveUpdates: LiveUpdatesService;
  contacts: ContactsService;
  sessions: SessionsService;
  /** The conversation core every channel hands its messages to. */
  inbox: InboxService;
  conversationMessages: ConversationMessagesService;
  /** Handing conversations to people and back (spec D transfer, hand-back, agent replies). */
  transfers: HandoffService;
  conversationQuery: ConversationQueryService;
  conversationLifecycle: ConversationLifecycleService;
  conversationExports: ConversationExportService;
  conversationSummary: ConversationSummaryService;
  /** Outbound platform messages: durable sends, the outbox, WhatsApp's 24-hour window. */
  channelDelivery: MessagingDelivery;
  /** Inbound messaging webhooks (spec D /webhooks/*): tenant routing, signatures, hand-off to the inbox. */
  channelWebhooks: ChannelWebhooksService;
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

/** Config → database, queue, Redis and services. The one place a backend is chosen. */
export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const clock = options.clock ?? systemClock;
  const admin = config.adminKey
    ? { key: config.adminKey, created: false }
    : loadOrCreateKey(path.join(config.dataDir, 'admin.key'), 'fd_admin_');
  const master = config.masterKey
    ? { key: config.masterKey, created: false }
    : loadOrCreateKey(path.join(config.dataDir, 'master.key'), '');
  const box = createSecretBox(master.key);

  const database =
    options.database ??
    openDatabase(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
  const applied = options.migrate === false ? [] : await migrateToLatest(database.db);

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false, enableOfflineQueue: true })
    : undefined;
  redis?.on('error', () => undefined);
  const queue = config.redisUrl ? createBullmqQueue(database, config.redisUrl) : createEmbeddedQueue(database);

  const db = database.db;
  const { audit } = createAuditModule({ db, clock });
  const { usage } = createUsageModule({ db, clock });
  const { tokens } = createAuthModule({ db, box, clock });
  const storage =
    config.storage.kind === 's3'
      ? createS3Storage(s3Options(config.storage))
      : createFilesystemStorage({ root: path.join(config.dataDir, 'storage') });
  const safeHttp = createSafeHttp({
    allowPrivate: config.allowPrivateUrls,
    allowlist: config.privateUrlAllowlist,
    lookup: options.lookup,
  });
  const routes = createChannelRoutes({ db, fingerprint: createFingerprint(master.key, 'channel-routes') });
  const { tenants, credentials, users } = createTenantsModule({
    db,
    box,
    clock,
    audit,
    tokens,
    storage,
    exportsDir: path.join(config.dataDir, 'exports'),
    urls: safeHttp,
    routes,
  });
  await backfillRoutes(applied, tenants);
  const webhooks = createWebhooksService({ db, box, clock, queue, http: safeHttp, tuning: options.webhooks });
  const events = webhookEvents(webhooks);
  const { tenantAi } = createAiModule({
    local: () =>
      options.localEngine
        ? Promise.resolve(options.localEngine)
        : createLocalEngine({ textLimit: config.engineTextLimit }),
    tenants,
    fetch: safeHttp.fetch,
  });
  const leads = createLeadsService({ db, clock, ai: tenantAi, events, usage });
  const batches = createBatchesService({
    db,
    clock,
    queue,
    leads,
    events,
    callback: {
      send: (tenantId, url, event, data) =>
        isWebhookEvent(event) ? webhooks.sendCallback(tenantId, url, event, data) : Promise.resolve(),
    },
  });
  const leadAnalytics = createLeadAnalyticsService({ db, clock });
  const { crm } = createCrmModule({ db, clock, tenants, events, usage, fetch: safeHttp.fetch });
  const ingestionPipeline = createIngestionPipeline({
    db,
    clock,
    queue,
    tenants,
    policies: STEP_POLICIES,
    prices: config.prices,
    steps: createPipelineSteps({
      http: safeHttp,
      storage,
      ai: tenantAi,
      leads,
      crm,
      slack: createSlackNotifier({ http: safeHttp }),
      mailer: createMailer({
        from: config.mail.from,
        dataDir: config.dataDir,
        ...(config.mail.smtp
          ? {
              smtp: {
                host: config.mail.smtp.host,
                port: config.mail.smtp.port,
                secure: config.mail.smtp.secure,
                ...(config.mail.smtp.auth ? { auth: config.mail.smtp.auth } : {}),
              },
            }
          : {}),
      }),
      publicBaseUrl: config.http.publicBaseUrl,
      audio: { maxBytes: 100 * 1024 * 1024, timeoutMs: 120_000 },
    }),
  });
  const foreground = httpForeground();
  const intakeRelay = createIntakeRelay(ingestionPipeline, { busy: () => foreground.busy() });
  const intake = createIntakeService({ db, clock, relay: intakeRelay });
  const webhookIntake = createWebhookIntakeService({ routes, tenants, credentials, intake, clock });
  const ingestionRequests = createIngestionRequestsService({ db, clock, audit, pipeline: ingestionPipeline });
  const exportsService = createExportsService({
    db,
    clock,
    queue,
    audit,
    requests: ingestionRequests,
    dataDir: config.dataDir,
    storage,
    masterKey: master.key,
    publicBaseUrl: config.http.publicBaseUrl,
  });
  const ingestionAnalytics = createIngestionAnalyticsService({ db, clock, tenants });

  const rateLimitStore = redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore();
  const metrics = createMetrics();
  // With Redis every process of the fleet sees every other's live events; alone, memory is enough.
  const live = redis ? createRedisLiveBus(redis) : createMemoryLiveBus();
  const liveUpdates = createLiveUpdatesService({ db, live });
  const contacts = createContactsService({ db, clock });
  const sessions = createSessionsService({ db, clock });
  const inbox = createInbox({
    db,
    clock,
    ai: tenantAi,
    dialog: createDialogEngine({ textLimit: config.engineTextLimit }),
    dialogConfig: async (tenantId) => dialogConfigFrom(await tenants.get(tenantId)),
    phraser: (tenantId) => tenantAi.phraserFor(tenantId),
    contacts,
    sessions,
    leads,
    live,
    usage,
    // Read at handoff time: the transfers service is composed after the inbox.
    transfers: () => deps.services.transfers,
    transcribe: createVoiceNoteTranscriber({ http: safeHttp, tenants, providersFor: sttProvidersFor(safeHttp.fetch) }),
  });
  const conversationMessages = createConversationMessagesService({ db, clock, live });
  // Read per handoff: the channel delivery service is composed independently and may be absent.
  const transfers = createTransfersService({
    db,
    clock,
    live,
    delivery: () => (deps.services as { channelDelivery?: ChannelDelivery }).channelDelivery,
  });
  const conversationQuery = createConversationQueryService({ db });
  const conversationLifecycle = createConversationLifecycleService({ db, clock, live });
  const conversationExports = createConversationExportService({
    clock,
    storage,
    audit,
    conversations: conversationQuery,
    masterKey: master.key,
    publicBaseUrl: config.http.publicBaseUrl,
  });
  const conversationSummary = createConversationSummaryService({ conversations: conversationQuery, ai: tenantAi });
  const channelDelivery = createMessagingDelivery({
    db,
    clock,
    queue,
    tenants,
    senders: {
      whatsapp: createWhatsAppSender(safeHttp),
      messenger: createMessengerSender(safeHttp),
      slack: createSlackWebSender(safeHttp),
      telegram: createTelegramSender(safeHttp),
    },
  });
  const channelWebhooks = createChannelWebhooksService({
    db,
    clock,
    queue,
    tenants,
    routes,
    inbox,
    contacts,
    delivery: channelDelivery,
  });
  const { health } = createHealthModule({
    database,
    dataDir: config.dataDir,
    ...(redis ? { redis } : {}),
    clock,
    version: VERSION,
    environment: config.environment,
  });

  const deps: Deps = {
    config,
    clock,
    database,
    queue,
    redis,
    rateLimitStore,
    metrics,
    box,
    safeHttp,
    storage,
    live,
    adminKey: admin.key,
    generated: { adminKey: admin.created, masterKey: master.created },
    services: {
      audit,
      usage,
      credentials,
      tokens,
      users,
      tenants,
      health,
      webhooks,
      tenantAi,
      leads,
      batches,
      leadAnalytics,
      crm,
      ingestionRequests,
      exports: exportsService,
      ingestionAnalytics,
      ingestionPipeline,
      intakeRelay,
      webhookIntake,
      liveUpdates,
      contacts,
      sessions,
      inbox,
      conversationMessages,
      transfers,
      conversationQuery,
      conversationLifecycle,
      conversationExports,
      conversationSummary,
      channelDelivery,
      channelWebhooks,
    },
    async close() {
      await usage.stop();
      await queue.close();
      await live.close();
      if (redis) await redis.quit().catch(() => undefined);
      await database.close();
    },
  };
  registerJobHandlers(deps);
  return deps;
}

function s3Options(s: S3Settings): S3StorageOptions {
  return {
    bucket: s.bucket,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.credentials ? { credentials: { ...s.credentials } } : {}),
    ...(s.keyPrefix ? { keyPrefix: s.keyPrefix } : {}),
  };
}

/** The migration that created `channel_routes`; configurations saved since write their routes in the same transaction. */
const CHANNEL_ROUTES_MIGRATION = '2026-12-06-0011-channel-routes';

/**
 * Fills the webhook routes of tenants configured before `channel_routes` existed, once: when the
 * migration run named in `applied` created the table. Every later save writes its own routes, so
 * a start that applied nothing has nothing to fill.
 */
export async function backfillRoutes(applied: readonly string[], tenants: TenantsService): Promise<void> {
  if (!applied.includes(CHANNEL_ROUTES_MIGRATION)) return;
  const { keysLeftOut } = await tenants.reconcileRoutes();
  if (keysLeftOut > 0)
    console.warn(
      `channel routes: ${keysLeftOut} webhook key(s) configured on two tenants route to the one holding them; the other tenant's save names the field`,
    );
}

/** Domain events go out as the tenant's signed webhooks; an event no subscription can name is not sent. */
function webhookEvents(webhooks: WebhooksService): EventSink {
  return {
    async emit(tenantId, event, data) {
      if (isWebhookEvent(event)) await webhooks.emit(tenantId, event, data);
    },
  };
}
