import { z } from 'zod';

/**
 * The CRM's section of the tenant configuration (`crm_config`): which CRM, and the credentials
 * and endpoints of each (secret-named keys are sealed at rest). The tenant configuration schema
 * composes it; this file imports nothing of ours so that it can.
 */
export const crmConfigSection = z.looseObject({
  provider: z.enum(['hubspot', 'salesforce', 'none']).optional(),
  hubspot_portal_id: z.string().optional(),
  salesforce_instance: z.string().optional(),
});
export type CrmConfig = z.infer<typeof crmConfigSection>;
