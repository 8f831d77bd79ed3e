import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { campaignAction, createCampaign, targetsOf, uploadCsv } from '../../helpers/campaigns.js';
import { dialects } from '../../helpers/db.js';
import { startPlacesFake, type PlacesFake } from '../../fakes/places.fake.js';

const KEY = 'places-test-key';

describe.each(dialects)('sourcing a started campaign from the places search on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let places: PlacesFake;

  beforeAll(async () => {
    if (skip) return;
    places = await startPlacesFake(KEY, {
      'real estate in Mumbai': [
        { name: 'Sharma Realty', address: 'Andheri, Mumbai', phone: '+91 98765 43213' },
        { name: 'No Phone Estates', address: 'Bandra, Mumbai' },
        { name: 'Gupta Homes', address: 'Powai, Mumbai', phone: '+91 98765 43215' },
      ],
      'real estate in Pune': [{ name: 'Sharma Realty Pune', address: 'Baner, Pune', phone: '+91 98765 43213' }],
    });
    t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (skip) return;
    await t.close();
    await places.close();
  });

  it.skipIf(skip)('adds each place with a phone once, as a lead of the campaign’s niche and city', async () => {
    const tenant = await t.createTenant({
      configuration: { campaigns: { places: { base_url: places.url, api_key: KEY } } },
    });
    const { id } = await createCampaign(t, tenant.apiKey);
    await uploadCsv(t, tenant.apiKey, id, 'phone,company\n+919876543215,Gupta Homes (CSV)\n');
    expect((await campaignAction(t, tenant.apiKey, id, 'start')).statusCode).toBe(200);
    await t.deps.queue.start();
    await expect.poll(async () => (await targetsOf(t, id)).length, { timeout: 15_000, interval: 200 }).toBe(2);

    const leads = await t.deps.database.db
      .selectFrom('leads')
      .select(['company', 'phone', 'city', 'niche', 'source'])
      .where('tenant_id', '=', tenant.id)
      .orderBy('phone')
      .execute();
    expect(leads).toEqual([
      { company: 'Sharma Realty', phone: '+919876543213', city: 'Mumbai', niche: 'real_estate', source: 'campaign' },
      { company: 'Gupta Homes (CSV)', phone: '+919876543215', city: null, niche: 'real_estate', source: 'campaign' },
    ]);
    expect(places.requests.filter((r) => r.path === '/textsearch/json').map((r) => r.query.query)).toEqual([
      'real estate in Mumbai',
      'real estate in Pune',
    ]);
  });
});
