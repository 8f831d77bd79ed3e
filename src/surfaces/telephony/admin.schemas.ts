import { z } from 'zod';
import { PLANS, TENANT_STATUSES, timezoneSchema } from '../../domain/tenants/index.js';

/** `/v1/admin/*` takes the platform admin key only. */
export const ADMIN_AUTH = { allow: ['admin'] } as const;

export const businessParams = z.object({ business_id: z.string().min(1).max(64) });

export const createBusinessBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    business_id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - only, at most 64')
      .optional(),
    plan: z.enum(PLANS).optional(),
    status: z.enum(TENANT_STATUSES).optional(),
    timezone: timezoneSchema.optional(),
  })
  .meta({ examples: [{ name: 'Acme Plumbing', business_id: 'acme-plumbing', timezone: 'America/Denver' }] });

export const updateBusinessBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    plan: z.enum(PLANS),
    status: z.enum(TENANT_STATUSES),
    timezone: timezoneSchema,
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'name at least one field to change' })
  .meta({ examples: [{ status: 'suspended' }] });

export const demoTenantBody = z
  .object({ name: z.string().trim().min(1).max(200).default('Demo Home Services') })
  .meta({ examples: [{ name: 'Demo Home Services' }] });

export const listBusinessesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const usageQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .optional(),
});

export const businessView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  plan: z.string(),
  timezone: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createdBusinessView = z.object({
  business: businessView,
  api_key: z.string(),
  widget_token: z.string(),
  owner_token: z.string(),
});

export const demoTenantView = createdBusinessView.extend({ customers: z.number(), appointments: z.number() });

export const rotatedKeyView = z.object({ business_id: z.string(), api_key: z.string() });
export const rotatedWidgetTokenView = z.object({ business_id: z.string(), widget_token: z.string() });

export const usageRowView = z.object({
  business_id: z.string(),
  name: z.string(),
  status: z.string(),
  period: z.string(),
  api_calls: z.number(),
  sms_messages: z.number(),
  conversations: z.number(),
  appointments: z.number(),
  emergencies: z.number(),
  service_mix: z.record(z.string(), z.number()),
});
