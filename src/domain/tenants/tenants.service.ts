import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/index.js';
import { AppError, forbidden, notFound } from '../errors.js';
import {
  isObject,
  normaliseConfigInput,
  parseInput,
  rootGeneralKeys,
  screenVendorUrls,
  validateConfig,
} from './config-input.js';
import { maskSecrets, sealSecrets } from './config-secrets.js';
import type { CredentialsService, IssuedCredentials } from './credentials.service.js';
import type { TenantStatus } from './plans.js';
import { createStatusCache, type StatusCache } from './tenant-status.js';
import { createTenantConfigService, type RouteClaims, type TenantConfigService } from './tenant-config.service.js';
import type { TenantConfig } from './tenant-config.schema.js';
import type { StoredTenant, TenantPatch, TenantsRepo } from './tenants.repo.js';
import type { CreateTenantInput, UpdateTenantInput } from './tenants.schema.js';
import { createTenantSchema, updateTenantSchema } from './tenants.schema.js';
import type { TenantFiles } from './tenant-files.js';
import type { UsersService, User } from './users.service.js';
import type { UrlScreen } from './vendor-urls.js';

/** A tenant as the service hands it out: as stored, with its configuration's secrets masked instead of sealed. */
export interface Tenant extends Omit<StoredTenant, 'config'> {
  config: TenantConfig;
}

export interface CreatedTenant {
  tenant: Tenant;
  credentials: IssuedCredentials;
  adminUser: (User & { invitationToken: string | null }) | null;
}

export interface TenantsService extends TenantConfigService {
  create(actor: Actor, input: CreateTenantInput): Promise<CreatedTenant>;
  get(id: string): Promise<Tenant>;
  list(opts: {
    limit: number;
    offset: number;
    status?: string;
    plan?: string;
  }): Promise<{ tenants: Tenant[]; total: number }>;
  update(actor: Actor, id: string, input: UpdateTenantInput): Promise<{ tenant: Tenant; changesApplied: string[] }>;
  remove(actor: Actor, id: string): Promise<void>;
  /**
   * The tenant's status for authentication, `missing` once it is deleted. Cached briefly so the hot
   * path costs no query: a change made through this service applies at once here, within seconds elsewhere.
   */
  statusOf(id: string): Promise<TenantStatus | 'missing'>;
}

export interface TenantPorts {
  repo: TenantsRepo;
  box: SecretBox;
  clock: Clock;
  audit: AuditService;
  credentials: CredentialsService;
  users: UsersService;
  files: TenantFiles;
  /** The SSRF guard's offline check, for vendor URLs a configuration names. */
  urls: UrlScreen;
  /** Inbound webhook routes, rewritten with every configuration write. */
  routes: RouteClaims;
}

/** What a client may see of a stored tenant: its configuration with every secret masked. */
function toTenant(stored: StoredTenant): Tenant {
  return { ...stored, config: maskSecrets(stored.config) };
}

export function createTenantsService(deps: TenantPorts): TenantsService {
  const load = async (id: string): Promise<StoredTenant> => {
    const tenant = await deps.repo.findById(id);
    if (!tenant) throw notFound('tenant', id);
    return tenant;
  };
  const statuses = createStatusCache(deps.repo);
  const config = createTenantConfigService({ ...deps, load });
  return {
    ...config,
    create: (actor, input) => createTenant(deps, actor, input),
    get: async (id) => toTenant(await load(id)),
    async list(opts) {
      const { tenants, total } = await deps.repo.list(opts);
      return { tenants: tenants.map(toTenant), total };
    },
    async update(actor, id, rawInput) {
      const input = parseInput(updateTenantSchema, rawInput);
      const changes = await updateFields(deps, statuses, actor, await load(id), input);
      const configPatch = input.configuration ?? {};
      if (input.timezone !== undefined)
        configPatch.general = {
          ...(isObject(configPatch.general) ? configPatch.general : {}),
          timezone: input.timezone,
        };
      const configChange =
        Object.keys(configPatch).length > 0 ? await config.updateConfig(actor, id, configPatch) : undefined;
      const configChanges = (configChange?.changesApplied ?? [])
        .map((p) => `configuration.${p}`)
        .filter((p) => p !== 'configuration.general.timezone' || !changes.includes('timezone'));
      return { tenant: toTenant(await load(id)), changesApplied: [...changes, ...configChanges] };
    },
    async remove(actor, id) {
      const tenant = await load(id);
      // Credentials, users, usage and jobs cascade from tenants.id; the audit log has no foreign key
      // (the deletion record must outlive the tenant), so the tenant's own entries go explicitly.
      await deps.repo.remove(id);
      // After the rows: a failure here leaves orphaned files, never a half-deleted tenant that still answers.
      await deps.files.removeTenant(id);
      statuses.forget(id);
      deps.credentials.forgetTenant(id);
      await deps.audit.forgetTenant(id);
      await deps.audit.record(actor, {
        tenantId: null,
        action: 'tenant.deleted',
        targetType: 'tenant',
        targetId: id,
        before: { name: tenant.name, domain: tenant.domain, plan: tenant.plan, status: tenant.status },
      });
    },
    statusOf: (id) => statuses.statusOf(id),
  };
}

async function createTenant(deps: TenantPorts, actor: Actor, rawInput: CreateTenantInput): Promise<CreatedTenant> {
  const input = parseInput(createTenantSchema, rawInput);
  const config = normaliseConfigInput(input.configuration);
  const general = (config.general ?? {}) as Record<string, unknown>;
  const timezone = input.timezone ?? (typeof general.timezone === 'string' ? general.timezone : 'UTC');
  config.general = { ...general, timezone };
  if (input.features) config.features = input.features;
  const valid = validateConfig(config, rootGeneralKeys(input.configuration));
  screenVendorUrls(config, deps.urls);
  const id = input.tenant_id ?? newId('tenant');
  if (await deps.repo.findById(id)) {
    throw new AppError('CONFLICT', `Tenant '${id}' already exists`, {
      fields: [{ field: 'tenant_id', issue: 'already exists', type: 'conflict' }],
    });
  }
  const now = deps.clock.now().toISOString();
  const stored: StoredTenant = {
    id,
    name: input.name,
    domain: input.domain ?? null,
    status: input.status,
    plan: input.plan,
    timezone,
    config: sealSecrets(valid, deps.box),
    configVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.repo.transaction(async (tx) => {
    await tx.tenants.insert(id, stored);
    await deps.routes.claim(tx.handle, id, deps.routes.keysOf(valid), now);
  });
  const credentials = await deps.credentials.issueAll(id);
  const adminUser = input.admin_user
    ? await deps.users.create(actor, id, { ...input.admin_user, send_invitation: true })
    : null;
  const tenant = toTenant(stored);
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
}

const FIELDS = ['name', 'domain', 'plan', 'status', 'timezone'] as const;

/** Writes the tenant's own fields that `input` changes; returns their names. Plan and status are the platform admin's. */
async function updateFields(
  deps: TenantPorts,
  statuses: StatusCache,
  actor: Actor,
  tenant: StoredTenant,
  input: ReturnType<typeof updateTenantSchema.parse>,
): Promise<string[]> {
  if (
    (input.plan !== undefined && input.plan !== tenant.plan) ||
    (input.status !== undefined && input.status !== tenant.status)
  ) {
    if (actor.kind !== 'admin' && actor.kind !== 'cli')
      throw forbidden('Only a platform admin can change a tenant plan or status');
  }
  const changes = FIELDS.filter((key) => input[key] !== undefined && input[key] !== tenant[key]);
  if (changes.length === 0) return [];
  const patch: TenantPatch = Object.fromEntries(changes.map((key) => [key, input[key]]));
  await deps.repo.update(tenant.id, { ...patch, updatedAt: deps.clock.now().toISOString() });
  statuses.forget(tenant.id);
  await deps.audit.record(actor, {
    tenantId: tenant.id,
    action: 'tenant.updated',
    targetType: 'tenant',
    targetId: tenant.id,
    before: Object.fromEntries(changes.map((k) => [k, tenant[k]])),
    after: Object.fromEntries(changes.map((k) => [k, patch[k]])),
  });
  return changes;
}
