import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhooksModule, verifySignature } from '../../../src/domain/webhooks/index.js';
import { AppError } from '../../../src/domain/errors.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createSecretBox } from '../../../src/lib/secrets.js';
import type { SafeHttp, SafeHttpRequest } from '../../../src/providers/http/safe-fetch.js';
import { createEmbeddedQueue } from '../../../src/queue/embedded.queue.js';
import type { Queue } from '../../../src/queue/queue.js';
import { dialects, openTestDatabase, type TestDatabase, insertTenantRow } from '../../helpers/db.js';

let seq = 0;
const uniq = (prefix: string) => `${prefix}_${Date.now()}_${(seq += 1)}`;

describe.each(dialects)('webhooks module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let queue: Queue;
  let module: ReturnType<typeof createWebhooksModule>;
  const posted: { url: string; request: SafeHttpRequest }[] = [];
  let answer = 200;
  const http = {
    check: () => Promise.resolve(),
    request: (url: string, request: SafeHttpRequest) => {
      posted.push({ url, request });
      return Promise.resolve({
        status: answer,
        headers: {},
        body: Buffer.from('ok'),
        truncated: false,
        incomplete: false,
      });
    },
  } as unknown as SafeHttp;

  const addTenant = async () => {
    const id = uniq('ten');
    const at = new Date().toISOString();
    await insertTenantRow(test.database.db, id, { plan: 'starter', createdAt: at });
    return id;
  };

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    queue = createEmbeddedQueue(test.database);
    module = createWebhooksModule({
      db: test.database.db,
      box: createSecretBox('webhooks-module-test-master-key-0123456789'),
      clock: systemClock,
      queue,
      http,
      tuning: { retryScheduleMs: [10, 10] },
    });
  });
  afterAll(async () => {
    if (skip) return;
    await queue.close();
    await test.drop();
  });

  it.skipIf(skip)('fans an event out to subscribed endpoints and records a signed, delivered attempt', async () => {
    const tenantId = await addTenant();
    const { webhooks } = module;
    const created = await webhooks.subscribe(tenantId, { url: 'https://example.com/hook', events: ['lead.qualified'] });
    await webhooks.subscribe(tenantId, { url: 'https://example.com/other', events: ['batch.completed'] });
    const emitted = await webhooks.emit(tenantId, 'lead.qualified', { lead_id: 'lead_1' });
    expect(emitted.deliveryIds).toHaveLength(1);

    answer = 200;
    expect(await webhooks.attemptDelivery(tenantId, emitted.deliveryIds[0]!, 1)).toEqual({ status: 'delivered' });
    const sent = posted.at(-1)!;
    expect(sent.url).toBe('https://example.com/hook');
    const check = verifySignature({
      body: sent.request.body!,
      headers: sent.request.headers!,
      secrets: [created.secret],
    });
    expect(check.ok).toBe(true);

    const page = await webhooks.listDeliveries(tenantId, created.id, { limit: 10 });
    expect(page.deliveries).toHaveLength(1);
    expect(page.deliveries[0]).toMatchObject({
      eventId: emitted.eventId,
      event: 'lead.qualified',
      status: 'delivered',
      attemptCount: 1,
      payload: { event: 'lead.qualified', data: { lead_id: 'lead_1' } },
      attempts: [expect.objectContaining({ attempt: 1, statusCode: 200 })],
    });
  });

  it.skipIf(skip)('schedules a retry after a failed attempt and replays a delivery as a new one', async () => {
    const tenantId = await addTenant();
    const { webhooks } = module;
    const created = await webhooks.subscribe(tenantId, { url: 'https://example.com/flaky', events: ['lead.scored'] });
    const { deliveryIds } = await webhooks.emit(tenantId, 'lead.scored', { lead_id: 'lead_2' });
    answer = 503;
    expect(await webhooks.attemptDelivery(tenantId, deliveryIds[0]!, 1)).toEqual({ status: 'failed' });
    // The same attempt run again (a re-run job) records nothing.
    expect(await webhooks.attemptDelivery(tenantId, deliveryIds[0]!, 1)).toEqual({ status: 'skipped' });
    const replay = await webhooks.replay(tenantId, created.id, deliveryIds[0]!);
    expect(replay).toMatchObject({ replayOf: deliveryIds[0], status: 'pending', attempts: [] });
    expect(replay.id).not.toBe(deliveryIds[0]);
    expect((await webhooks.get(tenantId, created.id)).failingSince).not.toBeNull();
  });

  it.skipIf(skip)("never shows, changes or replays another tenant's endpoints", async () => {
    const a = await addTenant();
    const b = await addTenant();
    const { webhooks } = module;
    const created = await webhooks.subscribe(a, { url: 'https://example.com/a', events: ['lead.routed'] });
    const { deliveryIds } = await webhooks.emit(a, 'lead.routed', {});
    expect(await webhooks.list(b)).toEqual([]);
    await expect(webhooks.get(b, created.id)).rejects.toBeInstanceOf(AppError);
    await expect(webhooks.enable(b, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(webhooks.replay(b, created.id, deliveryIds[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(webhooks.remove(b, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await webhooks.attemptDelivery(b, deliveryIds[0]!, 1)).toEqual({ status: 'skipped' });
    expect((await webhooks.emit(b, 'lead.routed', {})).deliveryIds).toEqual([]);
    expect(await webhooks.list(a)).toHaveLength(1);
  });
});
