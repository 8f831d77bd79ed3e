import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, movableClock, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';

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
});
