import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { hashKey } from '../../../src/lib/secrets.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from './services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: 'req_users', mode: 'live' };

describe.each(dialects)('users and audit services on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let n = 0;
  const newTenant = async () => {
    n += 1;
    return (await s.tenants.create(admin, { name: `U${n}`, tenant_id: `u${n}-${dialect}` })).tenant;
  };

  beforeAll(async () => {
    if (!skip) s = await openTenantServices(dialect);
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  describe.skipIf(skip)('users', () => {
    it('treats e-mails case-insensitively within a tenant, and not across tenants', async () => {
      const a = await newTenant();
      const b = await newTenant();
      await s.users.create(admin, a.id, { email: 'Same@Example.com' });
      await expect(s.users.create(admin, a.id, { email: 'same@example.COM' })).rejects.toMatchObject({
        code: 'CONFLICT',
        fields: [expect.objectContaining({ field: 'email' })],
      });
      await expect(s.users.create(admin, b.id, { email: 'same@example.com' })).resolves.toMatchObject({
        email: 'same@example.com',
      });
    });

    it('stores the invitation token only as a hash', async () => {
      const tenant = await newTenant();
      const user = await s.users.create(admin, tenant.id, { email: 'invitee@example.com', role: 'analyst' });
      expect(user.invitationToken).toMatch(/^fd_inv_/);
      const row = await s.test.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(row.invitation_token_hash).toBe(hashKey(user.invitationToken ?? ''));
      expect(JSON.stringify(row)).not.toContain(user.invitationToken);
    });

    it('pages and filters by role', async () => {
      const tenant = await newTenant();
      for (const [email, role] of [
        ['1@x.com', 'agent'],
        ['2@x.com', 'viewer'],
        ['3@x.com', 'agent'],
      ] as const)
        await s.users.create(admin, tenant.id, { email, role });
      expect((await s.users.list(tenant.id, { limit: 2, offset: 0 })).users).toHaveLength(2);
      const agents = await s.users.list(tenant.id, { limit: 10, offset: 0, role: 'agent' });
      expect(agents).toMatchObject({ total: 2 });
      expect(agents.users.map((u) => u.email)).toEqual(['1@x.com', '3@x.com']);
    });
  });

  describe.skipIf(skip)('audit log', () => {
    it('records actor, action, target, request id and JSON before/after', async () => {
      const tenant = await newTenant();
      await s.audit.record(
        { kind: 'tenant-key', id: 'cred_1', tenantId: tenant.id, requestId: 'req_1', mode: 'live' },
        {
          tenantId: tenant.id,
          action: 'thing.changed',
          targetType: 'thing',
          targetId: 'th_1',
          before: { a: 1 },
          after: { a: 2, nested: [1, 2] },
        },
      );
      const { entries } = await s.audit.list(tenant.id, { limit: 1, offset: 0, action: 'thing.changed' });
      expect(entries[0]).toMatchObject({
        tenant_id: tenant.id,
        actor: { kind: 'tenant-key', id: 'cred_1' },
        action: 'thing.changed',
        target: { type: 'thing', id: 'th_1' },
        before: { a: 1 },
        after: { a: 2, nested: [1, 2] },
        request_id: 'req_1',
      });
    });

    it('lists one tenant’s entries to that tenant, and every entry to the platform view', async () => {
      const a = await newTenant();
      const b = await newTenant();
      const ofA = await s.audit.list(a.id, { limit: 100, offset: 0 });
      expect(ofA.entries.every((e) => e.tenant_id === a.id)).toBe(true);
      const all = await s.audit.list(null, { limit: 1000, offset: 0 });
      const tenants = new Set(all.entries.map((e) => e.tenant_id));
      expect(tenants.has(a.id) && tenants.has(b.id)).toBe(true);
    });

    it('forgets a tenant’s entries and keeps platform entries', async () => {
      const tenant = await newTenant();
      await s.audit.record(admin, {
        tenantId: null,
        action: 'platform.noted',
        targetType: 'tenant',
        targetId: tenant.id,
      });
      await s.audit.forgetTenant(tenant.id);
      expect((await s.audit.list(tenant.id, { limit: 10, offset: 0 })).total).toBe(0);
      const platform = await s.audit.list(null, { limit: 10, offset: 0, action: 'platform.noted' });
      expect(platform.entries.map((e) => e.target.id)).toContain(tenant.id);
    });
  });

  describe.skipIf(skip)('usage counters', () => {
    it('sums buffered and concurrent increments', async () => {
      const tenant = await newTenant();
      const period = new Date().toISOString().slice(0, 7);
      for (let i = 0; i < 5; i++) s.usage.add(tenant.id, 'api_calls');
      await Promise.all([
        s.usage.flush(),
        (async () => {
          s.usage.add(tenant.id, 'api_calls', 10);
          await s.usage.flush();
        })(),
      ]);
      expect(await s.usage.get(tenant.id, period)).toEqual({ api_calls: 15 });
      expect(await s.usage.get(tenant.id, '2001-01')).toEqual({});
    });
  });
});
