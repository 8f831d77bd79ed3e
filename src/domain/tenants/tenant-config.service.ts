import type { Clock } from '../../lib/clock.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, forbidden } from '../errors.js';
import { dropHidden, normaliseConfigInput, rootGeneralKeys, screenVendorUrls, validateConfig } from './config-input.js';
import { maskSecrets, openSecrets, sealSecrets } from './config-secrets.js';
import { deepMerge } from './deep-merge.js';
import type { TenantConfig } from './tenant-config.schema.js';
import type { StoredTenant, TenantsRepo, TenantsTransaction } from './tenants.repo.js';
import type { UrlScreen } from './vendor-urls.js';

export interface ConfigChange {
  changesApplied: string[];
  configurationVersion: number;
  updatedAt: string;
}

/**
 * The routing concept's side of a configuration save: the inbound webhook routes a configuration
 * names are written in the same transaction as it. Typed here by what the tenants need of it.
 */
export interface RouteClaims {
  /** The keys a configuration (secrets opened) routes by. */
  keysOf(config: Record<string, unknown>): unknown[];
  /** Makes `keys` the tenant's routes; VALIDATION naming the field of a key another tenant holds. */
  claim(tx: TenantsTransaction['handle'], tenantId: string, keys: unknown[], at: string): Promise<void>;
  /** Like `claim`, but a key another tenant holds stays with it; returns the keys left out. */
  settle(tx: TenantsTransaction['handle'], tenantId: string, keys: unknown[], at: string): Promise<unknown[]>;
}

export interface TenantConfigService {
  /** Configuration with secrets opened, for the code that talks to a tenant's vendors. Never returned to a client. */
  getConfigWithSecrets(id: string): Promise<TenantConfig>;
  updateConfig(actor: Actor, id: string, patch: Record<string, unknown>): Promise<ConfigChange>;
  /**
   * Rewrites every tenant's webhook routes from its configuration, oldest tenant first; a key two
   * tenants claim stays with the one holding it. Run at start-up: it fills the routes of tenants
   * configured before they existed. Returns how many keys were left to another tenant.
   */
  reconcileRoutes(): Promise<{ tenants: number; keysLeftOut: number }>;
}

export interface TenantConfigPorts {
  repo: TenantsRepo;
  box: SecretBox;
  clock: Clock;
  audit: AuditService;
  /** The SSRF guard's offline check, for vendor URLs a configuration names. */
  urls: UrlScreen;
  /** Inbound webhook routes, rewritten with every configuration write. */
  routes: RouteClaims;
  /** The stored tenant, or NOT_FOUND. */
  load(id: string): Promise<StoredTenant>;
}

const MAX_ATTEMPTS = 5;

export function createTenantConfigService(deps: TenantConfigPorts): TenantConfigService {
  return {
    async getConfigWithSecrets(id) {
      return openSecrets((await deps.load(id)).config, deps.box);
    },

    async updateConfig(actor, id, rawPatch) {
      const patch = dropHidden(normaliseConfigInput(rawPatch));
      // Optimistic concurrency: two admins saving at once never silently overwrite each other.
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const change = await trySave(deps, actor, id, rawPatch, patch);
        if (change) return change;
      }
      throw new AppError('CONFLICT', 'The configuration was changed by someone else at the same time; try again');
    },

    async reconcileRoutes() {
      let keysLeftOut = 0;
      const ids = await deps.repo.idsOldestFirst();
      for (const id of ids) {
        const tenant = await deps.repo.findById(id);
        if (!tenant) continue;
        const keys = deps.routes.keysOf(openSecrets(tenant.config, deps.box));
        const at = deps.clock.now().toISOString();
        keysLeftOut += await deps.repo.transaction(async (tx) => {
          // A save since the read wrote its own routes; holding the row also orders this after a save in flight.
          if (!(await tx.tenants.holdVersion(id, tenant.configVersion))) return 0;
          return (await deps.routes.settle(tx.handle, id, keys, at)).length;
        });
      }
      return { tenants: ids.length, keysLeftOut };
    },
  };
}

/** One attempt at saving `patch` over the configuration as read now; undefined when someone saved in between. */
async function trySave(
  deps: TenantConfigPorts,
  actor: Actor,
  id: string,
  rawPatch: Record<string, unknown>,
  patch: Record<string, unknown>,
): Promise<ConfigChange | undefined> {
  const tenant = await deps.load(id);
  const current = openSecrets(tenant.config, deps.box);
  const { merged, changed } = deepMerge(current, patch);
  if (changed.length === 0)
    return { changesApplied: [], configurationVersion: tenant.configVersion, updatedAt: tenant.updatedAt };
  // A tenant raising its own rate limits would defeat them; only the platform admin may.
  if (
    changed.some((p) => p === 'rate_limits' || p.startsWith('rate_limits.')) &&
    actor.kind !== 'admin' &&
    actor.kind !== 'cli'
  ) {
    throw forbidden('Only a platform admin can change rate_limits');
  }
  const valid = validateConfig(merged, rootGeneralKeys(rawPatch));
  // Only what this change sets: a URL saved earlier must not block unrelated edits.
  screenVendorUrls(patch, deps.urls);
  const updatedAt = deps.clock.now().toISOString();
  const routeKeys = deps.routes.keysOf(valid);
  const saved = await deps.repo.transaction(async (tx) => {
    if (!(await tx.tenants.updateConfig(id, tenant.configVersion, sealSecrets(valid, deps.box), updatedAt)))
      return false;
    await deps.routes.claim(tx.handle, id, routeKeys, updatedAt);
    return true;
  });
  if (!saved) return undefined;
  const tz = valid.general?.timezone;
  if (tz && tz !== tenant.timezone) await deps.repo.update(id, { timezone: tz });
  await deps.audit.record(actor, {
    tenantId: id,
    action: 'tenant.config_updated',
    targetType: 'tenant',
    targetId: id,
    before: maskSecrets(current),
    after: { ...maskSecrets(valid), changes_applied: changed },
  });
  return { changesApplied: changed, configurationVersion: tenant.configVersion + 1, updatedAt };
}
