import { z } from 'zod';
import { PLANS, TENANT_STATUSES } from './plans.js';
import { timezoneSchema } from './tenant-config.schema.js';

export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const tenantIdSchema = z
  .string()
  .regex(TENANT_ID, 'must start with a letter or digit and contain only letters, digits, _ and - (at most 64)');

export const ROLES = ['owner', 'admin', 'agent', 'developer', 'analyst', 'viewer'] as const;
export const PERMISSIONS = [
  'conversations:read',
  'conversations:write',
  'integrations:read',
  'integrations:write',
  'analytics:read',
  'leads:read',
  'leads:write',
  'settings:read',
  'settings:write',
  'users:read',
  'users:write',
  'billing:read',
] as const;

export const adminUserSchema = z.object({
  email: z.email(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  role: z.enum(ROLES).default('owner'),
});

/** Everything a tenant can be created with; the configuration is validated separately so its errors carry full paths. */
export const createTenantSchema = z.object({
  tenant_id: tenantIdSchema.optional(),
  name: z.string().trim().min(1).max(200),
  domain: z.string().max(253).optional(),
  plan: z.enum(PLANS).default('free'),
  status: z.enum(TENANT_STATUSES).default('active'),
  timezone: timezoneSchema.optional(),
  admin_user: adminUserSchema.optional(),
  configuration: z.record(z.string(), z.unknown()).default({}),
  features: z.record(z.string(), z.unknown()).optional(),
});
export type CreateTenantInput = z.input<typeof createTenantSchema>;

export const updateTenantSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  domain: z.string().max(253).nullable().optional(),
  plan: z.enum(PLANS).optional(),
  status: z.enum(TENANT_STATUSES).optional(),
  timezone: timezoneSchema.optional(),
  configuration: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateTenantInput = z.input<typeof updateTenantSchema>;

export const createUserSchema = z.object({
  email: z.email(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  role: z.enum(ROLES).default('agent'),
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
  department: z.string().max(100).optional(),
  send_invitation: z.boolean().default(true),
  invitation_message: z.string().max(2000).optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

/** Permissions a role has when none are given. */
export const rolePermissions: Record<(typeof ROLES)[number], (typeof PERMISSIONS)[number][]> = {
  owner: [...PERMISSIONS],
  admin: [...PERMISSIONS],
  agent: ['conversations:read', 'conversations:write', 'leads:read'],
  developer: ['integrations:read', 'integrations:write', 'settings:read', 'analytics:read'],
  analyst: ['analytics:read', 'conversations:read', 'leads:read'],
  viewer: ['conversations:read', 'analytics:read'],
};
