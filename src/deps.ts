import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config, S3Settings } from './config.js';
import { createAuditService, type AuditService } from './domain/audit/audit.service.js';
import { createTokensService, type TokensService } from './domain/auth/tokens.service.js';
import { createHealthService, type HealthProbe, type HealthService } from './domain/health/health.service.js';
import { createCredentialsService, type CredentialsService } from './domain/tenants/credentials.service.js';
import { createTenantFiles } from './domain/tenants/tenant-files.js';
import { createTenantsService, type TenantsService } from './domain/tenants/tenants.service.js';
import { createUsersService, type UsersService } from './domain/tenants/users.service.js';
import { createUsageService, type UsageService } from './domain/usage/usage.service.js';
import {
  createAnalyticsModule,
  type ConversationAnalytics,
  type LeadAnalytics,
  type RequestAnalytics,
} from './domain/analytics/index.js';
import { createExportsModule, type ConversationExportService, type ExportsService } from './domain/exports/index.js';
import { createInboundModule, type ChannelWebhooksService, type WebhookIntakeService } from './domain/inbound/index.js';
import { createMessagingModule, type MessagingDelivery } from './domain/messaging/index.js';
import { createMessengerSender } from './providers/messaging/messenger.js';
import { createSlackWebSender } from './providers/messaging/slack-web.js';
import { createTelegramSender } from './providers/messaging/telegram.js';
import { createWhatsAppSender } from './providers/messaging/whatsapp.js';
import { createTenantAiService, type TenantAiService } from './domain/ai/tenant-ai.js';
import { createAppointmentsModule } from './domain/appointments/index.js';
import {
  createConversationsModule,
  createVoiceNoteTranscriber,
  type ConversationLifecycleService,
  type ConversationMessagesService,
  type ConversationQueryService,
  type ConversationSummaryService,
  type ConversationUpkeepService,
  type InboxService,
} from './domain/conversations/index.js';
import { createHandoffModule, type HandoffService } from './domain/handoff/index.js';
import { createLiveModule, type LiveBus, type LiveUpdatesService } from './domain/live/index.js';
import { createSessionsModule, type SessionsService } from './domain/sessions/index.js';
import { createCrmService, type CrmService } from './domain/crm/crm.service.js';
import {
  createCallsModule,
  createdRange,
  createPipelineSteps,
  sttProvidersFor,
  type IngestionPipeline,
  type IngestionRequestsService,
  type IntakeRelay,
} from './domain/calls/index.js';
import { createRoutingModule } from './domain/routing/index.js';
import type { EventSink } from './domain/events.js';
import { createMemoryLiveBus } from './pubsub/memory.live-bus.js';
import { createRedisLiveBus } from './pubsub/redis.live-bus.js';
import { createLeadsModule, type BatchesService, type LeadsService } from './domain/leads/index.js';
import { dialogConfigFrom } from './domain/ai/dialog-config.js';
import { createIdentityModule, type ContactsService } from './domain/identity/index.js';
import { createDialogEngine } from './engine/dialog/dialog-engine.js';
import {
  createWebhooksModule,
  isWebhookEvent,
  type WebhookTuning,
  type WebhooksService,
} from './domain/webhooks/index.js';
import { createLocalEngine, type LocalEngine } from './engine/local.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createFingerprint } from './lib/crypto.js';
import { loadOrCreateKey } from './lib/keyfile.js';
import { createSecretBox, type SecretBox } from './lib/secrets.js';
import { VERSION } from './lib/version.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { requestDetailPages } from './surfaces/ingestion/views.js';
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
import { conversationExportFile } from './surfaces/chatbot/views.js';
import { requestExportLayout } from './surfaces/ingestion/views.js';
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
  leadAnalytics: LeadAnalytics;
  crm: CrmService;
  ingestionRequests: IngestionRequestsService;
  exports: ExportsService;
  ingestionAnalytics: RequestAnalytics;
  conversationAnalytics: ConversationAnalytics;
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
  /** What other concepts change on conversations and messages (contact merges, platform statuses). */
  conversationUpkeep: ConversationUpkeepService;
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
  const audit = createAuditService({ db, clock });
  const usage = createUsageService({ db, clock });
  const tokens = createTokensService({ db, box, clock });
  const credentials = createCredentialsService({ db, box, clock, tokens });
  const users = createUsersService({ db, clock, audit });
  const storage =
    config.storage.kind === 's3'
      ? createS3Storage(s3Options(config.storage))
      : createFilesystemStorage({ root: path.join(config.dataDir, 'storage') });
  const files = createTenantFiles({ storage, exportsDir: path.join(config.dataDir, 'exports') });
  const safeHttp = createSafeHttp({
    allowPrivate: config.allowPrivateUrls,
    allowlist: config.privateUrlAllowlist,
    lookup: options.lookup,
  });
  const { routes } = createRoutingModule({ db, fingerprint: createFingerprint(master.key, 'channel-routes') });
  const tenants = createTenantsService({ db, box, clock, audit, credentials, users, files, urls: safeHttp, routes });
  await backfillRoutes(applied, tenants);
  const webhooksModule = createWebhooksModule({ db, box, clock, queue, http: safeHttp, tuning: options.webhooks });
  const { webhooks } = webhooksModule;
  const events = webhookEvents(webhooks);
  const tenantAi = createTenantAiService({
    local: () =>
      options.localEngine
        ? Promise.resolve(options.localEngine)
        : createLocalEngine({ textLimit: config.engineTextLimit }),
    tenants,
    fetch: safeHttp.fetch,
  });
  const { contacts } = createIdentityModule({ db, clock });
  const { leads, batches } = createLeadsModule({
    db,
    clock,
    queue,
    ai: tenantAi,
    events,
    usage,
    identity: contacts,
    callback: {
      send: (tenantId, url, event, data) =>
        isWebhookEvent(event) ? webhooks.sendCallback(tenantId, url, event, data) : Promise.resolve(),
    },
  });
  const crm = createCrmService({ db, clock, tenants, events, usage, fetch: safeHttp.fetch });
  const foreground = httpForeground();
  const calls = createCallsModule({
    db,
    clock,
    queue,
    tenants,
    audit,
    prices: config.prices,
    relay: { busy: () => foreground.busy() },
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
  const { pipeline: ingestionPipeline, relay: intakeRelay, requests: ingestionRequests } = calls;

  const probes: HealthProbe[] = [
    {
      name: 'database',
      critical: true,
      // A database that answers reads but refuses writes cannot take a single request's intake: not ready.
      ping: async () => {
        const ms = await database.ping();
        await database.writable();
        return ms;
      },
      details: () => ({ dialect: database.dialect, ...database.stats() }),
    },
    // Recordings, exports and mail are written here; a full or read-only data dir fails the requests that write, so it makes the service unready.
    {
      name: 'storage',
      critical: true,
      ping: () => probeWritable(config.dataDir),
      details: () => ({ kind: 'filesystem' }),
    },
  ];
  if (redis) {
    probes.push({
      name: 'redis',
      critical: true,
      ping: async () => {
        const started = performance.now();
        await redis.ping();
        return Math.round((performance.now() - started) * 100) / 100;
      },
      details: () => ({ status: redis.status }),
    });
  }
  const rateLimitStore = redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore();
  const metrics = createMetrics();
  // With Redis every process of the fleet sees every other's live events; alone, memory is enough.
  const live = redis ? createRedisLiveBus(redis) : createMemoryLiveBus();
  const sessionsModule = createSessionsModule({ db, clock });
  const { sessions } = sessionsModule;
  const messaging = createMessagingModule({
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
  const channelDelivery = messaging.channelDelivery;
  const { handoff: transfers } = createHandoffModule({ db, clock, live, delivery: channelDelivery });
  const { appointments } = createAppointmentsModule({ db });
  const {
    inbox,
    conversationMessages,
    conversationQuery,
    conversationLifecycle,
    conversationSummary,
    conversationUpkeep,
  } = createConversationsModule({
    db,
    clock,
    ai: tenantAi,
    dialog: createDialogEngine({ textLimit: config.engineTextLimit }),
    dialogConfig: async (tenantId) => dialogConfigFrom(await tenants.get(tenantId)),
    phraser: (tenantId) => tenantAi.phraserFor(tenantId),
    contacts,
    sessions,
    leads,
    appointments,
    handoff: transfers,
    live,
    usage,
    transcribe: createVoiceNoteTranscriber({ http: safeHttp, tenants, providersFor: sttProvidersFor(safeHttp.fetch) }),
  });
  const { liveUpdates } = createLiveModule({
    live,
    conversationExists: (tenantId, id) => conversationQuery.exists(tenantId, id),
  });
  const analytics = createAnalyticsModule({ db, clock, tenants, conversations: conversationQuery });
  // The surfaces whose documents offer the exports say what the files hold; the job runs where workers run.
  const exportsModule = createExportsModule({
    db,
    clock,
    queue,
    audit,
    storage,
    dataDir: config.dataDir,
    masterKey: master.key,
    publicBaseUrl: config.http.publicBaseUrl,
    requests: {
      range: createdRange,
      pages: (tenantId, range, pageSize) => requestDetailPages(ingestionRequests.pages(tenantId, range, pageSize)),
      layout: requestExportLayout,
    },
    conversations: {
      record: (tenantId, id, range) => conversationQuery.record(tenantId, id, range),
      file: conversationExportFile,
    },
  });
  exportsModule.registerJobs(queue);
  const inbound = createInboundModule({
    db,
    clock,
    queue,
    tenants,
    credentials,
    routes,
    inbox,
    contacts,
    delivery: channelDelivery,
    intake: calls.intake,
  });
  const { channelWebhooks, webhookIntake } = inbound;
  const health = createHealthService({
    probes,
    clock,
    version: VERSION,
    environment: config.environment,
    startedAt: Date.now(),
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
      leadAnalytics: analytics.leadAnalytics,
      crm,
      ingestionRequests,
      exports: exportsModule.exports,
      ingestionAnalytics: analytics.requestAnalytics,
      conversationAnalytics: analytics.conversationAnalytics,
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
      conversationExports: exportsModule.conversationExports,
      conversationSummary,
      conversationUpkeep,
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
  webhooksModule.registerJobs(queue);
  registerJobHandlers(deps);
  messaging.registerJobs(queue);
  inbound.registerJobs(queue);
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
    async emitIn(tx, tenantId, event, data) {
      if (!isWebhookEvent(event)) return () => Promise.resolve();
      const emitted = await webhooks.emitIn(tx, tenantId, event, data);
      return () => emitted.dispatch();
    },
  };
}

/** Writes and removes a small file in `dir`; resolves with the round trip in ms, throws when the directory is not writable. */
async function probeWritable(dir: string): Promise<number> {
  const started = performance.now();
  const file = path.join(dir, `.health-${process.pid}-${Date.now()}`);
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(file, 'ok');
  await fs.promises.rm(file, { force: true });
  return Math.round((performance.now() - started) * 100) / 100;
}
