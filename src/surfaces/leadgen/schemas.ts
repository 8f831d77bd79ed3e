import { z } from 'zod';
import { e164PhoneSchema, listedLeadSchema } from '../../domain/leads/index.js';

/** Spec B's lead statuses; views.ts maps them to and from the domain's (docs/api/leadgen.md). */
export const LEADGEN_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export type LeadgenStatus = (typeof LEADGEN_STATUSES)[number];

/** Spec B's subscription tiers (the plans catalogue's `pro` is not one of them). */
export const TIERS = ['free', 'starter', 'growth', 'enterprise'] as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);

export const leadParams = z.object({ lead_id: z.string().min(1).max(64) });
export const tenantParams = z.object({ tenant_id: z.string().min(1).max(64) });

export const listLeadsQuery = z.object({
  status: z.enum(LEADGEN_STATUSES).optional(),
  city: trimmed(120).optional(),
  niche: trimmed(80).optional(),
  is_hot_lead: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const createLeadBody = listedLeadSchema;

/** Every field optional; `null` clears one (the phone, the lead's key, cannot be cleared). */
export const updateLeadBody = z
  .object({
    company_name: trimmed(300).nullable(),
    contact_name: trimmed(300).nullable(),
    phone: e164PhoneSchema,
    email: z.email('must be a valid email address').max(320).nullable(),
    city: trimmed(120).nullable(),
    category: trimmed(120).nullable(),
    niche: trimmed(80).nullable(),
    status: z.enum(LEADGEN_STATUSES),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'name at least one field to change' });

export const leadResponse = z.object({
  id: z.string(),
  company_name: z.string().nullable(),
  contact_name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  city: z.string().nullable(),
  niche: z.string().nullable(),
  category: z.string().nullable(),
  status: z.enum(LEADGEN_STATUSES),
  lead_score: z.number(),
  is_hot_lead: z.boolean(),
  source: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createdLeadResponse = z.object({
  id: z.string(),
  status: z.enum(LEADGEN_STATUSES),
  lead_score: z.number(),
  created_at: z.string(),
});

/** Who the tenant is and what it targets; kept in the tenant configuration's `leadgen` section. */
export const tenantProfileSchema = z.object({
  contact_name: trimmed(200).optional(),
  contact_phone: e164PhoneSchema.optional(),
  contact_email: z.email('must be a valid email address').max(320).optional(),
  industry: trimmed(80).optional(),
  target_niches: z.array(trimmed(80)).max(50).optional(),
  target_cities: z.array(trimmed(120)).max(200).optional(),
});

export const createTenantBody = tenantProfileSchema.extend({
  company_name: trimmed(200),
  tier: z.enum(TIERS).default('free'),
});

export const upgradeBody = z.object({ tier: z.enum(TIERS) });

export const tenantResponse = z.object({
  id: z.string(),
  company_name: z.string(),
  contact_name: z.string().nullable(),
  contact_phone: z.string().nullable(),
  contact_email: z.string().nullable(),
  industry: z.string().nullable(),
  target_niches: z.array(z.string()),
  target_cities: z.array(z.string()),
  tier: z.string(),
  status: z.string(),
  created_at: z.string(),
});

export const createdTenantResponse = tenantResponse.extend({
  /** Shown this once; only its hash is kept. */
  api_key: z.string(),
});

export const platformStatsResponse = z.object({
  total_tenants: z.number().int(),
  active_tenants: z.number().int(),
  trial_tenants: z.number().int(),
  total_calls_made: z.number().int(),
  total_leads_generated: z.number().int(),
  is_running: z.boolean(),
});

export const automationResponse = z.object({
  is_running: z.boolean(),
  changed_at: z.string().nullable(),
});
