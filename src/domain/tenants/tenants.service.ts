import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import { fromJson, toJson } from '../../store/json.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError, forbidden, invalid, notFound, type FieldIssue } from '../errors.js';
import type { ChannelRoutes } from '../routing/index.js';
import { maskSecrets, openSecrets, sealSecrets } from './config-secrets.js';
import type { CredentialsService, IssuedCredentials } from './credentials.service.js';
import { deepMerge } from './deep-merge.js';
import type { Plan, TenantStatus } from './plans.js';
import { HIDDEN, tenantConfigSchema, type TenantConfig } from './tenant-config.schema.js';
import * as repo from './tenants.repo.js';
import type { CreateTenantInput, UpdateTenantInput } from './tenants.schema.js';
import { createTenantSchema, updateTenantSchema } from './tenants.schema.js';
import type { TenantFiles } from './tenant-files.js';
import type { UsersService, User } from './users.service.js';
import { refusedVendorUrls, type UrlScreen } from './vendor-urls.js';

export interface Tenant {
  id: string;
  name: string;
  domain: string | null;
  status: TenantStatus;
  plan: Plan;
  timezone: string;
  /** Secrets masked. */
  config: TenantConfig;
  configVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedTenant {
  tenant: Tenant;
  credentials: IssuedCredentials;
  adminUser: (User & { invitationToken: string | null }) | null;
}

export interface ConfigChange {
  changesApplied: string[];
  configurationVersion: number;
  updatedAt: string;
}

export interface TenantsService {
  create(actor: Actor, input: CreateTenantInput): Promise<CreatedTenant>;
  get(id: string): Promise<Tenant>;
  /** Configuration with secrets opened, for the code that talks to a tenant's vendors. Never returned to a client. */
  getConfigWithSecrets(id: string): Promise<TenantConfig>;
  list(opts: {
    limit: number;
    offset: number;
    status?: string;
    plan?: string;
  }): Promise<{ tenants: Tenant[]; total: number }>;
  update(actor: Actor, id: string, input: UpdateTenantInput): Promise<{ tenant: Tenant; changesApplied: string[] }>;
  updateConfig(actor: Actor, id: string, patch: Record<string, unknown>): Promise<ConfigChange>;
  remove(actor: Actor, id: string): Promise<void>;
  countByStatus(): Promise<Record<string, number>>;
  /**
   * The tenant's status for authentication, `missing` once it is deleted. Cached briefly so the hot
   * path costs no query: a change made through this service applies at once here, within seconds elsewhere.
   */
  statusOf(id: string): Promise<TenantStatus | 'missing'>;
  /**
   * Rewrites every tenant's webhook routes from its configuration, oldest tenant first; a key two
   * tenants claim stays with the one holding it. Run at start-up: it fills the routes of tenants
   * configured before they existed. Returns how many keys were left to another tenant.
   */
  reconcileRoutes(): Promise<{ tenants: number; keysLeftOut: number }>;
}

// Matches the credential lookup cache: how long another process may still see an old status.
const STATUS_TTL_MS = 10_000;
const MAX_CACHED_STATUSES = 10_000;

/** Spec D puts general settings at the root of `configuration`; the model keeps them under `general`. */
const GENERAL_KEYS = ['default_language', 'timezone', 'currency', 'date_format'] as const;

export function normaliseConfigInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  const general: Record<string, unknown> = isObject(out.general) ? { ...out.general } : {};
  let moved = false;
  for (const key of GENERAL_KEYS) {
    if (key in out) {
      general[key] = out[key];
      delete out[key];
      moved = true;
    }
  }
  if (moved || isObject(out.general)) out.general = general;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Drops `***hidden***` values so a client that sends back what it read does not erase a secret. */
function dropHidden(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== HIDDEN)
      .map(([k, v]) => [k, isObject(v) ? dropHidden(v) : v]),
  );
}

/** General settings the client sent at the root of `configuration` (spec D's form), so errors can name them where they were sent. */
function rootGeneralKeys(input: Record<string, unknown>): string[] {
  return GENERAL_KEYS.filter((key) => key in input);
}

function validateConfig(config: Record<string, unknown>, sentAtRoot: readonly string[] = []): TenantConfig {
  const parsed = tenantConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const fields: FieldIssue[] = parsed.error.issues.map((i) => {
    const path = i.path.map(String);
    const asSent =
      path.length === 2 && path[0] === 'general' && sentAtRoot.includes(path[1] ?? '') ? path.slice(1) : path;
    return { field: ['configuration', ...asSent].join('.'), issue: i.message, type: i.code };
  });
  throw invalid(fields, 'Invalid tenant configuration');
}

/** Refuses a configuration naming a vendor URL the SSRF guard would refuse anyway, so the tenant learns it now rather than at the first call. */
function screenVendorUrls(config: Record<string, unknown>, urls: UrlScreen): void {
  const fields = refusedVendorUrls(config, urls);
  if (fields.length > 0) throw invalid(fields, 'Invalid tenant configuration');
}

function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string; code: string }[] } };
  },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalid(
    parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', issue: i.message, type: i.code })),
  );
}

export function createTenantsService(deps: {
  db: Db;
  box: SecretBox;
  clock: Clock;
  audit: AuditService;
  credentials: CredentialsService;
  users: UsersService;
  files: TenantFiles;
  /** The SSRF guard's offline check, for vendor URLs a configuration names. */
  urls: UrlScreen;
  /** Inbound webhook routes, rewritten with every configuration write. */
  routes: ChannelRoutes;
}): TenantsService {
  const toTenant = (row: repo.TenantRow): Tenant => ({
    id: row.id,
    name: row.name,
    domain: row.domain,
    status: row.status as TenantStatus,
    plan: row.plan as Plan,
    timezone: row.timezone,
    config: maskSecrets(fromJson<TenantConfig>(row.config, {})),
    configVersion: row.config_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const statuses = new Map<string, { status: TenantStatus | 'missing'; until: number }>();

  const load = async (id: string): Promise<repo.TenantRow> => {
    const row = await repo.findById(deps.db, id);
    if (!row) throw notFound('tenant', id);
    return row;
  };

  const updateConfig = async (actor: Actor, id: string, rawPatch: Record<string, unknown>): Promise<ConfigChange> => {
    const patch = dropHidden(normaliseConfigInput(rawPatch));
    // Optimistic concurrency: two admins saving at once never silently overwrite each other.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await load(id);
      const current = openSecrets(fromJson<Record<string, unknown>>(row.config, {}), deps.box);
      const { merged, changed } = deepMerge(current, patch);
      if (changed.length === 0)
        return { changesApplied: [], configurationVersion: row.config_version, updatedAt: row.updated_at };
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
      const saved = await deps.db.transaction().execute(async (trx) => {
        if (!(await repo.updateConfig(trx, id, row.config_version, toJson(sealSecrets(valid, deps.box)), updatedAt)))
          return false;
        await deps.routes.claim(trx, id, routeKeys, updatedAt);
        return true;
      });
      if (!saved) continue;
      const tz = valid.general?.timezone;
      if (tz && tz !== row.timezone) await repo.update(deps.db, id, { timezone: tz });
      await deps.audit.record(actor, {
        tenantId: id,
        action: 'tenant.config_updated',
        targetType: 'tenant',
        targetId: id,
        before: maskSecrets(current),
        after: { ...maskSecrets(valid), changes_applied: changed },
      });
      return { changesApplied: changed, configurationVersion: row.config_version + 1, updatedAt };
    }
    throw new AppError('CONFLICT', 'The configuration was changed by someone else at the same time; try again');
  };

  return {
    async create(actor, rawInput) {
      const input = parseInput(createTenantSchema, rawInput);
      const config = normaliseConfigInput(input.configuration);
      const general = (config.general ?? {}) as Record<string, unknown>;
      const timezone = input.timezone ?? (typeof general.timezone === 'string' ? general.timezone : 'UTC');
      config.general = { ...general, timezone };
      if (input.features) config.features = input.features;
      const valid = validateConfig(config, rootGeneralKeys(input.configuration));
      screenVendorUrls(config, deps.urls);
      const id = input.tenant_id ?? newId('tenant');
      if (await repo.findById(deps.db, id)) {
        throw new AppError('CONFLICT', `Tenant '${id}' already exists`, {
          fields: [{ field: 'tenant_id', issue: 'already exists', type: 'conflict' }],
        });
      }
      const now = deps.clock.now().toISOString();
      const row: repo.TenantRow = {
        id,
        name: input.name,
        domain: input.domain ?? null,
        status: input.status,
        plan: input.plan,
        timezone,
        config: toJson(sealSecrets(valid, deps.box)),
        config_version: 1,
        created_at: now,
        updated_at: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.insert(trx, row);
        await deps.routes.claim(trx, id, deps.routes.keysOf(valid), now);
      });
      const credentials = await deps.credentials.issueAll(id);
      const adminUser = input.admin_user
        ? await deps.users.create(actor, id, { ...input.admin_user, send_invitation: true })
        : null;
      const tenant = toTenant(row);
      await deps.audit.record(actor, {
        tenantId: id,
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: id,
        after: {
          name: tenant.name,
          domain: tenant.domain,
          plan: tenant.plan,
          status: tenant.status,
          timezone,
          config: tenant.config,
        },
      });
      return { tenant, credentials, adminUser };
    },

    async get(id) {
      return toTenant(await load(id));
    },

    async getConfigWithSecrets(id) {
      const row = await load(id);
      return openSecrets(fromJson<Record<string, unknown>>(row.config, {}), deps.box);
    },

    async list(opts) {
      const { rows, total } = await repo.list(deps.db, opts);
      return { tenants: rows.map(toTenant), total };
    },

    async update(actor, id, rawInput) {
      const input = parseInput(updateTenantSchema, rawInput);
      const row = await load(id);
      if (
        (input.plan !== undefined && input.plan !== row.plan) ||
        (input.status !== undefined && input.status !== row.status)
      ) {
        if (actor.kind !== 'admin' && actor.kind !== 'cli')
          throw forbidden('Only a platform admin can change a tenant plan or status');
      }
      const changes: string[] = [];
      const patch: Partial<repo.TenantRow> = {};
      for (const key of ['name', 'domain', 'plan', 'status', 'timezone'] as const) {
        const value = input[key];
        if (value !== undefined && value !== row[key]) {
          patch[key] = value as never;
          changes.push(key);
        }
      }
      if (changes.length > 0) {
        patch.updated_at = deps.clock.now().toISOString();
        await repo.update(deps.db, id, patch);
        statuses.delete(id);
        await deps.audit.record(actor, {
          tenantId: id,
          action: 'tenant.updated',
          targetType: 'tenant',
          targetId: id,
          before: Object.fromEntries(changes.map((k) => [k, row[k as keyof repo.TenantRow]])),
          after: Object.fromEntries(changes.map((k) => [k, patch[k as keyof repo.TenantRow]])),
        });
      }
      const configPatch = input.configuration ?? {};
      if (input.timezone !== undefined)
        configPatch.general = {
          ...(isObject(configPatch.general) ? configPatch.general : {}),
          timezone: input.timezone,
        };
      const configChange = Object.keys(configPatch).length > 0 ? await updateConfig(actor, id, configPatch) : undefined;
      const configChanges = (configChange?.changesApplied ?? [])
        .map((p) => `configuration.${p}`)
        .filter((p) => p !== 'configuration.general.timezone' || !changes.includes('timezone'));
      return { tenant: toTenant(await load(id)), changesApplied: [...changes, ...configChanges] };
    },

    updateConfig,

    async remove(actor, id) {
      const row = await load(id);
      // Credentials, users, usage and jobs cascade from tenants.id; the audit log has no foreign key
      // (the deletion record must outlive the tenant), so the tenant's own entries go explicitly.
      await repo.remove(deps.db, id);
      // After the rows: a failure here leaves orphaned files, never a half-deleted tenant that still answers.
      await deps.files.removeTenant(id);
      statuses.delete(id);
      deps.credentials.forgetTenant(id);
      await deps.audit.forgetTenant(id);
      await deps.audit.record(actor, {
        tenantId: null,
        action: 'tenant.deleted',
        targetType: 'tenant',
        targetId: id,
        before: { name: row.name, domain: row.domain, plan: row.plan, status: row.status },
      });
    },

    countByStatus: () => repo.countByStatus(deps.db),

    async reconcileRoutes() {
      let keysLeftOut = 0;
      const ids = await repo.idsOldestFirst(deps.db);
      for (const id of ids) {
        const row = await repo.findById(deps.db, id);
        if (!row) continue;
        const keys = deps.routes.keysOf(openSecrets(fromJson<Record<string, unknown>>(row.config, {}), deps.box));
        const at = deps.clock.now().toISOString();
        keysLeftOut += await deps.db.transaction().execute(async (trx) => {
          // A save since the read wrote its own routes; holding the row also orders this after a save in flight.
          if (!(await repo.holdVersion(trx, id, row.config_version))) return 0;
          return (await deps.routes.settle(trx, id, keys, at)).length;
        });
      }
      return { tenants: ids.length, keysLeftOut };
    },

    async statusOf(id) {
      const now = Date.now();
      const hit = statuses.get(id);
      if (hit && hit.until > now) return hit.status;
      const row = await repo.findById(deps.db, id);
      const status = row ? (row.status as TenantStatus) : 'missing';
      if (statuses.size >= MAX_CACHED_STATUSES) statuses.clear();
      statuses.set(id, { status, until: now + STATUS_TTL_MS });
      return status;
    },
  };
}
