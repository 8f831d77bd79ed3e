import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
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

async function subscribe(h: TestApp, tenant: { apiKey: string }, url: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/webhooks',
    headers: { authorization: `Bearer ${tenant.apiKey}` },
    payload: { url, events: ['lead.qualified'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`outbound webhook fairness on ${label}`, () => {
    let h: TestApp;
    let stalling: WebhookReceiver;
    let fast: WebhookReceiver;

    beforeAll(async () => {
      // Webhook attempts time out after TIMEOUT_MS and are retried after RETRY_AFTER_MS.
      h = await startTestApp({ dialect, webhooks: { timeoutMs: TIMEOUT_MS, retryScheduleMs: [RETRY_AFTER_MS] } });
      await h.startWorkers();
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
      const slow = await h.createTenant({ plan: 'enterprise' });
      const healthy = await h.createTenant({ plan: 'enterprise' });
      const slowHooks: string[] = [];
      for (let i = 0; i < 4; i++) slowHooks.push(await subscribe(h, slow, `${stalling.url}/hooks/${i}`));
      const healthyHook = await subscribe(h, healthy, `${fast.url}/hooks`);

      // 24 deliveries to endpoints that never answer in time: enough to hold every worker slot for several timeouts.
      for (let i = 0; i < 6; i++) await h.deps.services.webhooks.emit(slow.id, 'lead.qualified', { lead: `slow-${i}` });
      await stalling.waitFor(1);

      const started = Date.now();
      for (let i = 0; i < 5; i++)
        await h.deps.services.webhooks.emit(healthy.id, 'lead.qualified', { lead: `healthy-${i}` });
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
      expect(failed.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          statusCode: null,
          error: `no complete response within ${TIMEOUT_MS} ms`,
        }),
      ]);
      const [attempt] = failed.attempts;
      expect(attempt!.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(attempt!.durationMs).toBeLessThan(TIMEOUT_MS + 2_000);
      expect(Date.parse(failed.nextAttemptAt!) - Date.parse(attempt!.requestedAt)).toBeGreaterThanOrEqual(
        RETRY_AFTER_MS,
      );
      await stalling.waitFor(PER_TENANT + 1, 5_000);
    }, 30_000);
  });
}
