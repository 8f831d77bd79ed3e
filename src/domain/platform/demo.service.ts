import { cliActor } from '../actor.js';
import type { CreatedTenant, TenantsService } from '../tenants/index.js';
import type { PlatformStateRepo } from './platform-state.repo.js';

export const DEMO_TENANT_ID = 'demo';

/**
 * On the first start of an empty installation, creates a demo tenant so the printed curl
 * commands work at once. Runs once per database, even if the demo tenant is later deleted.
 */
export async function ensureDemoTenant(deps: {
  state: PlatformStateRepo;
  tenants: Pick<TenantsService, 'list' | 'create'>;
}): Promise<CreatedTenant | undefined> {
  const { total } = await deps.tenants.list({ limit: 1, offset: 0 });
  if (total > 0) return undefined;
  if (!(await deps.state.setIfAbsent('demo_tenant_created', new Date().toISOString()))) return undefined;
  return deps.tenants.create(cliActor, {
    tenant_id: DEMO_TENANT_ID,
    name: 'Demo Home Services',
    plan: 'pro',
    timezone: 'America/New_York',
    configuration: {
      chatbot: { default_greeting: 'Hi! Thanks for contacting Demo Home Services. How can we help?' },
      business_hours: {
        monday: { start: '08:00', end: '18:00' },
        tuesday: { start: '08:00', end: '18:00' },
        wednesday: { start: '08:00', end: '18:00' },
        thursday: { start: '08:00', end: '18:00' },
        friday: { start: '08:00', end: '17:00' },
        saturday: { closed: true },
        sunday: { closed: true },
      },
      ai_config: { lead_scoring_threshold: 70 },
      notification_config: { high_value_threshold: 80 },
    },
  });
}
