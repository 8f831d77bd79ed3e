import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor, type Actor } from '../../../src/domain/actor.js';
import { AppError } from '../../../src/domain/errors.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from './services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: 'req_test', mode: 'live' };

describe.each(dialects)('tenants service on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let n = 0;
  const newTenant = async (configuration: Record<string, unknown> = {}) => {
    n += 1;
    return (await s.tenants.create(admin, { name: `T${n}`, tenant_id: `t${n}-${dialect}`, configuration })).tenant;
  };

  beforeAll(async () => {
    if (!skip) s = await openTenantServices(dialect);
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  describe.skipIf(skip)('configuration versions', () => {
    it('applies concurrent updates of different settings without losing either', async () => {
      const tenant = await newTenant({ chatbot: { default_greeting: 'Hello' } });
      const results = await Promise.all([
        s.tenants.updateConfig(admin, tenant.id, { chatbot: { confidence_threshold: 0.9 } }),
        s.tenants.updateConfig(admin, tenant.id, { branding: { primary_color: '#000000' } }),
        s.tenants.updateConfig(admin, tenant.id, { general: { currency: 'EUR' } }),
      ]);
      expect(results.map((r) => r.configurationVersion).sort()).toEqual([2, 3, 4]);
      const after = await s.tenants.get(tenant.id);
      expect(after.configVersion).toBe(4);
      expect(after.config).toMatchObject({
        chatbot: { default_greeting: 'Hello', confidence_threshold: 0.9 },
        branding: { primary_color: '#000000' },
        general: { currency: 'EUR' },
      });
    });

    it('does not bump the version or write the audit log for a patch that changes nothing', async () => {
      const tenant = await newTenant({ chatbot: { default_greeting: 'Same' } });
      const change = await s.tenants.updateConfig(admin, tenant.id, { chatbot: { default_greeting: 'Same' } });
      expect(change).toMatchObject({ changesApplied: [], configurationVersion: 1 });
      const { entries } = await s.audit.list(tenant.id, { limit: 10, offset: 0, action: 'tenant.config_updated' });
      expect(entries).toEqual([]);
    });

    it('reports the paths that changed and validates the merged result', async () => {
      const tenant = await newTenant({ chatbot: { confidence_threshold: 0.5 } });
      await expect(
        s.tenants.updateConfig(admin, tenant.id, { chatbot: { confidence_threshold: 2 } }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        fields: [expect.objectContaining({ field: 'configuration.chatbot.confidence_threshold' })],
      });
      expect((await s.tenants.get(tenant.id)).configVersion).toBe(1);
    });
  });

  describe.skipIf(skip)('secrets in the configuration', () => {
    it('seals secret-named values at rest and opens them only for getConfigWithSecrets', async () => {
      const tenant = await newTenant({
        crm_config: { provider: 'hubspot', hubspot_access_token: 'pat-na1-secret' },
        ai_models: { providers: { openai: { api_key: 'sk-live-secret' } } },
      });
      const row = await s.test.database.db
        .selectFrom('tenants')
        .select('config')
        .where('id', '=', tenant.id)
        .executeTakeFirst();
      expect(row?.config).not.toContain('pat-na1-secret');
      expect(row?.config).not.toContain('sk-live-secret');
      expect((await s.tenants.get(tenant.id)).config).toMatchObject({
        crm_config: { hubspot_access_token: '***hidden***' },
        ai_models: { providers: { openai: { api_key: '***hidden***' } } },
      });
      expect(await s.tenants.getConfigWithSecrets(tenant.id)).toMatchObject({
        crm_config: { hubspot_access_token: 'pat-na1-secret' },
        ai_models: { providers: { openai: { api_key: 'sk-live-secret' } } },
      });
    });
  });

  describe.skipIf(skip)('deletion', () => {
    it('cascades to credentials, users and usage, erases the tenant’s audit entries and records the deletion', async () => {
      const tenant = await newTenant();
      const db = s.test.database.db;
      await s.users.create(admin, tenant.id, { email: 'u@example.com' });
      s.usage.add(tenant.id, 'api_calls', 3);
      await s.usage.flush();
      await s.tenants.updateConfig(admin, tenant.id, { chatbot: { default_greeting: 'x' } });
      const count = async (table: 'credentials' | 'users' | 'usage_counters' | 'audit_log') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('tenant_id', '=', tenant.id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const table of ['credentials', 'users', 'usage_counters', 'audit_log'] as const)
        expect(await count(table), table).toBeGreaterThan(0);

      await s.tenants.remove(cliActor, tenant.id);

      for (const table of ['credentials', 'users', 'usage_counters', 'audit_log'] as const)
        expect(await count(table), table).toBe(0);
      await expect(s.tenants.get(tenant.id)).rejects.toMatchObject({ code: 'NOT_FOUND', resource: 'tenant' });
      const platform = await s.audit.list(null, { limit: 100, offset: 0, action: 'tenant.deleted' });
      expect(platform.entries.find((e) => e.target.id === tenant.id)).toMatchObject({
        tenant_id: null,
        actor: { kind: 'cli' },
        before: { name: tenant.name },
      });
    });

    it('leaves other tenants untouched', async () => {
      const keep = await newTenant();
      const drop = await newTenant();
      await s.users.create(admin, keep.id, { email: 'stay@example.com' });
      await s.tenants.remove(admin, drop.id);
      expect((await s.users.list(keep.id, { limit: 10, offset: 0 })).total).toBe(1);
      expect((await s.credentials.list(keep.id)).length).toBe(6);
      expect((await s.audit.list(keep.id, { limit: 10, offset: 0 })).total).toBeGreaterThan(0);
    });

    it('answers NOT_FOUND for a tenant that does not exist', async () => {
      await expect(s.tenants.remove(admin, 'nobody')).rejects.toBeInstanceOf(AppError);
    });
  });

  describe.skipIf(skip)('creation', () => {
    it('refuses a duplicate id with CONFLICT and creates nothing more', async () => {
      const tenant = await newTenant();
      await expect(s.tenants.create(admin, { name: 'Again', tenant_id: tenant.id })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect((await s.credentials.list(tenant.id)).length).toBe(6);
    });
  });
});
