import { z } from 'zod';

/** Spec A's client-credentials token request. */
export const tokenRequestSchema = z.object({
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(1).max(500),
  tenant_id: z.string().min(1).max(64).optional(),
  grant_type: z.literal('client_credentials').optional(),
  scope: z.string().max(200).optional(),
});
