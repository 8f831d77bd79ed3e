import type { LocalEngine } from '../../engine/local.js';
import type { Fetch } from '../../providers/http/guarded-fetch.js';
import type { TenantsService } from '../tenants/index.js';
import { createTenantAiService, type TenantAiService } from './tenant-ai.js';

export { aiConfigSection, aiModelsSection, enrichmentSection, scoringSection } from './ai.config.js';
export { DIALOG_DEFAULTS, dialogConfigFrom, type DialogTenant } from './dialog-config.js';
export { engineContextFrom, type TenantAi, type TenantAiService } from './tenant-ai.js';

/**
 * Each tenant's AI: its engine (LLM chain ending at the local engine, enrichment vendor) and the
 * dialog settings read from its configuration. `local` is asked for on first use; `fetch` is the
 * SSRF-guarded client every vendor call goes through.
 */
export function createAiModule(ports: {
  local: () => Promise<LocalEngine>;
  tenants: Pick<TenantsService, 'get' | 'getConfigWithSecrets'>;
  fetch: Fetch;
}): { tenantAi: TenantAiService } {
  return { tenantAi: createTenantAiService(ports) };
}
