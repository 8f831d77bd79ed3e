import type { LeadOutcome, Vocabulary } from './conversion.records.js';

/** An open lead this old without a win or a booking counts as not converted. */
export const STALE_AFTER_DAYS = 30;
/** A value becomes a one-hot feature once this many training leads carry it; rarer ones read as "other". */
const MIN_VALUE_COUNT = 5;
/** At most this many one-hot values per field, the most frequent first. */
const MAX_VALUES = 12;
/** Counts are read as log(1 + n) / this, so a busy contact does not swamp the other features. */
const COUNT_SCALE = 4;
const DAY_MS = 86_400_000;

/** A booked appointment means the lead converted even while its sales status is still open. */
const WON_STATUSES = new Set(['won']);
const LOST_STATUSES = new Set(['lost']);

/**
 * The outcome rule: positive when the lead was won or its contact booked an appointment
 * (booked, confirmed or completed); negative when it was lost, or is older than STALE_AFTER_DAYS
 * with neither; otherwise still open, and left out of training.
 */
export function labelOf(lead: LeadOutcome, now: Date): 0 | 1 | undefined {
  if (lead.wonAt !== null || WON_STATUSES.has(lead.status) || lead.booked) return 1;
  if (LOST_STATUSES.has(lead.status)) return 0;
  const age = now.getTime() - Date.parse(lead.createdAt);
  return age >= STALE_AFTER_DAYS * DAY_MS ? 0 : undefined;
}

const norm = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();

function frequentValues(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n >= MIN_VALUE_COUNT)
    .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_VALUES)
    .map(([v]) => v);
}

/** The one-hot values of the training leads. */
export function vocabularyOf(leads: readonly LeadOutcome[]): Vocabulary {
  return {
    source: frequentValues(leads.map((l) => norm(l.source))),
    niche: frequentValues(leads.map((l) => norm(l.niche))),
    city: frequentValues(leads.map((l) => norm(l.city))),
    intent: frequentValues(leads.map((l) => norm(l.analysis?.intent))),
  };
}

const NUMERIC = [
  'engagement.conversations',
  'engagement.messages',
  'engagement.calls',
  'sentiment',
  'timing.hour_sin',
  'timing.hour_cos',
  'timing.weekend',
  'rules.score',
  'rules.company_fit',
  'rules.intent_signal',
  'rules.budget_indicator',
  'rules.urgency',
  'rules.intent_confidence',
] as const;

/** Feature names in vector order: the one-hots (`niche=solar`), then the numeric features. */
export function featureNames(vocabulary: Vocabulary): string[] {
  const oneHot = (field: keyof Vocabulary) => vocabulary[field].map((v) => `${field}=${v}`);
  return [...oneHot('source'), ...oneHot('niche'), ...oneHot('city'), ...oneHot('intent'), ...NUMERIC];
}

const scaled = (n: number) => Math.log1p(Math.max(0, n)) / COUNT_SCALE;

/** The lead as numbers, in `featureNames(vocabulary)` order. Timing is the first contact's UTC hour and weekday. */
export function featureVector(vocabulary: Vocabulary, lead: LeadOutcome): number[] {
  const oneHot = (field: keyof Vocabulary, value: string) => vocabulary[field].map((v) => (v === value ? 1 : 0));
  const a = lead.analysis;
  const first = new Date(lead.createdAt);
  const angle = (2 * Math.PI * (first.getUTCHours() + first.getUTCMinutes() / 60)) / 24;
  const day = first.getUTCDay();
  return [
    ...oneHot('source', norm(lead.source)),
    ...oneHot('niche', norm(lead.niche)),
    ...oneHot('city', norm(lead.city)),
    ...oneHot('intent', norm(a?.intent)),
    scaled(lead.conversations),
    scaled(lead.messages),
    scaled(lead.calls),
    a?.sentiment_score ?? 0,
    Math.sin(angle),
    Math.cos(angle),
    day === 0 || day === 6 ? 1 : 0,
    (a?.score ?? 0) / 100,
    a?.scoring_breakdown.company_fit ?? 0,
    a?.scoring_breakdown.intent_signal ?? 0,
    a?.scoring_breakdown.budget_indicator ?? 0,
    a?.scoring_breakdown.urgency ?? 0,
    a?.intent_confidence ?? 0,
  ];
}

/** The engine's rule score as a probability, the baseline the model is measured against. */
export function ruleProbability(lead: LeadOutcome): number {
  return (lead.analysis?.score ?? 0) / 100;
}
