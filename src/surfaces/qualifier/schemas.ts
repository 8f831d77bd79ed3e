import { z } from 'zod';
import { TIME_BUCKETS } from '../../domain/analytics/index.js';
import { BATCH_PRIORITIES, LEAD_OUTCOMES } from '../../domain/leads/index.js';
import { ANALYTICS_PERIODS } from './views.js';

export { qualifyLeadSchema } from '../../domain/leads/index.js';

/** Leads are validated one by one when the batch runs, so one bad lead fails alone instead of the whole batch. */
export const batchQualifySchema = z.object({
  leads: z.array(z.record(z.string(), z.unknown())).min(1, 'must contain at least one lead'),
  webhook_url: z.url().optional(),
  priority: z.enum(Object.keys(BATCH_PRIORITIES) as [keyof typeof BATCH_PRIORITIES]).default('normal'),
});

export const batchParams = z.object({ batch_id: z.string().min(1).max(64) });
export const leadParams = z.object({ lead_id: z.string().min(1).max(64) });

export const analyticsQuery = z.object({
  period: z.enum(Object.keys(ANALYTICS_PERIODS) as [keyof typeof ANALYTICS_PERIODS]).default('30d'),
  group_by: z.enum(TIME_BUCKETS).default('day'),
});

export const outcomeSchema = z.object({ outcome: z.enum(LEAD_OUTCOMES) });

export const crmSyncSchema = z.object({
  lead_id: z.string().min(1).max(64),
  crm: z.enum(['hubspot', 'salesforce']),
  pipeline_id: z.string().max(100).optional(),
  owner_email: z.email().optional(),
});
