import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { clearbitCompany, startClearbitFake, type ClearbitFake } from '../../fakes/clearbit.fake.js';

/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const API_KEY = 'sk_test_clearbit_tenant';
const lead = {
  email: 'dana@acme.com',
  company: 'Acme',
  message: 'We need a CRM rollout for 80 sales reps next quarter, budget around $40k.',
};

describe('spec E enrichment through the tenant’s company-data vendor', () => {
  let t: TestApp;
  let clearbit: ClearbitFake;
  beforeAll(async () => {
    t = await startTestApp();
    clearbit = await startClearbitFake({ apiKey: API_KEY, companies: { 'acme.com': clearbitCompany() } });
  });
  afterAll(async () => {
    await t.close();
    await clearbit.close();
  });

  const qualify = async (apiKey: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { authorization: `Bearer ${apiKey}` },
      payload: lead,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Body>();
  };

  it('answers with the vendor’s company facts when the tenant configures an HTTP enrichment', async () => {
    const tenant = await t.createTenant({
      plan: 'pro',
      configuration: { enrichment: { provider: 'http', base_url: clearbit.url, api_key: API_KEY } },
    });
    const body = await qualify(tenant.apiKey);
    expect(body.enrichment).toMatchObject({
      company_size: '51-250',
      industry: 'Technology',
      estimated_revenue: '$10M-$50M',
      location: 'San Francisco, CA',
      linkedin_url: 'https://www.linkedin.com/company/acme-corp',
    });
    expect(clearbit.requests.some((r) => r.domain === 'acme.com')).toBe(true);
  });

  it('keeps the vendor key secret in the configuration it shows', async () => {
    const tenant = await t.createTenant({
      plan: 'pro',
      configuration: { enrichment: { provider: 'http', base_url: clearbit.url, api_key: API_KEY } },
    });
    const res = await t.app.inject({
      url: `/api/v2/tenants/${tenant.id}/config`,
      headers: { 'x-api-key': tenant.apiKey },
    });
    expect(res.body).not.toContain(API_KEY);
    expect(res.json<Body>().data.configuration.enrichment.api_key).toBe('***hidden***');
  });

  it('enriches locally, without calling any vendor, for a tenant without one', async () => {
    const tenant = await t.createTenant({ plan: 'pro' });
    const before = clearbit.requests.length;
    const body = await qualify(tenant.apiKey);
    expect(body.enrichment.industry).not.toBe('Technology');
    expect(clearbit.requests.length).toBe(before);
  });

  it('refuses an HTTP enrichment without its URL and key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/tenants',
      headers: t.adminHeaders,
      payload: { name: 'Broken Co', configuration: { enrichment: { provider: 'http' } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('provider http needs base_url and api_key');
  });
});
