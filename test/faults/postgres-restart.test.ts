import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, run, start, type Running } from '../helpers/cli.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/db.js';
import { createThrowawayPostgres, postgresBin, type ThrowawayPostgres } from '../helpers/throwaway-postgres.js';

/**
 * A fleet on PostgreSQL and Redis (two API processes, two workers) while the database restarts
 * under load: every process stays up, readiness says 503 while the database is away, requests
 * meanwhile get the surface's 503, and every request acknowledged with a 200 completes.
 */

const bin = postgresBin();
const skip = !TEST_DATABASE_URL || !TEST_REDIS_URL || !bin;
const label = skip ? 'skipped: needs TEST_DATABASE_URL, TEST_REDIS_URL and PostgreSQL binaries' : 'throwaway cluster';
const ADMIN = 'restart-admin-key-0123456789';

const lead = (n: number) => ({
  tenant_id: 'restart',
  customer_name: `Caller ${n}`,
  customer_email: `caller${n}@example.com`,
  project_description: 'Kitchen remodel, budget $40,000, we want to start next month.',
});

describe.skipIf(skip)(`a PostgreSQL restart under load (${label})`, { timeout: 600_000 }, () => {
  let pg: ThrowawayPostgres;
  const processes: Running[] = [];
  const apis: string[] = [];
  let env: NodeJS.ProcessEnv;
  let key = '';

  beforeAll(async () => {
    pg = createThrowawayPostgres(bin!, await freePort());
    const redis = new URL(TEST_REDIS_URL!);
    redis.pathname = '/13';
    // A database of its own, emptied: jobs an earlier run left would point at a cluster now gone.
    const client = new Redis(redis.toString());
    await client.flushdb();
    client.disconnect();
    env = cleanEnv({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.toString(),
      FRONTDESK_ADMIN_KEY: ADMIN,
      FRONTDESK_MASTER_KEY: 'restart-master-key-0123456789-0123456789',
      FRONTDESK_DEMO: '0',
      LOG_LEVEL: 'silent',
    });
    expect((await run(['migrate'], env)).code).toBe(0);
    for (const _ of [1, 2]) {
      const port = await freePort();
      apis.push(`http://127.0.0.1:${port}`);
      processes.push(start(['serve', '--no-worker'], { ...env, PORT: String(port) }));
      processes.push(start(['worker'], env));
    }
    await Promise.all(apis.map((api) => until(async () => (await fetch(`${api}/health/ready`)).ok, 120_000)));
    const created = await fetch(`${apis[0]}/api/v2/tenants`, {
      method: 'POST',
      headers: { 'x-admin-api-key': ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        tenant_id: 'restart',
        name: 'Restart Roofing',
        plan: 'pro',
        configuration: { rate_limits: { multiplier: 100 } },
      }),
    });
    expect(created.status).toBe(201);
    key = ((await created.json()) as { data: { api_keys: { primary: string } } }).data.api_keys.primary;
  }, 300_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited(10_000).catch(() => undefined)));
    pg?.destroy();
  });

  it('keeps every process up and completes every acknowledged request', async () => {
    const acknowledged: string[] = [];
    const refusals: Array<{ status: number; body: string }> = [];
    let sending = true;
    const load = (async () => {
      for (let n = 0; sending; n += 1) {
        const res = await fetch(`${apis[n % 2]}/v1/leads/webhook`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: JSON.stringify(lead(n)),
        }).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(((await res.json()) as { request_id: string }).request_id);
        else if (res) refusals.push({ status: res.status, body: await res.text() });
        await sleep(50);
      }
    })();

    await sleep(3000);
    pg.stop();
    await until(async () => (await fetch(`${apis[1]}/health/ready`)).status === 503, 30_000);
    await sleep(3000);
    pg.start();
    await Promise.all(apis.map((api) => until(async () => (await fetch(`${api}/health/ready`)).ok, 60_000)));
    await sleep(3000);
    sending = false;
    await load;

    expect(processes.map((p) => p.child.exitCode)).toEqual([null, null, null, null]);
    expect(acknowledged.length).toBeGreaterThan(20);
    for (const refusal of refusals) {
      expect(refusal.status, refusal.body).toBe(503);
      expect(JSON.parse(refusal.body)).toMatchObject({ success: false, error: { code: expect.any(String) } });
    }
    for (const requestId of acknowledged) {
      await until(async () => {
        const res = await fetch(`${apis[0]}/v1/tenants/restart/requests/${requestId}`, {
          headers: { 'x-api-key': key },
        });
        const body = (await res.json()) as { data?: { status?: string } };
        return body.data?.status === 'completed';
      }, 180_000);
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds, failing after `timeoutMs`; a thrown error (a refused connection) counts as not yet. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
