import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config, S3Settings } from '../config.js';
import type { LiveBus } from '../domain/live/index.js';
import { createMetrics, type Metrics } from '../http/metrics.js';
import { createRedisRateLimitStore } from '../http/rate-limit.redis.js';
import { createMemoryRateLimitStore, type RateLimitStore } from '../http/rate-limit.store.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { loadOrCreateKey } from '../lib/keyfile.js';
import { createSecretBox, type SecretBox } from '../lib/secrets.js';
import { createSafeHttp, type SafeHttp } from '../providers/http/safe-fetch.js';
import { createFilesystemStorage } from '../providers/storage/filesystem.js';
import { createS3Storage, type S3StorageOptions } from '../providers/storage/s3.js';
import type { BlobStorage } from '../providers/storage/storage.js';
import { createMemoryLiveBus } from '../pubsub/memory.live-bus.js';
import { createRedisLiveBus } from '../pubsub/redis.live-bus.js';
import { createBullmqQueue } from '../queue/bullmq.queue.js';
import { createEmbeddedQueue } from '../queue/embedded.queue.js';
import type { Queue } from '../queue/queue.js';
import { openDatabase, type Database } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import type { DepsOptions } from './services.js';

/**
 * What every module stands on, with each twin chosen once from the settings: SQLite or
 * PostgreSQL, the embedded queue or BullMQ, memory or Redis for rate limits and live updates,
 * the data directory or S3 for files.
 */
export interface Platform {
  clock: Clock;
  admin: { key: string; created: boolean };
  master: { key: string; created: boolean };
  box: SecretBox;
  database: Database;
  /** Migrations this start applied (empty when none were pending, or when migrating was off). */
  applied: readonly string[];
  redis: Redis | undefined;
  queue: Queue;
  storage: BlobStorage;
  /** The SSRF-guarded client for every outbound call a tenant can point somewhere. */
  safeHttp: SafeHttp;
  rateLimitStore: RateLimitStore;
  metrics: Metrics;
  live: LiveBus;
  close(): Promise<void>;
}

export async function createPlatform(config: Config, options: DepsOptions): Promise<Platform> {
  const master = keyOf(config.masterKey, path.join(config.dataDir, 'master.key'), '');
  const database =
    options.database ??
    openDatabase(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
  const applied = options.migrate === false ? [] : await migrateToLatest(database.db);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false, enableOfflineQueue: true })
    : undefined;
  redis?.on('error', () => undefined);
  const queue = config.redisUrl ? createBullmqQueue(database, config.redisUrl) : createEmbeddedQueue(database);
  // With Redis every process of the fleet sees every other's live events; alone, memory is enough.
  const live = redis ? createRedisLiveBus(redis) : createMemoryLiveBus();
  return {
    clock: options.clock ?? systemClock,
    admin: keyOf(config.adminKey, path.join(config.dataDir, 'admin.key'), 'fd_admin_'),
    master,
    box: createSecretBox(master.key),
    database,
    applied,
    redis,
    queue,
    storage:
      config.storage.kind === 's3'
        ? createS3Storage(s3Options(config.storage))
        : createFilesystemStorage({ root: path.join(config.dataDir, 'storage') }),
    safeHttp: createSafeHttp({
      allowPrivate: config.allowPrivateUrls,
      allowlist: config.privateUrlAllowlist,
      lookup: options.lookup,
    }),
    rateLimitStore: redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore(),
    metrics: createMetrics(),
    live,
    async close() {
      await queue.close();
      await live.close();
      if (redis) await redis.quit().catch(() => undefined);
      await database.close();
    },
  };
}

/** A key the operator set, or the one kept in the data dir (made there on the first start). */
function keyOf(configured: string | undefined, file: string, prefix: string): { key: string; created: boolean } {
  return configured ? { key: configured, created: false } : loadOrCreateKey(file, prefix);
}

function s3Options(s: S3Settings): S3StorageOptions {
  return {
    bucket: s.bucket,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.credentials ? { credentials: { ...s.credentials } } : {}),
    ...(s.keyPrefix ? { keyPrefix: s.keyPrefix } : {}),
  };
}
