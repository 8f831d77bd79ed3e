import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, movableClock, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';
import { planLimits } from '../../../src/domain/tenants/index.js';

describe.each(dialects)('campaign calls and the leads they call on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, clock: movableClock('2026-12-08T05:30:00.000Z') });
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
  });

  it.skipIf(skip)('moves each called lead’s spec B status by the call’s outcome', async () => {
    const tenant = await t.createTenant();
    const { id } = await createCampaign(t, tenant.apiKey);
    // The simulator's callees by last digit: 0 no answer, 3 refuses, 5 is interested, 6 books.
    await uploadCsv(t, tenant.apiKey, id, 'phone\n+919876543210\n+919876543213\n+919876543215\n+919876543216\n');
    await campaignAction(t, tenant.apiKey, id, 'start');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 4 });

    const statuses: [string, unknown, unknown][] = [];
    for (const target of await targetsOf(t, id)) {
      const lead = await t.app.inject({
        method: 'GET',
        url: `/api/leads/${target.lead_id}`,
        headers: { 'x-api-key': tenant.apiKey },
      });
      expect(lead.statusCode, lead.body).toBe(200);
      statuses.push([target.phone, target.outcome, lead.json<{ status: unknown }>().status]);
    }
    expect(statuses).toEqual([
      ['+919876543210', 'no_answer', 'contacted'],
      ['+919876543213', 'not_interested', 'lost'],
      ['+919876543215', 'qualified', 'qualified'],
      ['+919876543216', 'appointment_booked', 'qualified'],
    ]);
  });

  it.skipIf(skip)('stops dialling once the plan’s monthly call quota is spent, and says so', async () => {
    const tenant = await t.createTenant();
    const { plan } = await t.deps.services.tenants.get(tenant.id);
    const quota = planLimits[plan].callsPerMonth;
    // A tiny quota for the plan, for this test only: two calls a month.
    planLimits[plan].callsPerMonth = 2;
    try {
      const { id } = await createCampaign(t, tenant.apiKey);
      await uploadCsv(t, tenant.apiKey, id, 'phone\n+919876543210\n+919876543213\n+919876543215\n');
      await campaignAction(t, tenant.apiKey, id, 'start');
      const run = await t.deps.services.campaigns.dialDue(tenant.id, id);
      expect(run).toMatchObject({ dialed: 2, quotaReached: true, nextAt: new Date('2027-01-01T00:00:00.000Z') });
      expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 0, quotaReached: true });
      const usage = await t.deps.services.usage.get(tenant.id, '2026-12');
      expect(usage['calls.made']).toBe(2);
      const stats = await t.app.inject({
        method: 'GET',
        url: `/api/campaigns/${id}/stats`,
        headers: { 'x-api-key': tenant.apiKey },
      });
      expect(stats.json()).toMatchObject({
        leads_called: 2,
        calls_this_month: 2,
        monthly_call_quota: 2,
        call_quota_reached: true,
      });
    } finally {
      planLimits[plan].callsPerMonth = quota;
    }
  });
});
