import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../../domain/campaigns/index.js';

/** Spec B's campaign bodies and answers. */

const text = (max: number) => z.string().trim().min(1).max(max);

export const createCampaignSchema = z.object({
  name: text(200),
  niche: text(80),
  client_name: text(200),
  client_service: text(200),
  target_cities: z.array(text(120)).min(1).max(50),
  target_lead_count: z.number().int().min(1).max(100_000),
  daily_call_limit: z.number().int().min(1).max(100_000),
});

export const campaignParams = z.object({ campaign_id: z.string().min(1).max(64) });

/** The country a number without `+` is read in (ISO 3166 alpha-2); India by default, as spec B's market. */
export const uploadQuery = z.object({
  default_country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code')
    .default('IN'),
});

export const campaignResponse = z.object({
  id: z.string(),
  name: z.string(),
  niche: z.string(),
  client_name: z.string(),
  client_service: z.string(),
  target_cities: z.array(z.string()),
  target_lead_count: z.number(),
  daily_call_limit: z.number(),
  status: z.enum(CAMPAIGN_STATUSES),
  created_at: z.string(),
  updated_at: z.string(),
});

export const campaignStatsResponse = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  leads_scraped: z.number(),
  leads_called: z.number(),
  leads_qualified: z.number(),
  appointments_booked: z.number(),
  connection_rate: z.number(),
  qualification_rate: z.number(),
  conversion_rate: z.number(),
  /** The tenant's calls placed this month, every campaign's. */
  calls_this_month: z.number(),
  /** The plan's monthly call quota. */
  monthly_call_quota: z.number(),
  /** True once the quota is spent: running campaigns dial again next month. */
  call_quota_reached: z.boolean(),
});

export const uploadReportResponse = z.object({
  accepted: z.number(),
  rejected: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
});
