import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleRemindersSweep, SWEEP_EVERY_MS, type SweepPorts } from '../../../src/domain/reminders/reminders.jobs.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

describe.each(dialects)('the reminders sweep on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let ports: SweepPorts;
  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    ports = {
      clock: t.deps.clock,
      queue: t.deps.queue,
      tenants: t.deps.services.tenants,
      reminders: t.deps.services.reminders,
    };
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  let phone = 3000;
  const bookSoon = async (tenant: Awaited<ReturnType<TestApp['createTenant']>>) => {
    const headers = { 'x-api-key': tenant.apiKey };
    const customer = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/customers',
      headers,
      payload: { name: 'Bo Chen', phone: `+1415555${(phone += 1)}` },
    });
    const start = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/crm/appointments',
      headers,
      payload: { customer_id: customer.json<{ id: string }>().id, start_time: start },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const claims = (tenantId: string) =>
    t.db.database.db.selectFrom('reminder_sends').select('kind').where('tenant_id', '=', tenantId).execute();

  it.skipIf(skip)('reminds for tenants that enabled reminders only, and queues the next slot once', async () => {
    const on = await t.createTenant({ configuration: { reminders: { enabled: true } } });
    const off = await t.createTenant();
    await bookSoon(on);
    await bookSoon(off);
    const slot = Math.floor(Date.now() / SWEEP_EVERY_MS);

    await handleRemindersSweep(ports, { slot });
    await handleRemindersSweep(ports, { slot });

    expect(await claims(on.id)).toEqual([{ kind: 'upcoming' }]);
    expect(await claims(off.id)).toEqual([]);
    const next = await t.deps.queue.enqueue(
      'reminders.sweep',
      { slot: slot + 1 },
      { dedupeKey: `reminders.sweep:${slot + 1}` },
    );
    expect(next.duplicate).toBe(true);
  });
});
