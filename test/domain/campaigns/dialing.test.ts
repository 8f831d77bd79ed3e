import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import {
  campaignAction,
  createCampaign,
  movableClock,
  targetsOf,
  TEN_NUMBERS,
  uploadCsv,
} from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';

type Clock = ReturnType<typeof movableClock>;

/** 11:00 in Mumbai, inside the default calling hours. */
const MUMBAI_MORNING = '2026-12-08T05:30:00.000Z';

async function statsOf(t: TestApp, apiKey: string, id: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/campaigns/${id}/stats`,
    headers: { 'x-api-key': apiKey },
  });
  return res.json<Record<string, unknown>>();
}

async function runningCampaign(t: TestApp, apiKey: string, phones: readonly string[], body = {}) {
  const { id } = await createCampaign(t, apiKey, body);
  const upload = await uploadCsv(
    t,
    apiKey,
    id,
    ['phone,company', ...phones.map((p, i) => `${p},Firm ${i}`)].join('\n'),
  );
  expect(upload.json().accepted).toBe(phones.length);
  expect((await campaignAction(t, apiKey, id, 'start')).statusCode).toBe(200);
  return id;
}

describe.each(dialects)('the campaign dialler on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let second: TestApp;
  let clock: Clock;

  beforeAll(async () => {
    if (skip) return;
    clock = movableClock(MUMBAI_MORNING);
    t = await startTestApp({ dialect, clock });
    second = await startTestApp({ dialect, clock, sharedDatabase: t.db });
  });
  afterAll(async () => {
    if (skip) return;
    await second.close();
    await t.close();
  });

  it.skipIf(skip)(
    'runs a campaign through the simulator: outcomes, retries and stats, never dialling an opted-out or do-not-call number',
    async () => {
      clock.set(MUMBAI_MORNING);
      const tenant = await t.createTenant();
      const dnc = await t.app.inject({
        method: 'POST',
        url: '/api/campaigns/dnc',
        headers: { 'x-api-key': tenant.apiKey, 'content-type': 'text/csv' },
        payload: 'phone,preference\n9876543219,1\nnot-a-number,0\n',
      });
      expect(dnc.json()).toEqual({
        accepted: 1,
        rejected: [{ row: 3, field: 'phone', message: "'not-a-number' is not a valid phone number" }],
      });
      await t.deps.database.db
        .insertInto('consent_events')
        .values({
          id: 'cons_optout_7',
          tenant_id: tenant.id,
          phone: TEN_NUMBERS[7]!,
          channel: 'sms',
          change: 'opt_out',
          source: 'keyword',
          evidence: 'STOP',
          created_at: MUMBAI_MORNING,
        })
        .execute();
      const id = await runningCampaign(t, tenant.apiKey, TEN_NUMBERS);

      const run = await t.deps.services.campaigns.dialDue(tenant.id, id);
      expect(run).toMatchObject({ running: true, dialed: 8, blocked: 2, deferred: 0, limitReached: false });

      const targets = await targetsOf(t, id);
      const byDigit = Object.fromEntries(
        targets.map((r) => [r.phone.slice(-1), [r.state, r.outcome, Number(r.attempts)]]),
      );
      expect(byDigit).toEqual({
        '0': ['pending', 'no_answer', 1],
        '1': ['pending', 'busy', 1],
        '2': ['done', 'voicemail', 1],
        '3': ['done', 'not_interested', 1],
        '4': ['done', 'callback_requested', 1],
        '5': ['done', 'qualified', 1],
        '6': ['done', 'appointment_booked', 1],
        '7': ['blocked', null, 0],
        '8': ['pending', 'no_answer', 1],
        '9': ['blocked', null, 0],
      });
      // A retry waits an hour after the first unanswered call.
      expect(targets.find((r) => r.phone.endsWith('0'))!.next_dial_at).toBe('2026-12-08T06:30:00.000Z');
      expect(await statsOf(t, tenant.apiKey, id)).toMatchObject({
        status: 'running',
        leads_scraped: 10,
        leads_called: 8,
        leads_qualified: 2,
        appointments_booked: 1,
        connection_rate: 0.5,
        qualification_rate: 0.25,
        conversion_rate: 0.5,
      });
      // The answered calls spoke through the voice conversation core.
      const voice = await t.deps.database.db
        .selectFrom('conversations')
        .select('id')
        .where('tenant_id', '=', tenant.id)
        .where('channel', '=', 'voice')
        .execute();
      expect(voice.length).toBe(4);

      // 21:00 in Mumbai: the retries are due but outside calling hours, so they wait for 09:00.
      clock.set('2026-12-08T15:30:00.000Z');
      const evening = await t.deps.services.campaigns.dialDue(tenant.id, id);
      expect(evening).toMatchObject({ dialed: 0, deferred: 3 });
      const waiting = (await targetsOf(t, id)).filter((r) => r.state === 'pending');
      expect(new Set(waiting.map((r) => r.next_dial_at))).toEqual(new Set(['2026-12-09T03:30:00.000Z']));

      clock.set('2026-12-09T03:30:00.000Z');
      expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 3 });
      expect((await targetsOf(t, id)).find((r) => r.phone.endsWith('0'))!.attempts).toBe(2);
    },
  );

  it.skipIf(skip)('holds calling hours in the callee’s zone across the spring DST change', async () => {
    // New York moves from EST to EDT at 02:00 on 8 March 2026: 09:00 is 14:00Z the day before, 13:00Z that day.
    clock.set('2026-03-08T12:30:00.000Z');
    const tenant = await t.createTenant();
    const id = await runningCampaign(t, tenant.apiKey, ['+12125550123']);
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 0, deferred: 1 });
    const [target] = await targetsOf(t, id);
    expect(target).toMatchObject({ time_zone: 'America/New_York', next_dial_at: '2026-03-08T13:00:00.000Z' });
    clock.set('2026-03-08T12:59:00.000Z');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 0 });
    clock.set('2026-03-08T13:00:00.000Z');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 1 });
  });

  it.skipIf(skip)('stays within the daily limit and starts again on the tenant’s next day', async () => {
    clock.set(MUMBAI_MORNING);
    const tenant = await t.createTenant();
    const id = await runningCampaign(t, tenant.apiKey, TEN_NUMBERS.slice(2, 7), { daily_call_limit: 2 });
    const run = await t.deps.services.campaigns.dialDue(tenant.id, id);
    expect(run).toMatchObject({ dialed: 2, limitReached: true });
    expect(run.nextAt?.toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 0, limitReached: true });
    clock.set('2026-12-09T05:30:00.000Z');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 2 });
  });

  it.skipIf(skip)('dials nothing once paused, and continues after a resume', async () => {
    clock.set(MUMBAI_MORNING);
    const tenant = await t.createTenant();
    const id = await runningCampaign(t, tenant.apiKey, TEN_NUMBERS.slice(3, 6));
    await campaignAction(t, tenant.apiKey, id, 'pause');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ running: false, dialed: 0 });
    expect((await targetsOf(t, id)).every((r) => Number(r.attempts) === 0)).toBe(true);
    await campaignAction(t, tenant.apiKey, id, 'resume');
    expect(await t.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 3 });
  });

  it.skipIf(skip)(
    'dials nothing while the platform admin has stopped the automation, and again once started',
    async () => {
      clock.set(MUMBAI_MORNING);
      const tenant = await t.createTenant();
      const id = await runningCampaign(t, tenant.apiKey, TEN_NUMBERS.slice(3, 6));
      const admin = { 'x-api-key': ADMIN_KEY };
      expect((await t.app.inject({ method: 'POST', url: '/api/platform/stop', headers: admin })).statusCode).toBe(200);
      try {
        expect(await second.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 0 });
        expect((await targetsOf(t, id)).every((r) => Number(r.attempts) === 0)).toBe(true);
      } finally {
        await t.app.inject({ method: 'POST', url: '/api/platform/start', headers: admin });
      }
      expect(await second.deps.services.campaigns.dialDue(tenant.id, id)).toMatchObject({ dialed: 3 });
    },
  );

  it.skipIf(skip)('dials each number once when two worker processes run the same campaign at once', async () => {
    clock.set(MUMBAI_MORNING);
    const tenant = await t.createTenant();
    const phones = TEN_NUMBERS.filter((p) => /[2-7]$/.test(p));
    const id = await runningCampaign(t, tenant.apiKey, phones, { daily_call_limit: 4 });
    const runs = await Promise.all([
      t.deps.services.campaigns.dialDue(tenant.id, id),
      second.deps.services.campaigns.dialDue(tenant.id, id),
      t.deps.services.campaigns.dialDue(tenant.id, id),
      second.deps.services.campaigns.dialDue(tenant.id, id),
    ]);
    expect(runs.reduce((n, r) => n + r.dialed, 0)).toBe(4);
    const targets = await targetsOf(t, id);
    expect(targets.filter((r) => Number(r.attempts) === 1)).toHaveLength(4);
    expect(targets.every((r) => Number(r.attempts) <= 1)).toBe(true);
  });

  it.skipIf(skip)('dials a started campaign from the durable queue', async () => {
    // The queue runs jobs by the real time; the dialler reads the test clock, inside Mumbai's calling hours.
    clock.set(MUMBAI_MORNING);
    const tenant = await t.createTenant();
    const id = await runningCampaign(t, tenant.apiKey, TEN_NUMBERS.slice(3, 6));
    await t.startWorkers();
    const ended = async () => (await targetsOf(t, id)).filter((r) => r.outcome !== null).length;
    await expect.poll(ended, { timeout: 15_000, interval: 200 }).toBe(3);
    expect(await statsOf(t, tenant.apiKey, id)).toMatchObject({ leads_called: 3, leads_qualified: 1 });
  });
});
