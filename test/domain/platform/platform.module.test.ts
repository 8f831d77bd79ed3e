import { afterEach, describe, expect, it } from 'vitest';
import { cliActor } from '../../../src/domain/actor.js';
import { createPlatformModule } from '../../../src/domain/platform/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

describe.each(dialects)('platform module on $label', ({ dialect, skip }) => {
  // The demo tenant is decided per installation, so each case starts from an empty database.
  let opened: TenantServices[] = [];
  const installation = async () => {
    const s = await openTenantServices(dialect);
    opened.push(s);
    return { s, platform: createPlatformModule({ db: s.test.database.db, clock: systemClock, tenants: s.tenants }) };
  };
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened = [];
  });

  it.skipIf(skip)('creates the demo tenant on the first start of an empty installation, and only then', async () => {
    const { s, platform } = await installation();
    const created = await platform.ensureDemoTenant();
    expect(created?.tenant).toMatchObject({ id: 'demo', name: 'Demo Home Services', plan: 'pro' });
    expect((await s.tenants.get('demo')).timezone).toBe('America/New_York');
    expect(await platform.ensureDemoTenant()).toBeUndefined();
    expect((await s.tenants.list({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it.skipIf(skip)('does not bring the demo tenant back once it was deleted', async () => {
    const { s, platform } = await installation();
    await platform.ensureDemoTenant();
    await s.tenants.remove(cliActor, 'demo');
    expect(await platform.ensureDemoTenant()).toBeUndefined();
    expect((await s.tenants.list({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it.skipIf(skip)('leaves an installation that already has tenants alone', async () => {
    const { s, platform } = await installation();
    await s.tenants.create(cliActor, { tenant_id: 'acme', name: 'Acme' });
    expect(await platform.ensureDemoTenant()).toBeUndefined();
    expect((await s.tenants.list({ limit: 10, offset: 0 })).tenants.map((t) => t.id)).toEqual(['acme']);
  });

  it.skipIf(skip)('creates one demo tenant when two processes of a fleet start together', async () => {
    const { s, platform } = await installation();
    const other = createPlatformModule({ db: s.test.database.db, clock: systemClock, tenants: s.tenants });
    const results = await Promise.all([platform.ensureDemoTenant(), other.ensureDemoTenant()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await s.tenants.list({ limit: 10, offset: 0 })).total).toBe(1);
  });

  it.skipIf(skip)(
    'keeps the automation switch in the database: running at first, then as last set by any process',
    async () => {
      const { s, platform } = await installation();
      const other = createPlatformModule({ db: s.test.database.db, clock: systemClock, tenants: s.tenants });
      expect(await platform.automation.state()).toEqual({ running: true, changedAt: null });
      expect((await platform.automation.stop()).running).toBe(false);
      expect(await other.automation.isRunning()).toBe(false);
      await other.automation.start();
      expect(await platform.automation.isRunning()).toBe(true);
      expect((await platform.automation.state()).changedAt).not.toBeNull();
    },
  );
});
