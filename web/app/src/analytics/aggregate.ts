/**
 * What the charts count of a lead (a structural slice of the API's lead, declared here so this
 * file stands alone and the server's test suite can check it without the browser's types).
 */
export interface CountedLead {
  source: string;
  tier: string | null;
  created_at: string;
}

export interface ChannelCount {
  channel: string;
  leads: number;
}

/** Leads per channel they came in on, the busiest first. */
export function leadsByChannel(leads: readonly CountedLead[]): ChannelCount[] {
  const counts = new Map<string, number>();
  for (const lead of leads) counts.set(lead.source, (counts.get(lead.source) ?? 0) + 1);
  return [...counts]
    .map(([channel, n]) => ({ channel, leads: n }))
    .sort((a, b) => b.leads - a.leads || a.channel.localeCompare(b.channel));
}

export const TIER_SERIES = ['HOT', 'WARM', 'COLD', 'Unscored'] as const;
export type TierSeries = (typeof TIER_SERIES)[number];
export type TierDay = { day: string } & Record<TierSeries, number>;

function seriesOf(tier: string | null): TierSeries {
  const upper = tier?.toUpperCase();
  return upper === 'HOT' || upper === 'WARM' || upper === 'COLD' ? upper : 'Unscored';
}

/** The days from `from` to `to` inclusive (YYYY-MM-DD, UTC), so quiet days show as zero instead of vanishing. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Leads per tier per UTC day of the range. */
export function tiersOverTime(leads: readonly CountedLead[], from: string, to: string): TierDay[] {
  const byDay = new Map<string, TierDay>(
    daysBetween(from, to).map((day) => [day, { day, HOT: 0, WARM: 0, COLD: 0, Unscored: 0 }]),
  );
  for (const lead of leads) {
    const row = byDay.get(lead.created_at.slice(0, 10));
    if (row) row[seriesOf(lead.tier)] += 1;
  }
  return [...byDay.values()];
}
