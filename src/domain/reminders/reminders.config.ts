import { z } from 'zod';

/**
 * The reminder and retention sections of the tenant configuration (`reminders`, `retention`),
 * spec C's settings. This file imports nothing of ours so that the tenant configuration schema can
 * compose it.
 */
export const remindersConfigSection = z.looseObject({
  /** How far ahead upcoming appointments are reminded of; 24 when unset. */
  default_reminder_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
  /** False stops the scheduled reminders and follow-ups (the on-demand routes still run). */
  enabled: z.boolean().optional(),
});
export type RemindersConfig = z.infer<typeof remindersConfigSection>;

export const retentionConfigSection = z.looseObject({
  /** Days since a customer's last completed visit before a retention message; 90 when unset. */
  min_days_since_last_visit: z.number().int().min(1).optional(),
  /** True lets the schedule send retention messages; the on-demand route runs either way. */
  enabled: z.boolean().optional(),
  data_retention_days: z.number().int().min(1).optional(),
});
export type RetentionConfig = z.infer<typeof retentionConfigSection>;
