import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { hashKey } from '../../../src/lib/secrets.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from './services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: null, mode: 'live' };

describe.each(dialects)('credentials service on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let n = 0;
  const newTenant = async () => {
    n += 1;
    return s.tenants.create(admin, { name: `C${n}`, tenant_id: `c${n}-${dialect}` });
  };

  beforeAll(async () => {
    if (!skip) s = await openTenantServices(dialect);
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  describe.skipIf(skip)('storage', () => {
    it('keeps only hashes of keys and tokens, and the webhook secret sealed', async () => {
      const { tenant, credentials } = await newTenant();
      const rows = await s.test.database.db
        .selectFrom('credentials')
        .selectAll()
        .where('tenant_id', '=', tenant.id)
        .execute();
      const raw = JSON.stringify(rows);
      for (const value of [
        credentials.api_key,
        credentials.test_key,
        credentials.webhook_secret,
        credentials.client_secret,
        credentials.widget_token,
        credentials.owner_token,
      ]) {
        expect(raw).not.toContain(value);
      }
      expect(rows.find((r) => r.kind === 'api_key')?.key_hash).toBe(hashKey(credentials.api_key));
      expect(rows.find((r) => r.kind === 'webhook_secret')?.key_hash).toBeNull();
      expect(await s.credentials.webhookSecrets(tenant.id)).toEqual([credentials.webhook_secret]);
    });
  });

  describe.skipIf(skip)('authentication', () => {
    it('maps each token kind to its principal', async () => {
      const { tenant, credentials } = await newTenant();
      expect(await s.credentials.authenticate(credentials.api_key)).toMatchObject({
        kind: 'tenant-key',
        tenantId: tenant.id,
        live: true,
      });
      expect(await s.credentials.authenticate(credentials.test_key)).toMatchObject({
        kind: 'tenant-key',
        tenantId: tenant.id,
        live: false,
      });
      expect(await s.credentials.authenticate(credentials.widget_token)).toMatchObject({
        kind: 'widget',
        tenantId: tenant.id,
      });
      expect(await s.credentials.authenticate(credentials.owner_token)).toMatchObject({
        kind: 'owner',
        tenantId: tenant.id,
      });
      expect(await s.credentials.authenticate(credentials.webhook_secret)).toBeUndefined();
      expect(await s.credentials.authenticate(credentials.client_secret)).toBeUndefined();
      expect(await s.credentials.authenticate('fd_live_unknown')).toBeUndefined();
    });

    it('checks an OAuth client’s secret and names its tenant', async () => {
      const { tenant, credentials } = await newTenant();
      expect(await s.credentials.verifyClient(credentials.client_id, credentials.client_secret)).toBe(tenant.id);
      expect(await s.credentials.verifyClient(credentials.client_id, 'fd_cs_wrong')).toBeUndefined();
      expect(await s.credentials.verifyClient('client_unknown', credentials.client_secret)).toBeUndefined();
    });
  });

  describe.skipIf(skip)('rotation', () => {
    it('revokes only the rotated kind, at once, even after a cached lookup', async () => {
      const { tenant, credentials } = await newTenant();
      expect(await s.credentials.authenticate(credentials.api_key)).toBeDefined();
      const rotated = await s.credentials.rotate(tenant.id, 'api_key');
      expect(await s.credentials.authenticate(credentials.api_key)).toBeUndefined();
      expect(await s.credentials.authenticate(rotated.value)).toMatchObject({ tenantId: tenant.id });
      expect(await s.credentials.authenticate(credentials.test_key)).toBeDefined();
      expect((await s.credentials.list(tenant.id)).filter((c) => c.kind === 'api_key')).toHaveLength(1);
    });

    it('replaces the OAuth client with a new id and secret', async () => {
      const { tenant, credentials } = await newTenant();
      const rotated = await s.credentials.rotate(tenant.id, 'oauth_client');
      expect(rotated.client_id).not.toBe(credentials.client_id);
      expect(await s.credentials.verifyClient(credentials.client_id, credentials.client_secret)).toBeUndefined();
      expect(await s.credentials.verifyClient(rotated.client_id ?? '', rotated.value)).toBe(tenant.id);
    });

    it('does not touch another tenant’s credentials', async () => {
      const a = await newTenant();
      const b = await newTenant();
      await s.credentials.rotate(a.tenant.id, 'api_key');
      expect(await s.credentials.authenticate(b.credentials.api_key)).toMatchObject({ tenantId: b.tenant.id });
    });
  });
});
