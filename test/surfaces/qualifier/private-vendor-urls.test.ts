import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostLookup } from '../../../src/providers/http/safe-fetch.js';
import { startHubSpotFake, type HubSpotFake } from '../../fakes/hubspot.fake.js';
import { startOpenAiFake, type OpenAiFake } from '../../fakes/openai.fake.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const HUBSPOT_TOKEN = 'pat-na1-test-token';
const lead = {
  email: 'maria.lopez@brightpath-solar.com',
  company: 'BrightPath Solar',
  name: 'Maria Lopez',
  message: 'Need a CRM integration for our sales team, budget $25k, want to start next month',
};
/** `internal.example.test` stands for a name whose DNS points inside the network. */
const lookup: HostLookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

describe('vendor base URLs a tenant sets, with private URLs not allowed', () => {
  let t: TestApp;
  let hubspot: HubSpotFake;
  let llm: OpenAiFake;

  beforeAll(async () => {
    hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
    llm = await startOpenAiFake({ apiKey: 'sk-test' });
    t = await startTestApp({ env: { FRONTDESK_ALLOW_PRIVATE_URLS: '0' }, lookup });
  });
  afterAll(async () => {
    await t.close();
    await hubspot.close();
    await llm.close();
  });

  const headers = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const putConfig = (tenant: Tenant, configuration: Body) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v2/tenants/${tenant.id}/config`,
      headers: headers(tenant),
      payload: { configuration },
    });

  it('refuses to save a loopback or metadata address, naming the field', async () => {
    const tenant = await t.createTenant();
    const res = await putConfig(tenant, {
      crm_config: { hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url },
      ai_models: { providers: { ollama: { base_url: 'http://169.254.169.254/v1' } } },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('configuration.crm_config.hubspot_base_url');
    expect(res.body).toContain('configuration.ai_models.providers.ollama.base_url');
    expect(res.body).toContain('FRONTDESK_PRIVATE_URL_ALLOWLIST');

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v2/tenants',
      headers: t.adminHeaders,
      payload: {
        name: 'Internal',
        configuration: { enrichment: { provider: 'http', base_url: 'http://127.0.0.1:9/', api_key: 'k' } },
      },
    });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.body).toContain('configuration.enrichment.base_url');
  });

  it('records a clear CRM error and sends nothing when the HubSpot name resolves to a private address', async () => {
    const tenant = await t.createTenant({
      configuration: {
        crm_config: {
          hubspot_access_token: HUBSPOT_TOKEN,
          hubspot_base_url: hubspot.url.replace('127.0.0.1', 'internal.example.test'),
        },
      },
    });
    const qualified = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: lead,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/crm/sync',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: { lead_id: qualified.json<Body>().id, crm: 'hubspot' },
    });

    expect(res.statusCode, res.body).toBe(502);
    expect(res.body).toContain('HubSpot URL refused');
    expect(hubspot.requests).toHaveLength(0);
    const [record] = await t.deps.database.db
      .selectFrom('crm_syncs')
      .select(['status', 'error'])
      .where('tenant_id', '=', tenant.id)
      .execute();
    expect(record).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('resolves to a private, loopback or reserved address'),
    });
  });

  it('falls through to the local engine and sends nothing when the LLM name resolves to a private address', async () => {
    const tenant = await t.createTenant({
      configuration: {
        ai_models: {
          primary_provider: 'openai',
          primary_model: 'gpt-4o-mini',
          providers: {
            openai: { api_key: 'sk-test', base_url: llm.baseUrl.replace('127.0.0.1', 'internal.example.test') },
          },
        },
      },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: lead,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Body>().score).toEqual(expect.any(Number));
    expect(llm.requests).toHaveLength(0);
  });
});

describe('vendor base URLs on the operator allow-list', () => {
  let t: TestApp;
  let hubspot: HubSpotFake;

  beforeAll(async () => {
    hubspot = await startHubSpotFake({ accessToken: HUBSPOT_TOKEN });
    t = await startTestApp({
      env: {
        FRONTDESK_ALLOW_PRIVATE_URLS: '0',
        FRONTDESK_PRIVATE_URL_ALLOWLIST: `127.0.0.1:${new URL(hubspot.url).port}`,
      },
      lookup,
    });
  });
  afterAll(async () => {
    await t.close();
    await hubspot.close();
  });

  it('saves the allow-listed address and syncs to it', async () => {
    const tenant = await t.createTenant();
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/v2/tenants/${tenant.id}/config`,
      headers: { 'x-api-key': tenant.apiKey },
      payload: {
        configuration: { crm_config: { hubspot_access_token: HUBSPOT_TOKEN, hubspot_base_url: hubspot.url } },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const qualified = await t.app.inject({
      method: 'POST',
      url: '/api/qualify',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: lead,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/crm/sync',
      headers: { authorization: `Bearer ${tenant.apiKey}` },
      payload: { lead_id: qualified.json<Body>().id, crm: 'hubspot' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(hubspot.requests.length).toBeGreaterThan(0);
  });
});
