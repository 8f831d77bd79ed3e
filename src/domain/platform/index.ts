import type { Clock } from '../../lib/clock.js';
import type { Db } from '../../store/db.js';
import type { CreatedTenant, TenantsService } from '../tenants/index.js';
import { createAutomation, type Automation } from './automation.js';
import { ensureDemoTenant } from './demo.service.js';
import { createPlatformStateRepo } from './platform-state.repo.js';
import { createPlatformStatsRepo, type PlatformCounts } from './platform-stats.repo.js';

export type { Automation, AutomationState } from './automation.js';
export type { PlatformCounts } from './platform-stats.repo.js';

/** The installation itself: the demo tenant, the automation switch and installation-wide counts. */
export interface PlatformService {
  /** Creates the demo tenant on the first start of an empty installation; undefined when it did not. */
  ensureDemoTenant(): Promise<CreatedTenant | undefined>;
  /** Whether outbound automation (campaign calling) may run; schedulers ask before each run. */
  automation: Automation;
  /** Tenants, calls and leads across the installation, with the automation state. */
  stats(): Promise<PlatformCounts & { running: boolean }>;
}

export function createPlatformModule(ports: {
  db: Db;
  clock: Clock;
  tenants: Pick<TenantsService, 'list' | 'create'>;
}): PlatformService {
  const state = createPlatformStateRepo(ports.db);
  const automation = createAutomation(state, ports.clock);
  const counts = createPlatformStatsRepo(ports.db);
  return {
    ensureDemoTenant: () => ensureDemoTenant({ state, tenants: ports.tenants }),
    automation,
    async stats() {
      const [c, running] = await Promise.all([counts.counts(), automation.isRunning()]);
      return { ...c, running };
    },
  };
}
