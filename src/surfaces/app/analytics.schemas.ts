import { z } from 'zod';

/** The longest range one request may ask for: a year, a leap day included. */
export const MAX_RANGE_DAYS = 366;
/** The range when none is given: the last 30 days, today included. */
const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Days from `from` to `to`, both counted. */
const daysIn = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

/** The start of a default range that ends on `to`. */
export const defaultFrom = (to: string) =>
  new Date(Date.parse(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);

/** What is wrong with a range of local dates, on the field named; null when it is fine. */
export function rangeIssue(from: string, to: string): { field: 'from' | 'to'; issue: string } | null {
  if (from > to) return { field: 'from', issue: 'must not be after to' };
  if (daysIn(from, to) > MAX_RANGE_DAYS) return { field: 'to', issue: `must be within ${MAX_RANGE_DAYS} days of from` };
  return null;
}

/** Local dates (`YYYY-MM-DD`, the tenant's time zone), both included; either may be left out. */
export const analyticsQuery = z
  .object({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .superRefine((q, ctx) => {
    const problem = q.from && q.to ? rangeIssue(q.from, q.to) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem.issue, path: [problem.field] });
  });
