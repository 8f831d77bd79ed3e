import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { insertRequest } from '../../helpers/ingestion-fixtures.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
/** JSON as the API answered it. */
type Body = ReturnType<typeof JSON.parse>;

const HUBSPOT_KEY = 'pat-na1-0123456789abcdef';

/** Spec A's "Get Tenant Information" configuration, with a real secret in it. */
const specConfig = {
  callrail_company_id: '12345',
  crm_config: { hubspot_portal_id: '12345678', hubspot_api_key: HUBSPOT_KEY, salesforce_instance: 'na123' },
  ai_config: {
    lead_scoring_threshold: 70,
    analysis_model: 'gemini-2.5-flash',
    custom_prompts: {
      lead_scoring: 'Analyze this call transcript for lead quality...',
      intent_detection: "Identify the customer's primary intent...",
    },
  },
  notification_config: { email_alerts: ['manager@company.com'], high_value_threshold: 80 },
};

/** Spec A's "Update Tenant Configuration" request body. */
const specUpdate = {
  crm_config: { hubspot_portal_id: '87654321', salesforce_instance: 'na456' },
  ai_config: { lead_scoring_threshold: 75, custom_prompts: { lead_scoring: 'Enhanced lead scoring prompt...' } },
  notification_config: { high_value_threshold: 85, email_alerts: ['newmanager@company.com'] },
};

describe.each(dialects)('spec A tenant administration on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  // A CallRail company routes its calls to one tenant, so each tenant here has its own, counting up from the spec's.
  const companyOf = new Map<string, string>();
  const newTenant = async () => {
    const company = String(Number(specConfig.callrail_company_id) + companyOf.size);
    const tenant = await t.createTenant({
      name: 'Demo Company LLC',
      configuration: { ...specConfig, callrail_company_id: company, rate_limits: { multiplier: 100 } },
    });
    companyOf.set(tenant.id, company);
    return tenant;
  };
  const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const call = async (method: 'GET' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const body: Body = res.json();
    return {
      status: res.statusCode,
      body,
      data: body.data,
      requestId: String(res.headers['x-request-id']),
      raw: res.body,
    };
  };
  const readOnlyJwt = async (tenant: Tenant) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/token',
      payload: {
        client_id: tenant.credentials.client_id,
        client_secret: tenant.credentials.client_secret,
        scope: 'read',
      },
    });
    return { authorization: `Bearer ${res.json<{ access_token: string }>().access_token}` };
  };
  const db = () => t.deps.database.db;

  describe.skipIf(skip)('GET /v1/tenants/{tenant_id}', () => {
    it('answers spec A’s tenant information with the configuration masked', async () => {
      const tenant = await newTenant();
      const res = await call('GET', `/v1/tenants/${tenant.id}`, key(tenant));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, request_id: res.requestId });
      expect(Object.keys(res.data).sort()).toEqual([
        'config',
        'created_at',
        'name',
        'status',
        'tenant_id',
        'updated_at',
        'usage_stats',
      ]);
      expect(res.data).toMatchObject({
        tenant_id: tenant.id,
        name: 'Demo Company LLC',
        status: 'active',
        created_at: expect.stringMatching(/^\d{4}-/),
        updated_at: expect.stringMatching(/^\d{4}-/),
      });
      expect(res.data.config).toMatchObject({
        callrail_company_id: companyOf.get(tenant.id),
        webhook_secret: '***hidden***',
        crm_config: { hubspot_portal_id: '12345678', hubspot_api_key: '***hidden***', salesforce_instance: 'na123' },
        ai_config: specConfig.ai_config,
        notification_config: specConfig.notification_config,
      });
      expect(res.raw).not.toContain(HUBSPOT_KEY);
      expect(res.raw).not.toContain(tenant.credentials.webhook_secret);
    });

    it('computes usage_stats from the tenant’s requests and CRM syncs', async () => {
      const tenant = await newTenant();
      const now = new Date();
      const thisMonth = now.toISOString();
      const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString();
      await insertRequest(db(), tenant.id, { created_at: thisMonth, processing_time_ms: 1000 });
      await insertRequest(db(), tenant.id, { created_at: thisMonth, processing_time_ms: 2000 });
      await insertRequest(db(), tenant.id, {
        created_at: thisMonth,
        processing_time_ms: 3000,
        crm: [{ status: 'failed', crm_record_id: null }],
      });
      await insertRequest(db(), tenant.id, { created_at: thisMonth, status: 'failed', crm: [] });
      await insertRequest(db(), tenant.id, { created_at: thisMonth, status: 'pending', crm: [] });
      await insertRequest(db(), tenant.id, { created_at: lastMonth, processing_time_ms: 4000 });
      const res = await call('GET', `/v1/tenants/${tenant.id}`, key(tenant));
      expect(res.data.usage_stats).toEqual({
        total_requests: 6,
        current_month_requests: 5,
        success_rate: 0.8,
        average_processing_time_ms: 2500,
        crm_sync_success_rate: 0.75,
      });
    });

    it('answers nulls rather than invented rates for a tenant with no requests', async () => {
      const tenant = await newTenant();
      const res = await call('GET', `/v1/tenants/${tenant.id}`, key(tenant));
      expect(res.data.usage_stats).toEqual({
        total_requests: 0,
        current_month_requests: 0,
        success_rate: null,
        average_processing_time_ms: null,
        crm_sync_success_rate: null,
      });
    });

    it('lets the admin read any tenant and answers TENANT_NOT_FOUND for an unknown one', async () => {
      const tenant = await newTenant();
      expect((await call('GET', `/v1/tenants/${tenant.id}`, t.adminHeaders)).data.tenant_id).toBe(tenant.id);
      const res = await call('GET', '/v1/tenants/tenant_nobody', t.adminHeaders);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        success: false,
        error: { code: 'TENANT_NOT_FOUND' },
        request_id: res.requestId,
      });
      expect((await call('GET', `/v1/tenants/${tenant.id}`, {})).status).toBe(401);
    });
  });

  describe.skipIf(skip)('PUT /v1/tenants/{tenant_id}/config', () => {
    it('deep-merges spec A’s example update, keeps secrets, and answers the masked configuration', async () => {
      const tenant = await newTenant();
      const res = await call('PUT', `/v1/tenants/${tenant.id}/config`, key(tenant), specUpdate);
      expect(res.status, res.raw).toBe(200);
      expect(res.body).toMatchObject({ success: true, request_id: res.requestId });
      expect(res.data).toMatchObject({ tenant_id: tenant.id, updated_at: expect.stringMatching(/^\d{4}-/) });
      expect(res.data.changes_applied).toEqual(
        expect.arrayContaining([
          'crm_config.hubspot_portal_id',
          'crm_config.salesforce_instance',
          'ai_config.lead_scoring_threshold',
          'ai_config.custom_prompts.lead_scoring',
          'notification_config.high_value_threshold',
          'notification_config.email_alerts',
        ]),
      );
      const expected = {
        callrail_company_id: companyOf.get(tenant.id),
        crm_config: { hubspot_portal_id: '87654321', hubspot_api_key: '***hidden***', salesforce_instance: 'na456' },
        ai_config: {
          lead_scoring_threshold: 75,
          analysis_model: 'gemini-2.5-flash',
          custom_prompts: {
            lead_scoring: 'Enhanced lead scoring prompt...',
            intent_detection: "Identify the customer's primary intent...",
          },
        },
        notification_config: { high_value_threshold: 85, email_alerts: ['newmanager@company.com'] },
      };
      expect(res.data.config).toMatchObject(expected);
      expect(res.raw).not.toContain(HUBSPOT_KEY);
      expect((await call('GET', `/v1/tenants/${tenant.id}`, key(tenant))).data.config).toMatchObject(expected);
      expect(((await t.deps.services.tenants.getConfigWithSecrets(tenant.id)).crm_config as Body).hubspot_api_key).toBe(
        HUBSPOT_KEY,
      );
      const { entries } = await t.deps.services.audit.list(tenant.id, {
        limit: 10,
        offset: 0,
        action: 'tenant.config_updated',
      });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor: { kind: 'tenant-key' }, request_id: res.requestId });
    });

    it('does not erase a secret when a client sends back the masked value it read', async () => {
      const tenant = await newTenant();
      const read = await call('GET', `/v1/tenants/${tenant.id}`, key(tenant));
      const res = await call('PUT', `/v1/tenants/${tenant.id}/config`, key(tenant), {
        crm_config: read.data.config.crm_config,
      });
      expect(res.status).toBe(200);
      expect(((await t.deps.services.tenants.getConfigWithSecrets(tenant.id)).crm_config as Body).hubspot_api_key).toBe(
        HUBSPOT_KEY,
      );
    });

    it.each([
      ['notification_config.high_value_threshold', { notification_config: { high_value_threshold: 500 } }],
      ['ai_config.lead_scoring_threshold', { ai_config: { lead_scoring_threshold: 'high' } }],
      ['body', {}],
    ])('answers 400 VALIDATION_ERROR naming %s', async (field, payload) => {
      const tenant = await newTenant();
      const res = await call('PUT', `/v1/tenants/${tenant.id}/config`, key(tenant), payload);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.body.error.details.field_errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            field: expect.stringMatching(new RegExp(`(^|\\.)${field.replaceAll('.', '\\.')}$`)),
          }),
        ]),
      );
    });

    it('needs the write scope, and leaves rate limits to the platform admin', async () => {
      const tenant = await newTenant();
      const readOnly = await call('PUT', `/v1/tenants/${tenant.id}/config`, await readOnlyJwt(tenant), specUpdate);
      expect([readOnly.status, readOnly.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await call('GET', `/v1/tenants/${tenant.id}`, await readOnlyJwt(tenant))).status).toBe(200);
      const raise = await call('PUT', `/v1/tenants/${tenant.id}/config`, key(tenant), {
        rate_limits: { multiplier: 1000 },
      });
      expect(raise.status).toBe(403);
      const admin = await call('PUT', `/v1/tenants/${tenant.id}/config`, t.adminHeaders, {
        rate_limits: { multiplier: 1000 },
      });
      expect(admin.status).toBe(200);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/v1/tenants/:tenant' },
        {
          method: 'PUT',
          path: '/v1/tenants/:tenant/config',
          payload: { notification_config: { high_value_threshold: 10 } },
        },
      ],
    );
  });
});
