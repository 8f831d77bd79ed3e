import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createDeps, type Deps } from '../../../src/deps.js';
import type { FastifyInstance } from 'fastify';
import { startWorkers } from '../../../src/workers.js';
import type { Dialect } from '../../../src/store/db.js';
import { ADMIN_KEY } from '../../helpers/app.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { waitFor } from '../../helpers/queue.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../fakes/webhook-receiver.fake.js';

/** A per-attempt timeout short enough for the test, far below the receivers' stall. */
const TIMEOUT_MS = 3_000;
/** What the stalling receiver waits before answering: longer than the whole test. */
const STALL_MS = 120_000;
/** The next attempt after a failure: far enough out that the test sees it scheduled, not made. */
const RETRY_AFTER_MS = 60_000;
/** Deliveries of one tenant in flight at once in one process (webhooks.jobs.ts). */
const PER_TENANT = 4;

interface Harness {
  app: FastifyInstance;
  deps: Deps;
  createTenant(): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

/** The app with its workers, webhook attempts timing out after TIMEOUT_MS and retried after RETRY_AFTER_MS. */
async function startApp(dialect: Dialect): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-fairness-'));
  const db: TestDatabase = await openTestDatabase(dialect);
  const config = loadConfig({
    FRONTDESK_DATA_DIR: dataDir,
    FRONTDESK_ADMIN_KEY: ADMIN_KEY,
    FRONTDESK_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    FRONTDESK_DEMO: '0',
    FRONTDESK_ALLOW_PRIVATE_URLS: '1',
  });
  const deps = await createDeps(config, { database: db.database, migrate: false, webhooks: { timeoutMs: TIMEOUT_MS, retryScheduleMs: [RETRY_AFTER_MS] } });
  const app = await buildApp(deps);
  await app.ready();
  const workers = await startWorkers(deps);
  let counter = 0;
  return {
    app,
    deps,
    async createTenant() {
      counter += 1;
      const res = await app.inject({ method: 'POST', url: '/api/v2/tenants', headers: { 'x-admin-api-key': ADMIN_KEY }, payload: { name: `Fair tenant ${counter}`, plan: 'enterprise' } });
      if (res.statusCode !== 201) throw new Error(`tenant create failed: ${res.statusCode} ${res.body}`);
      const data = res.json().data;
      return { id: data.tenant_id as string, apiKey: data.api_keys.primary as string };
    },
    async close() {
      await app.close();
      await workers.stop(200);
      await deps.services.usage.stop();
      await deps.queue.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function subscribe(h: Harness, tenant: { apiKey: string }, url: string): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/webhooks', headers: { authorization: `Bearer ${tenant.apiKey}` }, payload: { url, events: ['lead.qualified'] } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`outbound webhook fairness on ${label}`, () => {
    let h: Harness;
    let stalling: WebhookReceiver;
    let fast: WebhookReceiver;

    beforeAll(async () => {
      h = await startApp(dialect);
      stalling = await startWebhookReceiver();
      stalling.reply({ status: 200, delayMs: STALL_MS });
      fast = await startWebhookReceiver();
    });
    afterAll(async () => {
      await stalling.close();
      await fast.close();
      await h.close();
    });

    it("delivers one tenant's events at once while another tenant's endpoints stall, and times the stalled attempts out", async () => {
      const slow = await h.createTenant();
      const healthy = await h.createTenant();
      const slowHooks: string[] = [];
      for (let i = 0; i < 4; i++) slowHooks.push(await subscribe(h, slow, `${stalling.url}/hooks/${i}`));
      const healthyHook = await subscribe(h, healthy, `${fast.url}/hooks`);

      // 24 deliveries to endpoints that never answer in time: enough to hold every worker slot for several timeouts.
      for (let i = 0; i < 6; i++) await h.deps.services.webhooks.emit(slow.id, 'lead.qualified', { lead: `slow-${i}` });
      await stalling.waitFor(1);

      const started = Date.now();
      for (let i = 0; i < 5; i++) await h.deps.services.webhooks.emit(healthy.id, 'lead.qualified', { lead: `healthy-${i}` });
      await fast.waitFor(5, 2_000);
      expect(Date.now() - started).toBeLessThan(2_000);
      // The stalled tenant holds no more than its share of the slots.
      expect(stalling.requests.length).toBeLessThanOrEqual(PER_TENANT);

      await waitFor(async () => {
        const page = await h.deps.services.webhooks.listDeliveries(healthy.id, healthyHook, { limit: 100 });
        return page.deliveries.length === 5 && page.deliveries.every((d) => d.status === 'delivered');
      }, 2_000);

      // The stalled attempts end at the timeout and wait for their retry; the next of the tenant's deliveries go out.
      const failed = await waitFor(async () => {
        for (const hook of slowHooks) {
          const page = await h.deps.services.webhooks.listDeliveries(slow.id, hook, { limit: 100 });
          const delivery = page.deliveries.find((d) => d.status === 'failed');
          if (delivery) return delivery;
        }
        return undefined;
      }, TIMEOUT_MS + 5_000);
      expect(failed.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: null, error: `no complete response within ${TIMEOUT_MS} ms` })]);
      const [attempt] = failed.attempts;
      expect(attempt!.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(attempt!.durationMs).toBeLessThan(TIMEOUT_MS + 2_000);
      expect(Date.parse(failed.nextAttemptAt!) - Date.parse(attempt!.requestedAt)).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
      await stalling.waitFor(PER_TENANT + 1, 5_000);
    }, 30_000);
  });
}
