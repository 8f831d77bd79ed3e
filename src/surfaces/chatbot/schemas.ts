import { z } from 'zod';
import { CREDENTIAL_KINDS, PLANS, TENANT_STATUSES, ROLES } from '../../domain/tenants/index.js';

export { createTenantSchema, createUserSchema, updateTenantSchema } from '../../domain/tenants/index.js';

export const tenantParams = z.object({ id: z.string().min(1).max(64) });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const listTenantsQuery = pageQuery.extend({
  status: z.enum(TENANT_STATUSES).optional(),
  plan: z.enum(PLANS).optional(),
});

export const listUsersQuery = pageQuery.extend({ role: z.enum(ROLES).optional() });

export const updateConfigBody = z.object({
  configuration: z.record(z.string(), z.unknown()),
});

export const usageQuery = z.object({
  period: z
    .string()
    .regex(/^(current_month|previous_month|\d{4}-(0[1-9]|1[0-2]))$/, 'must be current_month, previous_month or YYYY-MM')
    .default('current_month'),
  detailed: z.enum(['true', 'false']).optional(),
});

export const rotateBody = z.object({
  credential: z.enum(CREDENTIAL_KINDS),
});

export const auditQuery = pageQuery.extend({ action: z.string().max(64).optional() });
