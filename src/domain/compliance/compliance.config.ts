import { z } from 'zod';

/**
 * The compliance section of the tenant configuration (`compliance`): what HELP answers, the
 * confirmations of STOP and START, and the hours outbound SMS may reach a recipient in their own
 * time zone. This file imports nothing of ours so that the tenant configuration schema can compose it.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');

export const complianceConfigSection = z.looseObject({
  /** The answer to HELP and INFO. */
  help_text: z.string().min(1).max(480).optional(),
  /** The one reply to an opt-out; nothing is sent after it. */
  opt_out_reply: z.string().min(1).max(480).optional(),
  /** The reply to START, UNSTOP or YES. */
  opt_in_reply: z.string().min(1).max(480).optional(),
  /** Outbound SMS only between these local times of the recipient (the tenant's zone when the number does not tell); unset, at any hour. */
  allowed_hours: z.object({ start: hhmm, end: hhmm }).optional(),
});
export type ComplianceConfig = z.infer<typeof complianceConfigSection>;
