/**
 * The figures `GET /app/api/analytics` answers for a range, and their rows as the page lists them
 * and the CSV holds them (declared here so this file stands alone, like `aggregate.ts`).
 */

export interface Spread {
  samples: number;
  median: number | null;
  p90: number | null;
}

export interface RangeFigures {
  range: { from: string; to: string; timezone: string };
  funnel: { leads: number; qualified: number; appointment_requested: number; booked: number };
  time_to_book_minutes: Spread;
  response_seconds: { bot: Spread; human: Spread };
  costs: {
    ai_usd: number;
    stt_usd: number;
    total_usd: number;
    ai_per_lead_usd: number | null;
    stt_per_lead_usd: number | null;
    total_per_lead_usd: number | null;
  };
}

export interface FunnelStage {
  /** Short enough for a chart's axis at phone width. */
  stage: string;
  /** What the stage counts, for the list beside the chart. */
  description: string;
  leads: number;
}

/** The funnel's stages in order. */
export function funnelStages(f: RangeFigures['funnel']): FunnelStage[] {
  return [
    { stage: 'Leads', description: 'Leads from every channel', leads: f.leads },
    { stage: 'Qualified', description: 'Scored warm or hot', leads: f.qualified },
    { stage: 'Requested', description: 'Asked for an appointment', leads: f.appointment_requested },
    { stage: 'Booked', description: 'Booked an appointment or won', leads: f.booked },
  ];
}

/** A stage's share of the range's leads, in whole percent; null when there were none. */
export function shareOfLeads(leads: number, total: number): number | null {
  return total > 0 ? Math.round((leads / total) * 100) : null;
}

/** One figure: what it is of, what it measures, its value (null when nothing was measured). */
export type FigureRow = [section: string, figure: string, value: string | number | null];

const spreadRows = (section: string, s: Spread): FigureRow[] => [
  [section, 'samples', s.samples],
  [section, 'median', s.median],
  [section, 'p90', s.p90],
];

/** Every figure of the range, one row each, in the order the page shows them. */
export function figureRows(f: RangeFigures): FigureRow[] {
  return [
    ['range', 'from', f.range.from],
    ['range', 'to', f.range.to],
    ['range', 'timezone', f.range.timezone],
    ...funnelStages(f.funnel).map((s): FigureRow => ['funnel', s.stage, s.leads]),
    ...spreadRows('time_to_book_minutes', f.time_to_book_minutes),
    ...spreadRows('bot_response_seconds', f.response_seconds.bot),
    ...spreadRows('human_response_seconds', f.response_seconds.human),
    ...Object.entries(f.costs).map(([name, value]): FigureRow => ['costs', name, value]),
  ];
}

/** A duration for people: seconds under two minutes, minutes under two hours, else hours. */
export function duration(value: number | null, unit: 'seconds' | 'minutes'): string {
  if (value === null) return 'not measured';
  const seconds = unit === 'seconds' ? value : value * 60;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 6) / 10} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

/** Dollars to the cent, or to four places when under a cent, so a per-lead price does not read as zero. */
export function dollars(value: number | null): string {
  if (value === null) return 'no leads';
  return value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}
