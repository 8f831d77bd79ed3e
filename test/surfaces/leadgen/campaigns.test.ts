import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, CAMPAIGN, createCampaign, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants, type IsolatedRoute } from '../../helpers/isolation.js';

describe.each(dialects)('spec B campaigns on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let apiKey: string;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    apiKey = (await t.createTenant()).apiKey;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('creates campaigns with and without the trailing slash and lists them newest first', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/campaigns/',
      headers: { 'x-api-key': apiKey },
      payload: CAMPAIGN,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      id: expect.stringMatching(/^camp_/),
      name: 'Mumbai Real Estate Q1',
      niche: 'real_estate',
      client_name: 'ABC Properties',
      client_service: 'Premium Apartments',
      target_cities: ['Mumbai', 'Pune'],
      target_lead_count: 500,
      daily_call_limit: 100,
      status: 'draft',
    });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      headers: { 'x-api-key': apiKey },
      payload: { ...CAMPAIGN, name: 'Pune Solar' },
    });
    expect(second.statusCode, second.body).toBe(201);
    for (const url of ['/api/campaigns', '/api/campaigns/']) {
      const list = await t.app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });
      expect(list.statusCode).toBe(200);
      const names = list.json<{ name: string }[]>().map((c) => c.name);
      expect(names.indexOf('Pune Solar')).toBeLessThan(names.indexOf('Mumbai Real Estate Q1'));
    }
  });

  it.skipIf(skip)('refuses a campaign without a name or with a negative limit in spec B’s envelope', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/campaigns/',
      headers: { 'x-api-key': apiKey },
      payload: { ...CAMPAIGN, name: '', daily_call_limit: -1 },
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.request_id).toEqual(expect.any(String));
    const fields = body.error.details.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'daily_call_limit']));
  });

  it.skipIf(skip)('answers 401 without a key and 404 NOT_FOUND for an unknown campaign', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/campaigns/' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('AUTHENTICATION_ERROR');
    for (const url of ['/api/campaigns/camp_missing/stats']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const start = await campaignAction(t, apiKey, 'camp_missing', 'start');
    expect(start.statusCode).toBe(404);
  });

  it.skipIf(skip)('moves draft → running → paused → running and refuses the illegal changes with 409', async () => {
    const { id } = await createCampaign(t, apiKey);
    expect((await campaignAction(t, apiKey, id, 'pause')).statusCode).toBe(409);
    expect((await campaignAction(t, apiKey, id, 'resume')).statusCode).toBe(409);
    const started = await campaignAction(t, apiKey, id, 'start');
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().status).toBe('running');
    const again = await campaignAction(t, apiKey, id, 'start');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'CONFLICT', details: { status: 'running' } });
    expect((await campaignAction(t, apiKey, id, 'pause')).json().status).toBe('paused');
    expect((await campaignAction(t, apiKey, id, 'resume')).json().status).toBe('running');
  });

  it.skipIf(skip)('reads an uploaded CSV row by row into leads and targets, reporting each refused row', async () => {
    const { id } = await createCampaign(t, apiKey);
    const csv = [
      'Company,Phone,City,Category',
      'Sharma Realty,98765 43210,Mumbai,broker',
      'Gupta Homes,+91 98765 43211,Pune,developer',
      'No Phone Ltd,,Mumbai,broker',
      'Bad Number,12345,Mumbai,broker',
      'Sharma Again,+919876543210,Mumbai,broker',
    ].join('\n');
    const res = await uploadCsv(t, apiKey, id, csv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [
        { row: 4, field: 'phone', message: 'is missing' },
        { row: 5, field: 'phone', message: "'12345' is not a valid phone number" },
        { row: 6, field: 'phone', message: 'is already in this campaign' },
      ],
    });
    const targets = await targetsOf(t, id);
    expect(targets.map((r) => [r.phone, r.time_zone, r.state])).toEqual([
      ['+919876543210', 'Asia/Kolkata', 'pending'],
      ['+919876543211', 'Asia/Kolkata', 'pending'],
    ]);
    const lead = await t.deps.database.db
      .selectFrom('leads')
      .selectAll()
      .where('id', '=', targets[0]!.lead_id)
      .executeTakeFirstOrThrow();
    expect(lead).toMatchObject({
      company: 'Sharma Realty',
      phone: '+919876543210',
      city: 'Mumbai',
      niche: 'real_estate',
      category: 'broker',
      source: 'campaign',
      status: 'new',
    });
    expect(lead.contact_id).toEqual(expect.any(String));
    const stats = await t.app.inject({
      method: 'GET',
      url: `/api/campaigns/${id}/stats`,
      headers: { 'x-api-key': apiKey },
    });
    expect(stats.json()).toEqual({
      id,
      name: CAMPAIGN.name,
      status: 'draft',
      leads_scraped: 2,
      leads_called: 0,
      leads_qualified: 0,
      appointments_booked: 0,
      connection_rate: 0,
      qualification_rate: 0,
      conversion_rate: 0,
      calls_this_month: 0,
      monthly_call_quota: 50,
      call_quota_reached: false,
    });
  });

  it.skipIf(skip)('refuses an upload that is not text/csv', async () => {
    const { id } = await createCampaign(t, apiKey);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/campaigns/${id}/leads/upload`,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/xml' },
      payload: '<phones/>',
    });
    expect(res.statusCode).toBe(415);
  });

  itIsolatesTenants(
    () => t,
    skip
      ? []
      : (['start', 'pause', 'resume'] as const)
          .map((action): IsolatedRoute => ({
            method: 'POST',
            path: `/api/campaigns/:object/${action}`,
            createObject: async (app, owner) => {
              const { id } = await createCampaign(app, owner.apiKey);
              if (action !== 'start') await campaignAction(app, owner.apiKey, id, 'start');
              if (action === 'resume') await campaignAction(app, owner.apiKey, id, 'pause');
              return id;
            },
          }))
          .concat([
            {
              method: 'GET' as const,
              path: '/api/campaigns/:object/stats',
              createObject: async (app: TestApp, owner: { apiKey: string }) =>
                (await createCampaign(app, owner.apiKey)).id,
            },
          ]),
  );
});
