import { z } from 'zod';

/** How long a rotated-out webhook secret keeps verifying unless the tenant sets `security.webhook_secret_grace_hours`. */
export const DEFAULT_WEBHOOK_SECRET_GRACE_HOURS = 24;

/** The credentials' section of the tenant configuration (`security`). */
export const securitySection = z.looseObject({
  /** How long a rotated-out webhook secret still verifies (default 24); 0 is a hard cut-over. */
  webhook_secret_grace_hours: z.number().min(0).max(168).optional(),
});
