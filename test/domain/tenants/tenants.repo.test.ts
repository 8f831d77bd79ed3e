import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantsRepo, type TenantsRepo } from '../../../src/domain/tenants/tenants.repo.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

// The repo is the unit here: its versioned write is what the service's optimistic concurrency rests on.
describe.each(dialects)('tenants repo on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let repo: TenantsRepo;

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    repo = createTenantsRepo(test.database.db);
  });
  afterAll(async () => {
    if (!skip) await test.drop();
  });

  it.skipIf(skip)('writes a configuration only over the version it was read at', async () => {
    const now = new Date().toISOString();
    await repo.insert('t1', {
      name: 'T1',
      domain: null,
      status: 'active',
      plan: 'free',
      timezone: 'UTC',
      config: {},
      configVersion: 1,
      createdAt: now,
      updatedAt: now,
    });
    expect(await repo.updateConfig('t1', 1, { a: 1 }, now)).toBe(true);
    expect(await repo.updateConfig('t1', 1, { a: 2 }, now)).toBe(false);
    expect(await repo.findById('t1')).toMatchObject({ config: { a: 1 }, configVersion: 2 });
  });
});
