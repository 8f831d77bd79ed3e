import type { Config } from '../config.js';
import { reassignAppointmentsContactIn } from '../domain/appointments/index.js';
import { createCallsModule, createPipelineSteps } from '../domain/calls/index.js';
import { reassignConversationsContactIn } from '../domain/conversations/index.js';
import { createConversionModule } from '../domain/conversion/index.js';
import { createCrmModule } from '../domain/crm/index.js';
import { createIdentityModule } from '../domain/identity/index.js';
import { createLeadsModule, reassignLeadsContactIn } from '../domain/leads/index.js';
import { createNotificationsModule } from '../domain/notifications/index.js';
import { reassignSessionsContactIn } from '../domain/sessions/index.js';
import { createMailer, type Mailer } from '../providers/notify/email.js';
import { createSlackNotifier, type SlackNotifier } from '../providers/notify/slack.js';
import { createSmsNotifier } from '../providers/notify/sms.js';
import { createTwilioSmsSender } from '../providers/sms/twilio.js';
import { httpForeground } from '../queue/foreground.js';
import type { Accounts } from './accounts.js';
import type { Platform } from './platform.js';

/** People, their leads and the CRM, then the calls pipeline whose steps score and sync them. */
export function composeLeadsAndCalls(config: Config, p: Platform, a: Accounts) {
  const { clock, queue, safeHttp } = p;
  const db = p.database.db;
  // One mailer for every notice: pipeline alerts, sign-in links, handoff notices.
  const mailer = mailerOf(config);
  const slack = createSlackNotifier({ http: safeHttp });
  // Built before the leads and the calls pipeline: both tell the owner of what they see (a HOT lead, a failed request).
  const notificationsModule = composeNotifications(config, p, a, { mailer, slack });
  const { ownerAlerts } = a;
  // A merge moves the other concepts' rows through their doors, in its transaction: each table keeps one writer.
  const identity = createIdentityModule({
    db,
    clock,
    referrers: [
      reassignConversationsContactIn,
      reassignSessionsContactIn,
      reassignAppointmentsContactIn,
      reassignLeadsContactIn,
    ],
  });
  const conversionModule = createConversionModule({ db, clock, queue, ai: a.tenantAi });
  const leadsModule = createLeadsModule({
    db,
    clock,
    queue,
    ai: a.tenantAi,
    conversion: conversionModule.blender,
    events: a.events,
    usage: a.usage,
    live: p.live,
    audit: a.audit,
    identity: identity.contacts,
    callback: a.callbacks,
    ownerAlerts,
  });
  const { leads } = leadsModule;
  const { crm } = createCrmModule({
    db,
    clock,
    tenants: a.tenants,
    events: a.events,
    usage: a.usage,
    fetch: safeHttp.fetch,
  });
  // Stored requests wait for the relay while this process is busy answering HTTP.
  const foreground = httpForeground();
  const calls = createCallsModule({
    db,
    clock,
    queue,
    tenants: a.tenants,
    audit: a.audit,
    prices: config.prices,
    processing: p.metrics,
    relay: { busy: () => foreground.busy() },
    ownerAlerts,
    steps: createPipelineSteps({
      http: safeHttp,
      storage: p.storage,
      ai: a.tenantAi,
      leads,
      crm,
      slack,
      mailer,
      publicBaseUrl: config.http.publicBaseUrl,
      audio: { maxBytes: 100 * 1024 * 1024, timeoutMs: 120_000 },
    }),
  });
  return {
    contacts: identity.contacts,
    leadsModule,
    leads,
    batches: leadsModule.batches,
    conversionModule,
    conversion: conversionModule.conversion,
    crm,
    calls,
    mailer,
    notificationsModule,
  };
}

export type LeadsAndCalls = ReturnType<typeof composeLeadsAndCalls>;

/** Telling the tenant's people: e-mail, Slack, and SMS through the tenant's Twilio account (else the outbox). */
function composeNotifications(
  config: Config,
  p: Platform,
  a: Accounts,
  notifiers: { mailer: Mailer; slack: SlackNotifier },
) {
  return createNotificationsModule({
    ...a,
    ...notifiers,
    sms: createSmsNotifier({ twilio: createTwilioSmsSender(p.safeHttp), dataDir: config.dataDir }),
    publicBaseUrl: config.http.publicBaseUrl,
  });
}

function mailerOf(config: Config): Mailer {
  const smtp = config.mail.smtp;
  return createMailer({
    from: config.mail.from,
    dataDir: config.dataDir,
    ...(smtp
      ? {
          smtp: {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            ...(smtp.auth ? { auth: smtp.auth } : {}),
          },
        }
      : {}),
  });
}
