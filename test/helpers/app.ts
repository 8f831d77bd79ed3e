import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Env } from '../../src/config.js';
import { createDeps, type Deps, type DepsOptions } from '../../src/compose/index.js';
import { startWorkers } from '../../src/compose/workers.js';
import type { IssuedCredentials } from '../../src/domain/tenants/index.js';
import type { Clock } from '../../src/lib/clock.js';
import type { HostLookup } from '../../src/providers/http/safe-fetch.js';
import type { Dialect } from '../../src/store/db.js';
import { openTestDatabase, type TestDatabase } from './db.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ADMIN_KEY = 'fd_admin_test_key_0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  db: TestDatabase;
  dataDir: string;
  adminHeaders: Record<string, string>;
  /** Creates a tenant through the API and returns its id and credentials. */
  createTenant(
    body?: Record<string, unknown>,
  ): Promise<{ id: string; credentials: IssuedCredentials; apiKey: string; body: Record<string, unknown> }>;
  /** Starts what `serve` starts besides HTTP: the job workers and the intake relay (stopped by close). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A full app on an empty, migrated database (SQLite in memory by default) with a known admin
 * key. `env` overrides settings; `beforeReady` may add routes (tests that need a throwing route);
 * `clock` moves time without sleeping; `logStream` captures log lines (set `env.LOG_LEVEL` too);
 * `sharedDatabase` makes a second app instance on another app's database (it is not dropped on close);
 * `lookup` answers DNS for outbound calls; `webhooks` shortens delivery timings.
 */
export async function startTestApp(
  opts: {
    dialect?: Dialect;
    env?: Env;
    beforeReady?: (app: FastifyInstance) => void;
    clock?: Clock;
    logStream?: DestinationStream;
    sharedDatabase?: TestDatabase;
    lookup?: HostLookup;
    webhooks?: DepsOptions['webhooks'];
  } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-test-'));
  const db = opts.sharedDatabase ?? (await openTestDatabase(opts.dialect ?? 'sqlite'));
  const config = loadConfig({
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_ADMIN_KEY: ADMIN_KEY,
    FRONTDESK_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    FRONTDESK_DEMO: '0',
    FRONTDESK_ALLOW_PRIVATE_URLS: '1',
    ...opts.env,
  });
  const deps = await createDeps(config, {
    database: db.database,
    migrate: false,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
  });
  const app = await buildApp(deps, opts.logStream ? { logStream: opts.logStream } : {});
  opts.beforeReady?.(app);
  await app.ready();
  const adminHeaders = { 'x-admin-api-key': ADMIN_KEY };
  let counter = 0;
  let workers: Awaited<ReturnType<typeof startWorkers>> | undefined;
  return {
    app,
    deps,
    db,
    dataDir,
    adminHeaders,
    async createTenant(body = {}) {
      counter += 1;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v2/tenants',
        headers: adminHeaders,
        payload: { name: `Tenant ${counter}`, ...body },
      });
      if (res.statusCode !== 201) throw new Error(`tenant create failed: ${res.statusCode} ${res.body}`);
      const data = res.json().data;
      const credentials = {
        api_key: data.api_keys.primary,
        test_key: data.api_keys.test,
        ...data.credentials,
      } as IssuedCredentials;
      return { id: data.tenant_id as string, credentials, apiKey: credentials.api_key, body: data };
    },
    async startWorkers() {
      workers ??= await startWorkers(deps);
    },
    async close() {
      await app.close();
      await workers?.stop(1000);
      await deps.queue.stop(1000);
      await deps.services.usage.stop();
      await deps.queue.close();
      await deps.redis?.quit().catch(() => undefined);
      if (!opts.sharedDatabase) await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
