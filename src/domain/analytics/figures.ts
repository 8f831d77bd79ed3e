/** The arithmetic every analytics figure shares: rounding, means, shares and percentiles. */

export const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

export const roundOrNull = (n: number | null, places = 0) => (n === null ? null : round(n, places));

export const mean = (values: readonly number[]): number | null =>
  values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;

/** A share of a whole to four places, or null when there is nothing to measure. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? round(part / whole, 4) : null;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The middle of ascending values (the mean of the two middle ones for an even count), or null for none. */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Seconds from one instant to a later one, never negative. */
export const secondsBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export const DAY_MS = 86_400_000;
