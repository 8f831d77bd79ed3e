import { z } from 'zod';

const email = z.string().trim().toLowerCase().email().max(254);
/** Long enough to resist guessing; argon2 takes any length, the cap keeps hashing cheap. */
const password = z.string().min(10, 'must be at least 10 characters').max(256);

export const invitationParams = z.object({ token: z.string().min(8).max(200) });
export const acceptInvitationBody = z.object({
  password,
  first_name: z.string().trim().min(1).max(100),
  last_name: z.string().trim().min(1).max(100).optional(),
});
export const passwordSignInBody = z.object({
  email,
  password: z.string().min(1).max(256),
  /** Needed only when the e-mail belongs to people of several tenants. */
  tenant_id: z.string().min(1).max(64).optional(),
});
export const magicLinkBody = z.object({ email });
export const magicLinkParams = z.object({ token: z.string().min(8).max(200) });
export const ownerLinkQuery = z.object({ token: z.string().min(8).max(200) });
export const adminSessionBody = z.object({ key: z.string().min(1).max(512) });
