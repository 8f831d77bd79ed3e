import { z } from 'zod';
import { isE164Phone } from '../../lib/phone.js';

/**
 * The `notifications` section of the tenant configuration: how the tenant's people are told of a
 * handoff, of a handoff nobody took, and of what the owner must know (a HOT lead, a failed
 * pipeline request, a disabled webhook). This file imports nothing of ours but `lib/`, so that the
 * tenant configuration schema can compose it.
 */

/** A mobile in E.164 with its country code (`+14155550123`), as Twilio sends to it. */
export const e164Phone = z
  .string()
  .trim()
  .max(40)
  .refine(isE164Phone, 'Invalid phone number: an E.164 number with its country code, like +14155550123');

export const notificationsConfigSection = z.looseObject({
  /** Minutes a handoff may wait for someone to take it before the owner is told; 10 when unset. */
  wait_limit_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  /** What the visitor is promised once the wait limit passed: an answer within this many minutes; 60 when unset. */
  answer_within_minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
  /** E-mail to the people on duty (the mailer: SMTP, else the outbox); on unless false. */
  email: z.looseObject({ enabled: z.boolean().optional() }).optional(),
  /** SMS to the people on duty who gave their mobile (Twilio with the tenant's `channels.twilio`, else the outbox); off unless true. */
  sms: z.looseObject({ enabled: z.boolean().optional() }).optional(),
  /** A Slack incoming webhook every notice is also posted to; sealed at rest like every secret. */
  slack_webhook_url: z.string().url().max(2000).optional(),
  /** Where the owner is told when no owner user exists: the tenant's contact address. */
  owner_email: z.string().email().optional(),
  /** Where the owner is texted when no owner user gave a mobile (E.164). */
  owner_phone: e164Phone.optional(),
  /** Which owner notices are sent; each on unless false. */
  events: z
    .looseObject({
      hot_lead: z.boolean().optional(),
      pipeline_failed: z.boolean().optional(),
      webhook_disabled: z.boolean().optional(),
    })
    .optional(),
});
export type NotificationsConfig = z.infer<typeof notificationsConfigSection>;

export const DEFAULT_WAIT_LIMIT_MINUTES = 10;
export const DEFAULT_ANSWER_WITHIN_MINUTES = 60;
