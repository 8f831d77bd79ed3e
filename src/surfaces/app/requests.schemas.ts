import { z } from 'zod';
import { REQUEST_STATUSES } from '../../domain/calls/index.js';

/** The last instant a bound covers: a bare date is its whole day (UTC). */
const endOf = (bound: string) => new Date(bound.length === 10 ? `${bound}T23:59:59.999Z` : bound).getTime();

/** The tenant's spec A requests, newest first: by status and creation date (`from`, `to`: inclusive). */
export const requestListQuery = z
  .object({
    status: z.enum(REQUEST_STATUSES).optional(),
    /** ISO dates or instants; a bare date covers its whole day (UTC). */
    from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from).getTime() <= endOf(q.to), {
    message: 'must not be before from',
    path: ['to'],
  });

export const requestParams = z.object({ id: z.string().min(1).max(64) });
