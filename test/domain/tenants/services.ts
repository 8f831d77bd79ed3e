import { createAuditModule, type AuditService } from '../../../src/domain/audit/index.js';
import { createAuthModule } from '../../../src/domain/auth/index.js';
import { createRoutingModule, type ChannelRoutes } from '../../../src/domain/routing/index.js';
import {
  createTenantsModule,
  type CredentialsService,
  type TenantsService,
  type UsersService,
} from '../../../src/domain/tenants/index.js';
import { createUsageModule, type UsageService } from '../../../src/domain/usage/index.js';
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

/** The tenant services wired as deps.ts wires them, through the concepts' doors, on a fresh database of the dialect. */
export async function openTenantServices(dialect: Dialect): Promise<TenantServices> {
  const test = await openTestDatabase(dialect);
  const db = test.database.db;
  const clock = systemClock;
  const masterKey = 'domain-test-master-key-0123456789abcdef';
  const box = createSecretBox(masterKey);
  const { audit } = createAuditModule({ db, clock });
  // A long flush interval: these tests flush by hand.
  const { usage } = createUsageModule({ db, clock, flushMs: 60_000 });
  const { tokens } = createAuthModule({ db, box, clock });
  const { routes } = createRoutingModule({ db, fingerprint: createFingerprint(masterKey, 'channel-routes') });
  // No files in these tests: the tenant deletion test over HTTP covers them.
  const { tenants, credentials, users } = createTenantsModule({
    db,
    box,
    clock,
    audit,
    tokens,
    storage: { deletePrefix: () => Promise.resolve(0) },
    exportsDir: '/nonexistent/frontdesk-test-exports',
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
