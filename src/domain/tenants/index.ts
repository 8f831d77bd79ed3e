import type { Clock } from '../../lib/clock.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { BlobStorage } from '../../providers/storage/storage.js';
import type { Db } from '../../store/db.js';
import type { AuditService } from '../audit/index.js';
import type { TokensService } from '../auth/index.js';
import { createCredentialsRepo } from './credentials.repo.js';
import { createCredentialsService, type CredentialsService } from './credentials.service.js';
import type { RouteClaims } from './tenant-config.service.js';
import { createTenantFiles } from './tenant-files.js';
import { createTenantsRepo } from './tenants.repo.js';
import { createTenantsService, type TenantsService } from './tenants.service.js';
import { createUsersRepo } from './users.repo.js';
import { createUsersService, type UsersService } from './users.service.js';
import type { UrlScreen } from './vendor-urls.js';

export { sealSecrets } from './config-secrets.js';
export { deepMerge } from './deep-merge.js';
export {
  CREDENTIAL_KINDS,
  type CredentialKind,
  type CredentialOverview,
  type CredentialsService,
  type CredentialSummary,
  type IssuedCredentials,
  type RotatedCredential,
} from './credentials.service.js';
export { PLANS, planLimits, TENANT_STATUSES, type Plan, type PlanLimits, type TenantStatus } from './plans.js';
export {
  RATE_LIMIT_CLASSES,
  rateLimitOverrideSchema,
  type RateLimitClass,
  type RateLimitOverride,
} from './plans.config.js';
export type { ConfigChange, RouteClaims } from './tenant-config.service.js';
export { HIDDEN, tenantConfigSchema, timezoneSchema, type TenantConfig } from './tenant-config.schema.js';
export {
  createTenantSchema,
  createUserSchema,
  ROLES,
  rolePermissions,
  updateTenantSchema,
  type CreateTenantInput,
  type CreateUserInput,
  type UpdateTenantInput,
} from './tenants.schema.js';
export type { CreatedTenant, Tenant, TenantsService } from './tenants.service.js';
export type { User, UsersService } from './users.service.js';
export { checkOwnerRole, type Role } from './team.js';

export interface TenantsModulePorts {
  db: Db;
  box: SecretBox;
  clock: Clock;
  audit: AuditService;
  /** Rotating an API key or OAuth client revokes the tenant's access tokens. */
  tokens: Pick<TokensService, 'revokeTenant'>;
  /** Where a deleted tenant's recordings are (under `tenants/<id>/`) … */
  storage: Pick<BlobStorage, 'deletePrefix'>;
  /** … and its exports (`<exportsDir>/<id>`). */
  exportsDir: string;
  /** The SSRF guard's offline check, for vendor URLs a configuration names. */
  urls: UrlScreen;
  /** Inbound webhook routes, rewritten in the transaction of every configuration write. */
  routes: RouteClaims;
}

/** Tenants, their configuration, credentials and team. */
export function createTenantsModule(ports: TenantsModulePorts): {
  tenants: TenantsService;
  credentials: CredentialsService;
  users: UsersService;
} {
  const repo = createTenantsRepo(ports.db);
  const credentials = createCredentialsService({
    repo: createCredentialsRepo(ports.db),
    tenants: repo,
    box: ports.box,
    clock: ports.clock,
    tokens: ports.tokens,
  });
  const users = createUsersService({ repo: createUsersRepo(ports.db), clock: ports.clock, audit: ports.audit });
  const tenants = createTenantsService({
    repo,
    box: ports.box,
    clock: ports.clock,
    audit: ports.audit,
    credentials,
    users,
    files: createTenantFiles({ storage: ports.storage, exportsDir: ports.exportsDir }),
    urls: ports.urls,
    routes: ports.routes,
  });
  return { tenants, credentials, users };
}
