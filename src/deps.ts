import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createAuditService, type AuditService } from './domain/audit/audit.service.js';
import { createTokensService, type TokensService } from './domain/auth/tokens.service.js';
import { createHealthService, type HealthProbe, type HealthService } from './domain/health/health.service.js';
import { createCredentialsService, type CredentialsService } from './domain/tenants/credentials.service.js';
import { createTenantsService, type TenantsService } from './domain/tenants/tenants.service.js';
import { createUsersService, type UsersService } from './domain/tenants/users.service.js';
import { createUsageService, type UsageService } from './domain/usage/usage.service.js';
import { systemClock, type Clock } from './lib/clock.js';
import { loadOrCreateKey } from './lib/keyfile.js';
import { createSecretBox, type SecretBox } from './lib/secrets.js';
import { VERSION } from './lib/version.js';
import { createBullmqQueue } from './queue/bullmq.queue.js';
import { createEmbeddedQueue } from './queue/embedded.queue.js';
import type { Queue } from './queue/queue.js';
import { openDatabase, type Database } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';

export interface Services {
  audit: AuditService;
  usage: UsageService;
  credentials: CredentialsService;
  tokens: TokensService;
  users: UsersService;
  tenants: TenantsService;
  health: HealthService;
}

export interface Deps {
  config: Config;
  clock: Clock;
  database: Database;
  queue: Queue;
  redis: Redis | undefined;
  box: SecretBox;
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
}

/** Config → database, queue, Redis and services. The one place a backend is chosen. */
export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const clock = options.clock ?? systemClock;
  const admin = config.adminKey ? { key: config.adminKey, created: false } : loadOrCreateKey(path.join(config.dataDir, 'admin.key'), 'fd_admin_');
  const master = config.masterKey ? { key: config.masterKey, created: false } : loadOrCreateKey(path.join(config.dataDir, 'master.key'), '');
  const box = createSecretBox(master.key);

  const database = options.database ?? openDatabase(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
  if (options.migrate !== false) await migrateToLatest(database.db);

  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false, enableOfflineQueue: true }) : undefined;
  redis?.on('error', () => undefined);
  const queue = config.redisUrl ? createBullmqQueue(database, config.redisUrl) : createEmbeddedQueue(database);

  const db = database.db;
  const audit = createAuditService({ db, clock });
  const usage = createUsageService({ db, clock });
  const credentials = createCredentialsService({ db, box, clock });
  const tokens = createTokensService({ db, box, clock });
  const users = createUsersService({ db, clock, audit });
  const tenants = createTenantsService({ db, box, clock, audit, credentials, users });

  const probes: HealthProbe[] = [
    { name: 'database', critical: true, ping: () => database.ping(), details: () => ({ dialect: database.dialect, ...database.stats() }) },
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
  const health = createHealthService({ probes, clock, version: VERSION, environment: config.environment, startedAt: Date.now() });

  return {
    config,
    clock,
    database,
    queue,
    redis,
    box,
    adminKey: admin.key,
    generated: { adminKey: admin.created, masterKey: master.created },
    services: { audit, usage, credentials, tokens, users, tenants, health },
    async close() {
      await usage.stop();
      await queue.close();
      if (redis) await redis.quit().catch(() => undefined);
      await database.close();
    },
  };
}
