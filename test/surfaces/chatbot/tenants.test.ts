import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants, tenantFootprint } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Body = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Spec D's "Create New Tenant" example request. */
const specCreateBody = {
  name: 'Acme Corporation',
  domain: 'acme.com',
  plan: 'enterprise',
  admin_user: { email: 'admin@acme.com', first_name: 'John', last_name: 'Smith', role: 'owner' },
  configuration: {
    default_language: 'en',
    timezone: 'America/New_York',
    business_hours: {
      monday: { start: '09:00', end: '17:00' },
      tuesday: { start: '09:00', end: '17:00' },
      wednesday: { start: '09:00', end: '17:00' },
      thursday: { start: '09:00', end: '17:00' },
      friday: { start: '09:00', end: '17:00' },
      saturday: { closed: true },
      sunday: { closed: true },
    },
    branding: {
      primary_color: '#1f2937',
      secondary_color: '#3b82f6',
      logo_url: 'https://acme.com/logo.png',
      company_name: 'Acme Corporation',
    },
  },
  features: {
    channels: ['web', 'whatsapp', 'slack'],
    integrations_limit: 50,
    users_limit: 100,
    conversations_per_month: 100000,
  },
};

/** Spec D's "Update Tenant Configuration" example request and the paths it says it applied. */
const specConfigPut = {
  configuration: {
    chatbot: {
      default_greeting: 'Hi there! Welcome to Acme Corporation. How can I assist you today?',
      confidence_threshold: 0.8,
      enable_sentiment_analysis: true,
    },
    channels: { web: { widget_color: '#2563eb', show_agent_avatars: true, enable_file_upload: true } },
    ai_models: {
      temperature: 0.7,
      max_tokens: 500,
      custom_instructions: 'You are a friendly and professional customer service agent for Acme Corporation.',
    },
  },
};
const specChangesApplied = [
  'chatbot.default_greeting',
  'chatbot.confidence_threshold',
  'chatbot.enable_sentiment_analysis',
  'channels.web.widget_color',
  'channels.web.show_agent_avatars',
  'channels.web.enable_file_upload',
  'ai_models.temperature',
  'ai_models.max_tokens',
  'ai_models.custom_instructions',
];

describe.each(dialects)('chatbot tenant routes on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const call = async (method: Method, url: string, headers: Record<string, string>, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: res.statusCode,
      body: res.json<Body>(),
      data: res.json<{ data: Body }>().data,
      requestId: String(res.headers['x-request-id']),
      raw: res.body,
    };
  };
  const asKey = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });
  const configRow = async (id: string) =>
    t.deps.database.db
      .selectFrom('tenants')
      .select(['config', 'config_version', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const auditOf = async (id: string) => (await t.deps.services.audit.list(id, { limit: 100, offset: 0 })).entries;

  describe.skipIf(skip)('GET /api/v2/tenants', () => {
    it('lists tenants to the admin with pagination', async () => {
      for (let i = 0; i < 3; i++) await t.createTenant();
      const first = await call('GET', '/api/v2/tenants?page=1&limit=2', t.adminHeaders);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'success', meta: { request_id: first.requestId, api_version: 'v2' } });
      const tenants = first.data.tenants as Body[];
      expect(tenants).toHaveLength(2);
      const pagination = first.data.pagination as { total: number; page: number; page_size: number; has_next: boolean };
      expect(pagination).toMatchObject({ page: 1, page_size: 2, has_next: true });
      expect(pagination.total).toBeGreaterThanOrEqual(3);
      const second = await call('GET', '/api/v2/tenants?page=2&limit=2', t.adminHeaders);
      const ids = new Set([...tenants, ...(second.data.tenants as Body[])].map((x) => x.tenant_id));
      expect(ids.size).toBe(tenants.length + (second.data.tenants as Body[]).length);
    });

    it('filters by plan and status', async () => {
      const pro = await t.createTenant({ plan: 'growth', status: 'trial' });
      const byPlan = await call('GET', '/api/v2/tenants?plan=growth&limit=100', t.adminHeaders);
      const list = byPlan.data.tenants as Body[];
      expect(list.map((x) => x.tenant_id)).toContain(pro.id);
      expect(list.every((x) => x.plan === 'growth')).toBe(true);
      const byStatus = await call('GET', '/api/v2/tenants?status=trial&limit=100', t.adminHeaders);
      expect((byStatus.data.tenants as Body[]).every((x) => x.status === 'trial')).toBe(true);
      expect((byStatus.data.tenants as Body[]).map((x) => x.tenant_id)).toContain(pro.id);
    });

    it('rejects an unknown filter value with the field named', async () => {
      const res = await call('GET', '/api/v2/tenants?plan=platinum', t.adminHeaders);
      expect(res.status).toBe(400);
      expect((res.body.error as Body).details).toMatchObject({ field: 'plan' });
    });

    it('is for the admin only', async () => {
      const tenant = await t.createTenant();
      expect((await call('GET', '/api/v2/tenants', asKey(tenant))).status).toBe(403);
      expect((await call('GET', '/api/v2/tenants', {})).status).toBe(401);
    });
  });

  describe.skipIf(skip)('POST /api/v2/tenants', () => {
    it('creates spec D’s example tenant with 201, its keys and every credential', async () => {
      const res = await call('POST', '/api/v2/tenants', t.adminHeaders, specCreateBody);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'success', meta: { request_id: res.requestId, api_version: 'v2' } });
      const data = res.data;
      expect(data).toMatchObject({
        tenant_id: expect.stringMatching(/^tenant_/),
        name: 'Acme Corporation',
        domain: 'acme.com',
        plan: 'enterprise',
        status: 'active',
        created_at: expect.stringMatching(/^\d{4}-/),
        admin_user: {
          user_id: expect.stringMatching(/^user_/),
          email: 'admin@acme.com',
          role: 'owner',
          invitation_token: expect.stringMatching(/^fd_inv_/),
        },
        api_keys: { primary: expect.stringMatching(/^fd_live_/), test: expect.stringMatching(/^fd_test_/) },
        webhook_endpoints: { incoming: expect.stringContaining(String(data.tenant_id)) },
        credentials: {
          webhook_secret: expect.stringMatching(/^whsec_/),
          client_id: expect.stringMatching(/^client_/),
          client_secret: expect.stringMatching(/^fd_cs_/),
          widget_token: expect.stringMatching(/^fd_wt_/),
          owner_token: expect.stringMatching(/^fd_ot_/),
        },
      });
      const id = String(data.tenant_id);
      const keys = data.api_keys as { primary: string };
      expect((await call('GET', `/api/v2/tenants/${id}`, { 'x-api-key': keys.primary })).status).toBe(200);
      const config = await call('GET', `/api/v2/tenants/${id}/config`, t.adminHeaders);
      expect((config.data.configuration as Body).general).toMatchObject({
        default_language: 'en',
        timezone: 'America/New_York',
      });
      expect((config.data.configuration as Body).branding).toMatchObject({ primary_color: '#1f2937' });
    });

    it('uses tenant_id as the id when given', async () => {
      const res = await call('POST', '/api/v2/tenants', t.adminHeaders, {
        name: 'Fixed',
        tenant_id: `acme-${dialect}`,
      });
      expect(res.status).toBe(201);
      expect(res.data.tenant_id).toBe(`acme-${dialect}`);
    });

    it('rejects a tenant_id outside the allowed pattern with a field error', async () => {
      for (const tenant_id of ['has space', '-leading-dash', 'x'.repeat(65), 'semi;colon']) {
        const res = await call('POST', '/api/v2/tenants', t.adminHeaders, { name: 'Bad', tenant_id });
        expect(res.status, tenant_id).toBe(400);
        expect((res.body.error as Body).code).toBe('VALIDATION_ERROR');
        expect((res.body.error as Body).details).toMatchObject({ field: 'tenant_id' });
      }
    });

    it('answers 409 for a tenant_id that exists', async () => {
      const tenant = await t.createTenant();
      const res = await call('POST', '/api/v2/tenants', t.adminHeaders, { name: 'Again', tenant_id: tenant.id });
      expect(res.status).toBe(409);
      expect((res.body.error as Body).code).toBe('CONFLICT');
    });

    it('invites the admin user: an invitation token, a user stored invited, only its hash at rest', async () => {
      const tenant = await t.createTenant({ admin_user: { email: 'Owner@Example.com', first_name: 'Olga' } });
      const admin = tenant.body.admin_user as {
        user_id: string;
        email: string;
        role: string;
        invitation_token: string;
        invitation_expires_at: string;
      };
      expect(admin).toMatchObject({
        email: 'owner@example.com',
        role: 'owner',
        invitation_token: expect.stringMatching(/^fd_inv_/),
      });
      const users = await call('GET', `/api/v2/tenants/${tenant.id}/users`, asKey(tenant));
      expect(users.data.users).toEqual([
        expect.objectContaining({
          user_id: admin.user_id,
          email: 'owner@example.com',
          role: 'owner',
          status: 'invitation_sent',
        }),
      ]);
      const row = await t.deps.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', admin.user_id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(admin.invitation_token);
    });

    it('rejects an invalid configuration naming the full path', async () => {
      const res = await call('POST', '/api/v2/tenants', t.adminHeaders, {
        name: 'Bad colour',
        configuration: { branding: { primary_color: 'blue' } },
      });
      expect(res.status).toBe(400);
      expect((res.body.error as Body).details).toMatchObject({ field: 'configuration.branding.primary_color' });
    });

    it('is for the admin only', async () => {
      const tenant = await t.createTenant();
      expect((await call('POST', '/api/v2/tenants', asKey(tenant), { name: 'Nope' })).status).toBe(403);
    });
  });

  describe.skipIf(skip)('GET /api/v2/tenants/:id', () => {
    it('shows the tenant, its masked configuration and credential prefixes only', async () => {
      const tenant = await t.createTenant({
        configuration: { channels: { slack: { enabled: true, bot_token: 'xoxb-get-secret' } } },
      });
      const res = await call('GET', `/api/v2/tenants/${tenant.id}`, asKey(tenant));
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ tenant_id: tenant.id, status: 'active', configuration_version: 'v1' });
      expect((res.data.configuration as { channels: { slack: { bot_token: string } } }).channels.slack.bot_token).toBe(
        '***hidden***',
      );
      const kinds = (res.data.credentials as { kind: string }[]).map((c) => c.kind).sort();
      expect(kinds).toEqual(['api_key', 'oauth_client', 'owner_token', 'test_key', 'webhook_secret', 'widget_token']);
      for (const secret of Object.values(tenant.credentials).filter((v) => !v.startsWith('client_')))
        expect(res.raw).not.toContain(secret);
    });

    it('answers 404 TENANT_NOT_FOUND for an unknown tenant', async () => {
      const res = await call('GET', '/api/v2/tenants/no-such-tenant', t.adminHeaders);
      expect(res.status).toBe(404);
      expect((res.body.error as Body).code).toBe('TENANT_NOT_FOUND');
    });
  });

  describe.skipIf(skip)('the admin key naming a tenant in X-Tenant-ID', () => {
    const ghost = { 'x-tenant-id': 'tenant_ghost' };
    const message = { user_id: 'visitor_1', channel: 'web', content: { type: 'text', text: 'hi' } };

    it.each([
      ['POST', '/api/v2/chat/message', message],
      ['POST', '/api/v2/sessions', { channel: 'web', user_id: 'visitor_1' }],
      ['GET', '/api/v2/conversations', undefined],
    ] as const)('answers 404 TENANT_NOT_FOUND on %s %s for a tenant that does not exist', async (method, url, body) => {
      const res = await call(method, url, { ...t.adminHeaders, ...ghost }, body);
      expect(res.status, res.raw).toBe(404);
      expect(res.body).toMatchObject({
        status: 'error',
        error: { code: 'TENANT_NOT_FOUND', trace_id: res.requestId },
        meta: { request_id: res.requestId, api_version: 'v2' },
      });
      const rows = await t.deps.database.db
        .selectFrom('tenants')
        .select('id')
        .where('id', '=', 'tenant_ghost')
        .execute();
      expect(rows).toEqual([]);
    });

    it('acts on a tenant that exists', async () => {
      const tenant = await t.createTenant();
      const res = await call('GET', '/api/v2/conversations', { ...t.adminHeaders, 'x-tenant-id': tenant.id });
      expect(res.status, res.raw).toBe(200);
    });
  });

  describe.skipIf(skip)('PUT /api/v2/tenants/:id', () => {
    it('lets the tenant rename itself and lists what changed', async () => {
      const tenant = await t.createTenant();
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}`, asKey(tenant), {
        name: 'Renamed',
        domain: 'renamed.example',
      });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        name: 'Renamed',
        domain: 'renamed.example',
        changes_applied: ['name', 'domain'],
      });
    });

    it('refuses a plan or status change by anyone but the admin with 403', async () => {
      const tenant = await t.createTenant({ plan: 'free' });
      expect((await call('PUT', `/api/v2/tenants/${tenant.id}`, asKey(tenant), { plan: 'enterprise' })).status).toBe(
        403,
      );
      expect((await call('PUT', `/api/v2/tenants/${tenant.id}`, asKey(tenant), { status: 'suspended' })).status).toBe(
        403,
      );
      expect((await call('GET', `/api/v2/tenants/${tenant.id}`, t.adminHeaders)).data).toMatchObject({
        plan: 'free',
        status: 'active',
      });
    });

    it('accepts the tenant’s current plan unchanged from the tenant', async () => {
      const tenant = await t.createTenant({ plan: 'pro' });
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}`, asKey(tenant), { plan: 'pro', name: 'Same plan' });
      expect(res.status).toBe(200);
      expect(res.data.changes_applied).toEqual(['name']);
    });

    it('lets the admin change plan and status', async () => {
      const tenant = await t.createTenant({ plan: 'free' });
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}`, t.adminHeaders, {
        plan: 'enterprise',
        status: 'suspended',
      });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ plan: 'enterprise', status: 'suspended', changes_applied: ['plan', 'status'] });
    });

    it('applies a configuration patch with prefixed paths', async () => {
      const tenant = await t.createTenant();
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}`, asKey(tenant), {
        configuration: { chatbot: { confidence_threshold: 0.9 } },
      });
      expect(res.status).toBe(200);
      expect(res.data.changes_applied).toEqual(['configuration.chatbot.confidence_threshold']);
    });
  });

  describe.skipIf(skip)('DELETE /api/v2/tenants/:id', () => {
    it('removes every row of the tenant and records the deletion in the platform audit log', async () => {
      const tenant = await t.createTenant({ admin_user: { email: 'gone@example.com' } });
      await call('PUT', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant), {
        configuration: { chatbot: { confidence_threshold: 0.5 } },
      });
      await call('POST', `/api/v2/tenants/${tenant.id}/users`, asKey(tenant), { email: 'second@example.com' });
      const before = await tenantFootprint(t, tenant.id);
      for (const table of ['tenants', 'credentials', 'users', 'usage_counters', 'audit_log'])
        expect(before[table]?.length ?? 0, table).toBeGreaterThan(0);

      const res = await call('DELETE', `/api/v2/tenants/${tenant.id}`, t.adminHeaders);
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ tenant_id: tenant.id, deleted: true });

      const after = await tenantFootprint(t, tenant.id);
      for (const [table, rows] of Object.entries(after)) expect(rows, table).toEqual([]);
      expect((await call('GET', `/api/v2/tenants/${tenant.id}`, t.adminHeaders)).status).toBe(404);

      const platform = await call('GET', '/api/v2/audit?action=tenant.deleted&limit=100', t.adminHeaders);
      const entry = (platform.data.entries as Body[]).find((e) => (e.target as Body).id === tenant.id);
      expect(entry).toMatchObject({
        tenant_id: null,
        actor: { kind: 'admin' },
        action: 'tenant.deleted',
        request_id: res.requestId,
        before: { name: tenant.body.name },
      });
    });

    it('is for the admin only', async () => {
      const tenant = await t.createTenant();
      expect((await call('DELETE', `/api/v2/tenants/${tenant.id}`, asKey(tenant))).status).toBe(403);
      expect((await call('GET', `/api/v2/tenants/${tenant.id}`, asKey(tenant))).status).toBe(200);
    });

    it('answers 404 TENANT_NOT_FOUND for an unknown tenant', async () => {
      expect((await call('DELETE', '/api/v2/tenants/no-such-tenant', t.adminHeaders)).status).toBe(404);
    });
  });

  describe.skipIf(skip)('tenant configuration', () => {
    const put = (tenant: Tenant, configuration: Body) =>
      call('PUT', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant), { configuration });
    const get = async (tenant: Tenant) =>
      (await call('GET', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant))).data;

    it('applies spec D’s example update and lists exactly its changed paths', async () => {
      const tenant = await t.createTenant({ configuration: specCreateBody.configuration });
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant), specConfigPut);
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        configuration_version: 'v2',
        changes_applied: specChangesApplied,
        updated_at: expect.any(String),
      });
    });

    it('deep-merges a patch, keeps untouched settings and bumps the version on each real change', async () => {
      const tenant = await t.createTenant({
        configuration: {
          chatbot: { default_greeting: 'Hello', confidence_threshold: 0.7 },
          channels: { web: { enabled: true } },
        },
      });
      const first = await put(tenant, {
        chatbot: { confidence_threshold: 0.8 },
        channels: { web: { widget_color: '#2563eb' } },
      });
      expect(first.data).toMatchObject({
        configuration_version: 'v2',
        changes_applied: ['chatbot.confidence_threshold', 'channels.web.widget_color'],
      });
      const second = await put(tenant, { chatbot: { default_greeting: 'Hi' } });
      expect(second.data).toMatchObject({ configuration_version: 'v3', changes_applied: ['chatbot.default_greeting'] });
      const read = await get(tenant);
      expect(read.configuration_version).toBe('v3');
      expect(read.configuration).toMatchObject({
        chatbot: { default_greeting: 'Hi', confidence_threshold: 0.8 },
        channels: { web: { enabled: true, widget_color: '#2563eb' } },
      });
    });

    it('lists only the values that really changed', async () => {
      const tenant = await t.createTenant({
        configuration: { chatbot: { default_greeting: 'Hello', confidence_threshold: 0.7 } },
      });
      const res = await put(tenant, { chatbot: { default_greeting: 'Hello', confidence_threshold: 0.75 } });
      expect(res.data.changes_applied).toEqual(['chatbot.confidence_threshold']);
    });

    it('lists nothing, keeps the version and records nothing for an unchanged update', async () => {
      const tenant = await t.createTenant({ configuration: { chatbot: { default_greeting: 'Hello' } } });
      const before = await configRow(tenant.id);
      const auditBefore = (await auditOf(tenant.id)).length;
      const res = await put(tenant, { chatbot: { default_greeting: 'Hello' } });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ changes_applied: [], configuration_version: 'v1' });
      expect(await configRow(tenant.id)).toEqual(before);
      expect(await auditOf(tenant.id)).toHaveLength(auditBefore);
    });

    it('removes a setting sent as null', async () => {
      const tenant = await t.createTenant({
        configuration: { chatbot: { default_greeting: 'Hello', confidence_threshold: 0.7 } },
      });
      const res = await put(tenant, { chatbot: { default_greeting: null } });
      expect(res.data.changes_applied).toEqual(['chatbot.default_greeting']);
      expect((await get(tenant)).configuration).toMatchObject({ chatbot: { confidence_threshold: 0.7 } });
      expect(((await get(tenant)).configuration as { chatbot: Body }).chatbot).not.toHaveProperty('default_greeting');
    });

    it('encrypts secrets at rest and shows them as ***hidden***', async () => {
      const tenant = await t.createTenant();
      const slackHook = 'https://hooks.slack.com/services/T000/B000/plainsecret';
      const res = await put(tenant, {
        channels: { slack: { enabled: true, bot_token: 'xoxb-plain-secret-123' } },
        ai_config: { analysis_model: 'm' },
        crm_config: { hubspot_api_key_secret: 'hubspot-plain-secret' },
        notification_config: { slack_webhook: slackHook },
      });
      expect(res.data.changes_applied).toEqual([
        'channels.slack.enabled',
        'channels.slack.bot_token',
        'ai_config.analysis_model',
        'crm_config.hubspot_api_key_secret',
        'notification_config.slack_webhook',
      ]);
      const row = await configRow(tenant.id);
      for (const secret of ['xoxb-plain-secret-123', 'hubspot-plain-secret', slackHook])
        expect(row.config).not.toContain(secret);
      expect((await get(tenant)).configuration).toMatchObject({
        crm_config: { hubspot_api_key_secret: '***hidden***' },
        notification_config: { slack_webhook: '***hidden***' },
      });
      expect(row.config).toContain('bot_token');
      const read = await get(tenant);
      expect((read.configuration as { channels: { slack: Body } }).channels.slack).toEqual({
        enabled: true,
        bot_token: '***hidden***',
      });
      expect(JSON.stringify(read)).not.toContain('xoxb-plain-secret-123');
      const opened = await t.deps.services.tenants.getConfigWithSecrets(tenant.id);
      expect(opened.channels?.slack).toMatchObject({ bot_token: 'xoxb-plain-secret-123' });
    });

    it('keeps a secret when the client sends ***hidden*** back, and replaces it when sent a new value', async () => {
      const tenant = await t.createTenant({
        configuration: { channels: { slack: { enabled: true, bot_token: 'xoxb-keep-me' } } },
      });
      const read = await get(tenant);
      const roundTrip = await put(tenant, read.configuration as Body);
      expect(roundTrip.data).toMatchObject({ changes_applied: [], configuration_version: 'v1' });
      expect((await t.deps.services.tenants.getConfigWithSecrets(tenant.id)).channels?.slack).toMatchObject({
        bot_token: 'xoxb-keep-me',
      });

      const replaced = await put(tenant, { channels: { slack: { bot_token: 'xoxb-new-one' } } });
      expect(replaced.data.changes_applied).toEqual(['channels.slack.bot_token']);
      expect((await t.deps.services.tenants.getConfigWithSecrets(tenant.id)).channels?.slack).toMatchObject({
        bot_token: 'xoxb-new-one',
      });
      const same = await put(tenant, { channels: { slack: { bot_token: 'xoxb-new-one' } } });
      expect(same.data.changes_applied).toEqual([]);
    });

    it('rejects invalid values naming the full configuration path, and saves nothing', async () => {
      const tenant = await t.createTenant();
      const before = await configRow(tenant.id);
      const cases: [Body, string][] = [
        [{ chatbot: { confidence_threshold: 1.5 } }, 'configuration.chatbot.confidence_threshold'],
        [{ chatbot: { confidence_threshold: 'high' } }, 'configuration.chatbot.confidence_threshold'],
        [{ general: { timezone: 'Mars/Olympus_Mons' } }, 'configuration.general.timezone'],
        [{ timezone: 'Mars/Olympus_Mons' }, 'configuration.timezone'],
        [{ business_hours: { monday: { start: '25:00' } } }, 'configuration.business_hours.monday.start'],
        [{ ai_models: { temperature: 5 } }, 'configuration.ai_models.temperature'],
      ];
      for (const [patch, field] of cases) {
        const res = await put(tenant, patch);
        expect(res.status, field).toBe(400);
        expect((res.body.error as Body).code).toBe('VALIDATION_ERROR');
        expect((res.body.error as Body).details, JSON.stringify(res.body)).toMatchObject({ field });
      }
      expect(await configRow(tenant.id)).toEqual(before);
    });

    it('rejects a body without configuration', async () => {
      const tenant = await t.createTenant();
      const res = await call('PUT', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant), { chatbot: {} });
      expect(res.status).toBe(400);
      expect((res.body.error as Body).details).toMatchObject({ field: 'configuration' });
    });

    it('accepts spec D’s root-level general settings such as timezone', async () => {
      const tenant = await t.createTenant();
      const res = await put(tenant, { timezone: 'Europe/London', default_language: 'de' });
      expect(res.status).toBe(200);
      expect((res.data.changes_applied as string[]).slice().sort()).toEqual([
        'general.default_language',
        'general.timezone',
      ]);
      expect((await get(tenant)).configuration).toMatchObject({
        general: { timezone: 'Europe/London', default_language: 'de' },
      });
      expect((await call('GET', `/api/v2/tenants/${tenant.id}`, asKey(tenant))).data.timezone).toBe('Europe/London');
    });
  });

  describe.skipIf(skip)('tenant users', () => {
    const addUser = (tenant: Tenant, body: Body) =>
      call('POST', `/api/v2/tenants/${tenant.id}/users`, asKey(tenant), body);

    it('adds spec D’s example user with role, permissions and an invitation that expires in seven days', async () => {
      const tenant = await t.createTenant();
      const res = await addUser(tenant, {
        email: 'sarah.johnson@acme.com',
        first_name: 'Sarah',
        last_name: 'Johnson',
        role: 'developer',
        permissions: ['conversations:read', 'integrations:write', 'analytics:read'],
        send_invitation: true,
        invitation_message: 'Welcome to our chatbot platform team!',
      });
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({
        user_id: expect.stringMatching(/^user_/),
        email: 'sarah.johnson@acme.com',
        role: 'developer',
        status: 'invitation_sent',
        permissions: ['conversations:read', 'integrations:write', 'analytics:read'],
        invitation_token: expect.stringMatching(/^fd_inv_/),
      });
      const created = Date.parse(String(res.data.created_at));
      expect(Date.parse(String(res.data.invitation_expires_at)) - created).toBe(7 * 86_400_000);
      const listed = await call('GET', `/api/v2/tenants/${tenant.id}/users`, asKey(tenant));
      expect(listed.data.users).toContainEqual(
        expect.objectContaining({ user_id: res.data.user_id, status: 'invitation_sent' }),
      );
    });

    it('gives a role its default permissions when none are sent', async () => {
      const tenant = await t.createTenant();
      const res = await addUser(tenant, { email: 'viewer@example.com', role: 'viewer' });
      expect(res.data.permissions).toEqual(['conversations:read', 'analytics:read']);
    });

    it('adds an active user without an invitation when asked not to invite', async () => {
      const tenant = await t.createTenant();
      const res = await addUser(tenant, { email: 'direct@example.com', send_invitation: false });
      expect(res.data).toMatchObject({ status: 'active', invitation_token: null, invitation_expires_at: null });
    });

    it('names the field, the reason and the value sent when the request fails validation, as the document shows', async () => {
      const tenant = await t.createTenant();
      const res = await addUser(tenant, { email: 'invalid-email' });
      expect(res.status).toBe(400);
      expect((res.body.error as Body).details).toMatchObject({
        field: 'email',
        reason: expect.any(String),
        provided_value: 'invalid-email',
      });
      const query = await call('GET', `/api/v2/tenants/${tenant.id}/users?limit=lots`, asKey(tenant));
      expect(query.status).toBe(400);
      expect((query.body.error as Body).details).toMatchObject({ field: 'limit', provided_value: 'lots' });
      const missing = await addUser(tenant, { first_name: 'Sarah' });
      expect((missing.body.error as Body).details).toMatchObject({ field: 'email' });
      expect((missing.body.error as Body).details).not.toHaveProperty('provided_value');
    });

    it('answers 409 for an e-mail already in the tenant, whatever its case', async () => {
      const tenant = await t.createTenant();
      expect((await addUser(tenant, { email: 'dup@example.com' })).status).toBe(201);
      const res = await addUser(tenant, { email: 'DUP@example.com' });
      expect(res.status).toBe(409);
      expect((res.body.error as Body).code).toBe('CONFLICT');
      const other = await t.createTenant();
      expect((await addUser(other, { email: 'dup@example.com' })).status).toBe(201);
    });

    it('rejects an unknown role or permission with the field named', async () => {
      const tenant = await t.createTenant();
      const role = await addUser(tenant, { email: 'r@example.com', role: 'emperor' });
      expect(role.status).toBe(400);
      expect((role.body.error as Body).details).toMatchObject({ field: 'role' });
      const perm = await addUser(tenant, { email: 'p@example.com', permissions: ['everything:all'] });
      expect(perm.status).toBe(400);
      expect((perm.body.error as Body).details).toMatchObject({ field: 'permissions.0' });
      const email = await addUser(tenant, { email: 'not-an-email' });
      expect((email.body.error as Body).details).toMatchObject({ field: 'email' });
    });

    it('lists users with pagination and a role filter', async () => {
      const tenant = await t.createTenant();
      for (const [email, role] of [
        ['a@x.com', 'agent'],
        ['b@x.com', 'agent'],
        ['c@x.com', 'analyst'],
      ])
        await addUser(tenant, { email, role });
      const page = await call('GET', `/api/v2/tenants/${tenant.id}/users?limit=2`, asKey(tenant));
      expect(page.data.users).toHaveLength(2);
      expect(page.data.pagination).toEqual({ total: 3, page: 1, page_size: 2, has_next: true });
      const agents = await call('GET', `/api/v2/tenants/${tenant.id}/users?role=agent`, asKey(tenant));
      expect((agents.data.users as Body[]).map((u) => u.email)).toEqual(['a@x.com', 'b@x.com']);
    });
  });

  describe.skipIf(skip)('billing and usage', () => {
    it('shows the plan, its price and limits, and the current period', async () => {
      const tenant = await t.createTenant({ plan: 'pro' });
      const res = await call('GET', `/api/v2/tenants/${tenant.id}/billing`, asKey(tenant));
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        tenant_id: tenant.id,
        plan: 'pro',
        currency: 'USD',
        monthly_price: 199,
        plan_limits: { conversations_per_month: 25_000, api_calls_per_month: 50_000 },
        billing_period: {
          start: expect.stringMatching(/-01T00:00:00Z$/),
          end: expect.any(String),
          days_remaining: expect.any(Number),
        },
        ai_costs_cents: 0,
      });
    });

    it('reports zeros for a new tenant', async () => {
      const tenant = await t.createTenant({ plan: 'enterprise' });
      const res = await call(
        'GET',
        `/api/v2/tenants/${tenant.id}/usage?period=current_month&detailed=true`,
        t.adminHeaders,
      );
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        tenant_id: tenant.id,
        period: new Date().toISOString().slice(0, 7),
        usage: {
          conversations: { total: 0, completed: 0, abandoned: 0, escalated: 0 },
          messages: { total: 0, inbound: 0, outbound: 0, by_channel: {} },
          ai_costs: { total_cents: 0, by_provider: {}, by_model: {} },
          integrations: { api_calls: 0, webhook_calls: 0, data_sync_operations: 0 },
        },
        limits: {
          conversations_limit: 100_000,
          conversations_used_percent: 0,
          api_calls_limit: 1_000_000,
          api_calls_used_percent: 0,
        },
      });
    });

    it('counts the tenant’s own API calls, and not the admin’s', async () => {
      const tenant = await t.createTenant({ plan: 'free' });
      for (let i = 0; i < 4; i++) await call('GET', `/api/v2/tenants/${tenant.id}/config`, asKey(tenant));
      await call('GET', `/api/v2/tenants/${tenant.id}/config`, t.adminHeaders);
      const res = await call('GET', `/api/v2/tenants/${tenant.id}/usage`, t.adminHeaders);
      expect(res.data).toMatchObject({
        usage: { integrations: { api_calls: 4 } },
        limits: { api_calls_limit: 10_000, api_calls_used_percent: 0.04 },
      });
    });

    it('reports another month by YYYY-MM and rejects a malformed period', async () => {
      const tenant = await t.createTenant();
      const old = await call('GET', `/api/v2/tenants/${tenant.id}/usage?period=2020-01`, t.adminHeaders);
      expect(old.data).toMatchObject({
        period: '2020-01',
        billing_period: { start: '2020-01-01T00:00:00Z', end: '2020-01-31T23:59:59Z', days_remaining: 0 },
      });
      const bad = await call('GET', `/api/v2/tenants/${tenant.id}/usage?period=January`, t.adminHeaders);
      expect(bad.status).toBe(400);
      expect((bad.body.error as Body).details).toMatchObject({ field: 'period' });
    });
  });

  describe.skipIf(skip)('POST /api/v2/tenants/:id/credentials/rotate', () => {
    it.each([
      ['api_key', /^fd_live_/],
      ['test_key', /^fd_test_/],
      ['webhook_secret', /^whsec_/],
      ['oauth_client', /^fd_cs_/],
      ['widget_token', /^fd_wt_/],
      ['owner_token', /^fd_ot_/],
    ])('rotates the %s and returns the new value once', async (credential, prefix) => {
      const tenant = await t.createTenant();
      const res = await call('POST', `/api/v2/tenants/${tenant.id}/credentials/rotate`, asKey(tenant), { credential });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({
        credential,
        value: expect.stringMatching(prefix),
        created_at: expect.any(String),
      });
      // The replaced webhook secret keeps verifying for the default grace window.
      if (credential === 'webhook_secret')
        expect(await t.deps.services.credentials.webhookSecrets(tenant.id)).toEqual([
          res.data.value,
          tenant.credentials.webhook_secret,
        ]);
    });

    it('rejects an unknown credential kind', async () => {
      const tenant = await t.createTenant();
      const res = await call('POST', `/api/v2/tenants/${tenant.id}/credentials/rotate`, asKey(tenant), {
        credential: 'master_key',
      });
      expect(res.status).toBe(400);
      expect((res.body.error as Body).details).toMatchObject({ field: 'credential' });
    });
  });

  describe.skipIf(skip)('audit log', () => {
    it('records every admin and configuration change with who, what, when and masked before/after', async () => {
      const created = await call('POST', '/api/v2/tenants', t.adminHeaders, {
        name: 'Audited',
        configuration: { channels: { slack: { bot_token: 'xoxb-audit-before' } } },
      });
      const id = String(created.data.tenant_id);
      const key = { 'x-api-key': (created.data.api_keys as { primary: string }).primary };
      const updated = await call('PUT', `/api/v2/tenants/${id}`, t.adminHeaders, { name: 'Audited 2', plan: 'pro' });
      const config = await call('PUT', `/api/v2/tenants/${id}/config`, key, {
        configuration: {
          channels: { slack: { bot_token: 'xoxb-audit-after' } },
          chatbot: { confidence_threshold: 0.6 },
        },
      });
      const user = await call('POST', `/api/v2/tenants/${id}/users`, key, {
        email: 'audited@example.com',
        role: 'admin',
      });
      const rotated = await call('POST', `/api/v2/tenants/${id}/credentials/rotate`, key, { credential: 'api_key' });

      const log = await call('GET', `/api/v2/tenants/${id}/audit?limit=100`, t.adminHeaders);
      expect(log.status).toBe(200);
      const entries = (log.data.entries as Body[]).slice().reverse();
      expect(entries.map((e) => e.action)).toEqual([
        'tenant.created',
        'tenant.updated',
        'tenant.config_updated',
        'user.created',
        'credential.rotated',
      ]);
      const [e0, e1, e2, e3, e4] = entries as [Body, Body, Body, Body, Body];
      expect(e0).toMatchObject({
        tenant_id: id,
        actor: { kind: 'admin' },
        request_id: created.requestId,
        target: { type: 'tenant', id },
      });
      expect(e1).toMatchObject({
        actor: { kind: 'admin' },
        request_id: updated.requestId,
        before: { name: 'Audited', plan: 'free' },
        after: { name: 'Audited 2', plan: 'pro' },
      });
      expect(e2).toMatchObject({
        actor: { kind: 'tenant-key', id: expect.stringMatching(/^cred_/) },
        request_id: config.requestId,
        before: { channels: { slack: { bot_token: '***hidden***' } } },
        after: {
          channels: { slack: { bot_token: '***hidden***' } },
          chatbot: { confidence_threshold: 0.6 },
          changes_applied: ['channels.slack.bot_token', 'chatbot.confidence_threshold'],
        },
      });
      expect(e3).toMatchObject({
        actor: { kind: 'tenant-key' },
        request_id: user.requestId,
        target: { type: 'user', id: user.data.user_id },
        after: { email: 'audited@example.com', role: 'admin' },
      });
      expect(e4).toMatchObject({ request_id: rotated.requestId, target: { type: 'credential', id: 'api_key' } });
      for (const e of entries) expect(Date.parse(String(e.created_at))).not.toBeNaN();

      const rows = await t.deps.database.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', id).execute();
      const raw = JSON.stringify(rows);
      for (const secret of [
        'xoxb-audit-before',
        'xoxb-audit-after',
        rotated.data.value as string,
        (created.data.api_keys as { primary: string }).primary,
      ])
        expect(raw).not.toContain(secret);
    });

    it('lets a tenant read its own log and only its own', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const own = await call('GET', `/api/v2/tenants/${a.id}/audit`, asKey(a));
      expect(own.status).toBe(200);
      expect((own.data.entries as Body[]).every((e) => e.tenant_id === a.id)).toBe(true);
      expect((own.data.entries as Body[]).length).toBeGreaterThan(0);
      expect((await call('GET', `/api/v2/tenants/${b.id}/audit`, asKey(a))).status).toBe(403);
      expect((await call('GET', '/api/v2/audit', asKey(a))).status).toBe(403);
    });

    it('lets the admin read the platform log, filtered by action', async () => {
      const a = await t.createTenant();
      const res = await call('GET', '/api/v2/audit?action=tenant.created&limit=100', { 'x-admin-api-key': ADMIN_KEY });
      expect(res.status).toBe(200);
      const entries = res.data.entries as Body[];
      expect(entries.every((e) => e.action === 'tenant.created')).toBe(true);
      expect(entries.map((e) => e.tenant_id)).toContain(a.id);
    });
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(
      () => t,
      [
        { method: 'GET', path: '/api/v2/tenants' },
        { method: 'POST', path: '/api/v2/tenants', payload: { name: 'Sneaky' } },
        { method: 'GET', path: '/api/v2/tenants/:tenant' },
        { method: 'PUT', path: '/api/v2/tenants/:tenant', payload: { name: 'Hijacked' } },
        { method: 'DELETE', path: '/api/v2/tenants/:tenant' },
        { method: 'GET', path: '/api/v2/tenants/:tenant/config' },
        {
          method: 'PUT',
          path: '/api/v2/tenants/:tenant/config',
          payload: { configuration: { chatbot: { default_greeting: 'pwned' } } },
        },
        { method: 'GET', path: '/api/v2/tenants/:tenant/users' },
        { method: 'POST', path: '/api/v2/tenants/:tenant/users', payload: { email: 'spy@example.com' } },
        { method: 'GET', path: '/api/v2/tenants/:tenant/billing' },
        { method: 'GET', path: '/api/v2/tenants/:tenant/usage' },
        { method: 'POST', path: '/api/v2/tenants/:tenant/credentials/rotate', payload: { credential: 'api_key' } },
        { method: 'GET', path: '/api/v2/tenants/:tenant/audit' },
        { method: 'GET', path: '/api/v2/audit' },
      ],
    );
  });
});
