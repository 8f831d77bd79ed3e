import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createUsageModule, METRICS, monthOf, type UsageService } from '../../../src/domain/usage/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: null, mode: 'live' };

describe.each(dialects)('usage module on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let usage: UsageService;
  let n = 0;
  const period = monthOf(new Date());
  const newTenant = async () => {
    n += 1;
    return (await s.tenants.create(admin, { name: `U${n}`, tenant_id: `usage${n}-${dialect}` })).tenant.id;
  };

  beforeAll(async () => {
    if (skip) return;
    s = await openTenantServices(dialect);
    // A long flush interval: the tests decide when counts are written.
    usage = createUsageModule({ db: s.test.database.db, clock: systemClock, flushMs: 60_000 }).usage;
  });
  afterAll(async () => {
    if (skip) return;
    await usage.stop();
    await s.close();
  });

  it.skipIf(skip)('adds to a month’s counters, and reports what is still buffered', async () => {
    const tenantId = await newTenant();
    usage.add(tenantId, METRICS.apiCalls);
    usage.add(tenantId, METRICS.apiCalls, 2);
    usage.add(tenantId, METRICS.messagesByChannel('web'));
    expect(await usage.get(tenantId, period)).toEqual({ api_calls: 3, 'messages.channel.web': 1 });
    usage.add(tenantId, METRICS.apiCalls, 4);
    expect(await usage.get(tenantId, period)).toEqual({ api_calls: 7, 'messages.channel.web': 1 });
  });

  it.skipIf(skip)('counts increments made at once without losing any', async () => {
    const tenantId = await newTenant();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        usage.add(tenantId, METRICS.crmSyncs);
        await usage.flush();
      }),
    );
    expect(await usage.get(tenantId, period)).toEqual({ crm_syncs: 20 });
  });

  it.skipIf(skip)('keeps other months and unknown tenants out of a month’s report', async () => {
    const tenantId = await newTenant();
    usage.add(tenantId, METRICS.crmSyncs);
    // The tenant does not exist: its row fails alone, the others are still written.
    usage.add(`missing-${dialect}`, METRICS.crmSyncs);
    await usage.flush();
    expect(await usage.get(tenantId, '2001-01')).toEqual({});
    expect(await usage.get(tenantId, period)).toEqual({ crm_syncs: 1 });
  });

  it.skipIf(skip)('never shows one tenant’s counters to another', async () => {
    const a = await newTenant();
    const b = await newTenant();
    usage.add(a, METRICS.conversations, 5);
    await usage.flush();
    expect(await usage.get(b, period)).toEqual({});
    expect(await usage.get(a, period)).toEqual({ 'conversations.total': 5 });
  });
});
