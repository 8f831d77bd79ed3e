import { createTokensService } from '../../../src/domain/auth/tokens.service.js';
import { createAuditService, type AuditService } from '../../../src/domain/audit/audit.service.js';
import { createRoutingModule, type ChannelRoutes } from '../../../src/domain/routing/index.js';
import { createCredentialsService, type CredentialsService } from '../../../src/domain/tenants/credentials.service.js';
import { createTenantsService, type TenantsService } from '../../../src/domain/tenants/tenants.service.js';
import { createUsersService, type UsersService } from '../../../src/domain/tenants/users.service.js';
import { createUsageService, type UsageService } from '../../../src/domain/usage/usage.service.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createFingerprint } from '../../../src/lib/crypto.js';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { createSecretBox, type SecretBox } from '../../../src/lib/secrets.js';
import type { Dialect } from '../../../src/store/db.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.js';

export interface TenantServices {
  test: TestDatabase;
  box: SecretBox;
  audit: AuditService;
  usage: UsageService;
  credentials: CredentialsService;
  users: UsersService;
  routes: ChannelRoutes;
  tenants: TenantsService;
  close(): Promise<void>;
}

/** The tenant services wired as deps.ts wires them, on a fresh database of the dialect. */
export async function openTenantServices(dialect: Dialect): Promise<TenantServices> {
  const test = await openTestDatabase(dialect);
  const db = test.database.db;
  const clock = systemClock;
  const masterKey = 'domain-test-master-key-0123456789abcdef';
  const box = createSecretBox(masterKey);
  const audit = createAuditService({ db, clock });
  // A long flush interval: these tests flush by hand.
  const usage = createUsageService({ db, clock, flushMs: 60_000 });
  const credentials = createCredentialsService({ db, box, clock, tokens: createTokensService({ db, box, clock }) });
  const users = createUsersService({ db, clock, audit });
  const { routes } = createRoutingModule({ db, fingerprint: createFingerprint(masterKey, 'channel-routes') });
  // No files in these tests: the tenant deletion test over HTTP covers them.
  const tenants = createTenantsService({
    db,
    box,
    clock,
    audit,
    credentials,
    users,
    files: { removeTenant: () => Promise.resolve() },
    urls: createSafeHttp({ allowPrivate: true }),
    routes,
  });
  return {
    test,
    box,
    audit,
    usage,
    credentials,
    users,
    routes,
    tenants,
    async close() {
      await usage.stop();
      await test.drop();
    },
  };
}
