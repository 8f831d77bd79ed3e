import type { Db } from '../../store/db.js';
import type { CreatedTenant, TenantsService } from '../tenants/index.js';
import { ensureDemoTenant } from './demo.service.js';
import { createPlatformStateRepo } from './platform-state.repo.js';

/** The installation itself: the demo tenant an empty installation starts with. */
export function createPlatformModule(ports: { db: Db; tenants: Pick<TenantsService, 'list' | 'create'> }): {
  /** Creates the demo tenant on the first start of an empty installation; undefined when it did not. */
  ensureDemoTenant(): Promise<CreatedTenant | undefined>;
} {
  const state = createPlatformStateRepo(ports.db);
  return { ensureDemoTenant: () => ensureDemoTenant({ state, tenants: ports.tenants }) };
}
