import type { Config } from '../config.js';
import type { AnalyticsModule } from '../domain/analytics/index.js';
import { createHealthModule } from '../domain/health/index.js';
import { createPlatformModule } from '../domain/platform/index.js';
import { VERSION } from '../lib/version.js';
import { composeAccounts } from './accounts.js';
import { composeCampaigns } from './campaigns.js';
import { composeConversations } from './conversations.js';
import { composeInsights } from './insights.js';
import { composeLeadsAndCalls } from './leads-and-calls.js';
import { composePeople } from './people.js';
import { createPlatform, type Platform } from './platform.js';
import type { Deps, DepsOptions, Services } from './services.js';
import { registerJobs } from './workers.js';

export type { Deps, DepsOptions, Services } from './services.js';
export { backfillRoutes } from './accounts.js';

function healthOf(config: Config, p: Platform) {
  return createHealthModule({
    database: p.database,
    dataDir: config.dataDir,
    ...(p.redis ? { redis: p.redis } : {}),
    clock: p.clock,
    version: VERSION,
    environment: config.environment,
  }).health;
}

/** The analytics figures, by the names the surfaces know them. */
function analyticsServices(analytics: AnalyticsModule) {
  return {
    leadAnalytics: analytics.leadAnalytics,
    ingestionAnalytics: analytics.requestAnalytics,
    conversationAnalytics: analytics.conversationAnalytics,
    ownerAnalytics: analytics.ownerAnalytics,
    chatUsage: analytics.chatUsage,
    platformActivity: analytics.platformActivity,
    rangeAnalytics: analytics.rangeAnalytics,
  };
}

/**
 * Config → the platform's twins, then every module in the order each needs the ones before it. The
 * one place a backend is chosen; nothing is built twice and nothing is read back through a thunk.
 */
export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const p = await createPlatform(config, options);
  const a = await composeAccounts(config, p, options);
  const l = composeLeadsAndCalls(config, p, a);
  const c = composeConversations(config, p, a, l);
  const i = composeInsights(config, p, a, l, c);
  const people = composePeople(config, p, a, l);
  const health = healthOf(config, p);
  const platform = createPlatformModule({ db: p.database.db, clock: p.clock, tenants: a.tenants });
  const { campaignsModule, ...vendorCalls } = composeCampaigns(config, p, a, l, c, platform.automation);
  registerJobs(p.queue, [
    a.webhooksModule,
    l.leadsModule,
    l.conversionModule,
    l.calls,
    c.messaging,
    c.handoffModule,
    l.notificationsModule,
    c.inbound,
    c.remindersModule,
    i.exportsModule,
    campaignsModule,
  ]);
  const services: Services = {
    ...a,
    health,
    ...l,
    ingestionRequests: l.calls.requests,
    ingestionPipeline: l.calls.pipeline,
    intakeRelay: l.calls.relay,
    ...c.conversations,
    sessions: c.sessions,
    voiceSessions: c.voiceSessions,
    speech: c.speech,
    appointments: c.appointments,
    compliance: c.compliance,
    reminders: c.remindersModule.reminders,
    reminderSchedule: c.remindersModule,
    liveUpdates: c.liveUpdates,
    transfers: c.handoff,
    channelDelivery: c.messaging.channelDelivery,
    channelWebhooks: c.inbound.channelWebhooks,
    webhookIntake: c.inbound.webhookIntake,
    twilioSms: c.twilioSms,
    twilioVoice: c.twilioVoice,
    ...analyticsServices(i.analytics),
    exports: i.exportsModule.exports,
    conversationExports: i.exportsModule.conversationExports,
    platform,
    ...people,
    notifications: c.notifications,
    campaigns: campaignsModule.campaigns,
    ...vendorCalls,
  };
  return {
    config,
    clock: p.clock,
    database: p.database,
    queue: p.queue,
    redis: p.redis,
    rateLimitStore: p.rateLimitStore,
    metrics: p.metrics,
    box: p.box,
    safeHttp: p.safeHttp,
    storage: p.storage,
    live: p.live,
    adminKey: p.admin.key,
    generated: { adminKey: p.admin.created, masterKey: p.master.created },
    services,
    async close() {
      await a.usage.stop();
      await p.close();
    },
  };
}
