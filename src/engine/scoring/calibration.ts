import { sigmoid } from './ordinal.js';

/**
 * Spec E's score bands from the model's z: below the WARM cut the score is 100·σ(z − cut), so
 * 50 means even odds of at least WARM; between the cuts it runs linearly from 50 to 79; above
 * the HOT cut it climbs from 80 towards 100 with the odds of HOT. Each band is capped so
 * rounding never carries a lead across a boundary.
 */
export function calibratedScore(z: number, cuts: readonly [number, number]): number {
  const [warm, hot] = cuts;
  if (z < warm) return Math.min(49, Math.round(100 * sigmoid(z - warm)));
  if (z < hot) return Math.min(79, Math.round(50 + (30 * (z - warm)) / (hot - warm)));
  return Math.min(100, Math.round(80 + 40 * (sigmoid(z - hot) - 0.5)));
}
