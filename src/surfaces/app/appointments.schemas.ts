import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '../../domain/appointments/index.js';

/** Local dates in the tenant's time zone, both inclusive. */
export const appointmentRangeQuery = z.object({
  from: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  to: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
});
export const appointmentParams = z.object({ id: z.string().min(1).max(64) });
export const rescheduleBody = z.object({
  start: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-08T09:30:00-08:00' }),
});
export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500).optional() });
