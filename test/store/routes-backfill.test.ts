import { describe, expect, it, vi } from 'vitest';
import { backfillRoutes } from '../../src/compose/index.js';
import type { TenantsService } from '../../src/domain/tenants/index.js';
import { openDatabase } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

describe('the channel-routes backfill', () => {
  const tenants = () => ({ reconcileRoutes: vi.fn(() => Promise.resolve({ keysLeftOut: 0 })) });

  it('runs when the migration run created channel_routes, and not on a start that applied nothing', async () => {
    const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
    try {
      const first = tenants();
      await backfillRoutes(await migrateToLatest(database.db), first as unknown as TenantsService);
      expect(first.reconcileRoutes).toHaveBeenCalledTimes(1);
      const again = tenants();
      await backfillRoutes(await migrateToLatest(database.db), again as unknown as TenantsService);
      expect(again.reconcileRoutes).not.toHaveBeenCalled();
    } finally {
      await database.close();
    }
  });
});
