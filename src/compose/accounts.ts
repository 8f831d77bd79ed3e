import path from 'node:path';
import type { Config } from '../config.js';
import { createAiModule } from '../domain/ai/index.js';
import { createAuditModule } from '../domain/audit/index.js';
import { createAuthModule } from '../domain/auth/index.js';
import { createRoutingModule } from '../domain/routing/index.js';
import { createTenantsModule, type TenantsService } from '../domain/tenants/index.js';
import { createUsageModule } from '../domain/usage/index.js';
import { createOwnerAlerts } from '../domain/notifications/index.js';
import { createWebhookEvents, createWebhooksModule } from '../domain/webhooks/index.js';
import { createLocalEngine } from '../engine/local.js';
import { createFingerprint } from '../lib/crypto.js';
import { qualifierWebhook } from '../surfaces/qualifier/views.js';
import type { Platform } from './platform.js';
import type { DepsOptions } from './services.js';

/** The tenants and what every later module asks of them: credentials, audit, usage, routes, webhooks and AI. */
export async function composeAccounts(config: Config, p: Platform, options: DepsOptions) {
  const { clock, box } = p;
  const db = p.database.db;
  const { audit } = createAuditModule({ db, clock });
  const { usage } = createUsageModule({ db, clock });
  const { tokens } = createAuthModule({ db, box, clock });
  const { routes } = createRoutingModule({ db, fingerprint: createFingerprint(p.master.key, 'channel-routes') });
  const { tenants, credentials, users } = createTenantsModule({
    db,
    box,
    clock,
    audit,
    tokens,
    storage: p.storage,
    exportsDir: path.join(config.dataDir, 'exports'),
    urls: p.safeHttp,
    routes,
  });
  await backfillRoutes(p.applied, tenants);
  // Raising an owner notice only queues a job, so modules built before the notifications (webhooks) can raise one.
  const ownerAlerts = createOwnerAlerts(p.queue);
  const webhooksModule = createWebhooksModule({
    db,
    box,
    clock,
    queue: p.queue,
    http: p.safeHttp,
    tuning: options.webhooks,
    ownerAlerts,
  });
  const { tenantAi } = createAiModule({
    local: () =>
      options.localEngine
        ? Promise.resolve(options.localEngine)
        : createLocalEngine({ textLimit: config.engineTextLimit }),
    tenants,
    fetch: p.safeHttp.fetch,
  });
  const { webhooks } = webhooksModule;
  // Spec E is the document that defines what the webhooks carry.
  const { events, callbacks } = createWebhookEvents(webhooks, qualifierWebhook);
  return {
    audit,
    usage,
    tokens,
    credentials,
    users,
    routes,
    tenants,
    webhooksModule,
    webhooks,
    events,
    callbacks,
    tenantAi,
    ownerAlerts,
  };
}

export type Accounts = Awaited<ReturnType<typeof composeAccounts>>;

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
