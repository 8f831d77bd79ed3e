import { invalid } from '../errors.js';
import type { RequestFilter } from './request-search.repo.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `start_date`/`end_date` as bounds on created_at, both inclusive: a bare date is a whole UTC day
 * (so end_date=2025-09-13 covers that day), a date-time is that instant.
 */
export function createdRange(
  startDate: string | undefined,
  endDate: string | undefined,
): Pick<RequestFilter, 'from' | 'before'> {
  const from =
    startDate === undefined ? undefined : new Date(DATE_ONLY.test(startDate) ? `${startDate}T00:00:00Z` : startDate);
  const end = endDate === undefined ? undefined : new Date(DATE_ONLY.test(endDate) ? `${endDate}T00:00:00Z` : endDate);
  const before =
    end === undefined
      ? undefined
      : new Date(end.getTime() + (endDate !== undefined && DATE_ONLY.test(endDate) ? DAY_MS : 1));
  if (from && before && before.getTime() <= from.getTime()) {
    throw invalid([
      { field: 'end_date', issue: 'must not be before start_date', type: 'invalid_range', location: 'query' },
    ]);
  }
  return { ...(from ? { from: from.toISOString() } : {}), ...(before ? { before: before.toISOString() } : {}) };
}
