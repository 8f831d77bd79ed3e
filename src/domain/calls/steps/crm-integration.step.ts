import type { CrmService } from '../../crm/index.js';
import { AppError } from '../../errors.js';
import type { LeadsService } from '../../leads/index.js';
import { StepFailure, type StepOutcome, type StepRunner } from '../step.js';

/** `crm_integration`: the lead goes to the tenant's CRM; each attempt is a `crm_integrations` record. */
export function crmIntegrationStep(deps: { crm: CrmService; leads: LeadsService }): StepRunner {
  return async (input): Promise<StepOutcome> => {
    const crm = input.config.crm_config.provider;
    if (!crm || crm === 'none') return { status: 'skipped', reason: 'no CRM configured (crm_config.provider)' };
    if (!input.request.leadId) return { status: 'skipped', reason: 'no lead to sync' };
    const lead = await deps.leads.get(input.tenantId, input.request.leadId);
    try {
      const record = await deps.crm.syncLead(input.tenantId, lead, {
        crm,
        requestId: input.request.id,
        ...(input.config.crm_config.pipeline_id ? { pipelineId: input.config.crm_config.pipeline_id } : {}),
        ...(input.config.crm_config.owner_email ? { ownerEmail: input.config.crm_config.owner_email } : {}),
      });
      return { status: 'completed', output: { crm, crm_record_id: record.recordId, sync_id: record.id } };
    } catch (err) {
      if (err instanceof AppError && err.code === 'UPSTREAM_CRM') {
        throw new StepFailure(err.message, 'CRM_INTEGRATION_ERROR', err.details.retryable !== false);
      }
      if (err instanceof AppError && err.code === 'VALIDATION')
        throw new StepFailure(err.message, 'CRM_INTEGRATION_ERROR', false);
      throw err;
    }
  };
}
