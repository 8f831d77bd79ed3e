import { z } from 'zod';

/** Endpoint classes a rate limit is counted per (spec A's table names three; the others have one `api` class). */
export const RATE_LIMIT_CLASSES = ['webhooks', 'management', 'analytics', 'api'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

const windowLimit = z.number().int().min(1).max(1_000_000_000);

/** Per-tenant rate-limit override (`rate_limits`), set by the platform admin only (benchmarks, trusted integrations). */
export const rateLimitOverrideSchema = z.strictObject({
  /** Scales every plan limit of the tenant (10 = ten times the plan's numbers). */
  multiplier: z.number().positive().max(100_000).optional(),
  /** Exact numbers per class and window, replacing the plan's (and the multiplier) for that window. */
  classes: z
    .partialRecord(
      z.enum(RATE_LIMIT_CLASSES),
      z.strictObject({ burst: windowLimit.optional(), minute: windowLimit.optional(), hour: windowLimit.optional() }),
    )
    .optional(),
});
export type RateLimitOverride = z.infer<typeof rateLimitOverrideSchema>;
