import { z } from 'zod';

/** Who may run reminders: the tenant's API key (`X-API-Key`, with `X-Business-ID` naming its own tenant if sent). */
export const REMINDERS_AUTH = { allow: ['tenant-key'] } as const;

const hoursAhead = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 14)
  .describe("Hours ahead to look; the tenant's `reminders.default_reminder_hours`, else 24");
const minDays = z.coerce
  .number()
  .int()
  .min(1)
  .max(3650)
  .describe("Days since the last completed visit; the tenant's `retention.min_days_since_last_visit`, else 90");

export const upcomingQuery = z.object({ hours_ahead: hoursAhead.optional() });

export const retentionQuery = z.object({ min_days_since_last_visit: minDays.optional() });

export const retentionBody = z
  .object({ min_days_since_last_visit: minDays.optional() })
  .meta({ examples: [{ min_days_since_last_visit: 180 }] })
  // The query may carry the setting instead, so a body is optional.
  .nullish();

export const retentionExample = { min_days_since_last_visit: 180 };

export const runReport = z
  .object({
    business_id: z.string(),
    kind: z.enum(['upcoming', 'followup', 'retention']),
    candidates: z.number().int().describe('Customers the selection found'),
    sent: z.number().int().describe('SMS handed to delivery to go out now'),
    held: z.number().int().describe("SMS waiting for the recipient's allowed hours; they go out when the window opens"),
    skipped_opted_out: z.number().int().describe('Customers who opted out of SMS: not messaged'),
    already_sent: z.number().int().describe('Already sent by an earlier run: not sent again'),
  })
  .describe('What the run did');
