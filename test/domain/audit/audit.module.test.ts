import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createAuditModule, type AuditService } from '../../../src/domain/audit/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

const actor: Actor = { kind: 'tenant-key', id: 'cred_1', tenantId: null, requestId: 'req_1', mode: 'live' };
const page = { limit: 50, offset: 0 };

describe.each(dialects)('audit module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let audit: AuditService;
  let n = 0;
  const tenant = () => `audit${++n}-${dialect}`;
  const record = (tenantId: string | null, action: string, after?: unknown) =>
    audit.record(actor, { tenantId, action, targetType: 'tenant', targetId: tenantId, after });

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    audit = createAuditModule({ db: test.database.db, clock: systemClock }).audit;
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  it.skipIf(skip)('records who did what to which target, newest first, with before and after as written', async () => {
    const t = tenant();
    await audit.record(actor, {
      tenantId: t,
      action: 'user.created',
      targetType: 'user',
      targetId: 'user_1',
      after: { email: 'a@example.com', roles: ['agent'] },
    });
    await record(t, 'tenant.updated');
    const { entries, total } = await audit.list(t, page);
    expect(total).toBe(2);
    expect(entries.map((e) => e.action)).toEqual(['tenant.updated', 'user.created']);
    expect(entries[1]).toMatchObject({
      tenant_id: t,
      actor: { kind: 'tenant-key', id: 'cred_1' },
      target: { type: 'user', id: 'user_1' },
      before: null,
      after: { email: 'a@example.com', roles: ['agent'] },
      request_id: 'req_1',
    });
  });

  it.skipIf(skip)('filters by action and pages', async () => {
    const t = tenant();
    for (let i = 0; i < 3; i++) await record(t, 'credential.rotated', { i });
    await record(t, 'tenant.updated');
    const rotated = await audit.list(t, { limit: 2, offset: 0, action: 'credential.rotated' });
    expect(rotated.total).toBe(3);
    expect(rotated.entries).toHaveLength(2);
  });

  it.skipIf(skip)(
    'never lists one tenant’s entries to another, and forgets only the tenant it is asked to',
    async () => {
      const a = tenant();
      const b = tenant();
      await record(a, 'tenant.updated');
      await record(b, 'tenant.updated');
      await record(null, 'tenant.deleted');
      expect((await audit.list(b, page)).entries.every((e) => e.tenant_id === b)).toBe(true);
      await audit.forgetTenant(a);
      expect((await audit.list(a, page)).total).toBe(0);
      expect((await audit.list(b, page)).total).toBe(1);
      const everything = await audit.list(null, { limit: 1000, offset: 0, action: 'tenant.deleted' });
      expect(everything.entries.some((e) => e.tenant_id === null)).toBe(true);
    },
  );
});
