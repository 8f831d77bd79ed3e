import * as chrono from 'chrono-node';
import { daysBetween, isoDate, localDate, offsetMinutes, type LocalDate } from './calendar.js';
import { NUMBER_PATTERN, parseNumber } from '../../lib/numbers.js';

export const TIMELINE_BUCKETS = ['immediate', '1-3_months', '3-6_months', '6-12_months', '12+_months'] as const;
export type TimelineBucket = (typeof TIMELINE_BUCKETS)[number];

export interface TimelineReference {
  instant: Date;
  timeZone: string;
}

export interface TimelineReading {
  bucket: TimelineBucket | null;
  /** Days from the reference to the nearest horizon the text names. */
  days: number | null;
  /** The words that set the bucket, for reasoning ("in the next 3 months"). */
  phrase: string | null;
  /** Future calendar dates mentioned, `YYYY-MM-DD` in the tenant's zone. */
  dates: string[];
  /** A word that means now ("asap", "emergency", "today"). */
  urgentTerm: string | null;
  /** The lead said there is no hurry. */
  relaxed: boolean;
}

interface Horizon {
  days: number;
  phrase: string;
}

const DAY_UNITS: Readonly<Record<string, number>> = { day: 1, week: 7, month: 30.4, year: 365 };

const URGENT =
  /\b(asap|a\.s\.a\.p|as soon as possible|right away|right now|immediately|urgent(?:ly)?|emergency|today|tonight|tomorrow|this week|same[- ]day|within (?:the|an) hour|in an hour|quickly|move fast)\b/i;
const URGENT_DAYS: Readonly<Record<string, number>> = { tomorrow: 1, 'this week': 3, quickly: 14, 'move fast': 14 };
const UNIT_WORD = String.raw`(day|week|month|year)s?\b`;
const COUNT = String.raw`(?:(${NUMBER_PATTERN})\s*(?:-|to)\s*)?`;
/** "in 3 months", "within six weeks" (a number is required after a bare "in"). */
const DURATION = new RegExp(
  String.raw`\b(?:in|within)\s+(?:about\s+|around\s+|roughly\s+)?${COUNT}(${NUMBER_PATTERN})\s*${UNIT_WORD}`,
  'gi',
);
/** "next month", "in the next 3 months", "over the coming weeks". */
const NEXT = new RegExp(
  String.raw`\b(?:(?:in|within|over)\s+)?(?:the\s+)?(?:next|coming)\s+(?:${COUNT}(${NUMBER_PATTERN})\s*)?${UNIT_WORD}`,
  'gi',
);
const BARE_RANGE = new RegExp(
  String.raw`\b(${NUMBER_PATTERN})\s*(?:-|to)\s*(${NUMBER_PATTERN})\s*(week|month|year)s?\b`,
  'gi',
);
const OUT = new RegExp(String.raw`\b(${NUMBER_PATTERN})\s*(week|month|year)s?\s+(?:out|away|from now)\b`, 'gi');
const DISTANT =
  /\b(eventually|someday|some day|down the road|in the future|one day|future reference|a couple of years|few years)\b/i;
const RELAXED =
  /\b(no rush|not urgent|no hurry|not in a hurry|flexible|whenever|no (?:set )?timeline|not sure when|take our time)\b/i;
// A season needs a word that makes it a time to act ("next spring"); "$280/month in summer" is not one.
const SEASON =
  /\b(this|next|by|before|until|in the|early|late|probably|maybe|around|sometime in|for)\s+(spring|summer|fall|autumn|winter)\b/gi;
const QUARTER = /\b(?:(end of|this|next)\s+(?:the\s+)?quarter|q([1-4])(?:\s*(20\d\d))?)\b/gi;
const MONTH_OR_YEAR_END =
  /\b(?:(?:by\s+)?(?:the\s+)?end of (?:the\s+)?(month|year)|(this) (month|year)|year[- ]end)\b/gi;
/** A planning period after the current one, whose calendar the lead does not give: "next fiscal year", "next semester". */
const NEXT_PERIOD =
  /\bnext\s+(?:(?:fiscal|financial|school|academic|tax|budget)\s+year|semester|term|budget cycle)\b/gi;
/** Days to a next planning period: its start is unknown, but it begins after the current one, months away. */
const NEXT_PERIOD_DAYS = 150;
const DAY_OF_MONTH = /\bthe (\d{1,2})(?:st|nd|rd|th)\b/gi;
const YEAR = /(?<![$\d,.])\b(20\d\d)\b(?!\s*(?:sq|square|-|\d))/g;

const SEASON_START: Readonly<Record<string, [number, number]>> = {
  spring: [3, 20],
  summer: [6, 21],
  fall: [9, 22],
  autumn: [9, 22],
  winter: [12, 21],
};

/** A word chrono-node reads as a date but people rarely mean as one. */
const CHRONO_NOISE =
  /^(?:sat|sun|mon|tue|wed|thu|fri|now|may|march|the year|this year|next year|year|\d+|\d+\s*[a-z]\.?)$|\b(?:second|minute|hour)s?\b/i;

export function bucketForDays(days: number): TimelineBucket {
  if (days <= 21) return 'immediate';
  if (days <= 92) return '1-3_months';
  if (days <= 184) return '3-6_months';
  if (days <= 366) return '6-12_months';
  return '12+_months';
}

function num(raw: string | undefined, fallback: number): number {
  return raw === undefined ? fallback : (parseNumber(raw) ?? fallback);
}

function durations(text: string): Horizon[] {
  const found: Horizon[] = [];
  for (const m of [...text.matchAll(DURATION), ...text.matchAll(NEXT)]) {
    const unit = DAY_UNITS[(m[3] ?? '').toLowerCase()] ?? 30.4;
    const high = num(m[2], 1);
    const low = m[1] === undefined ? high : num(m[1], high);
    found.push({ days: Math.round(((low + high) / 2) * unit), phrase: m[0].trim() });
  }
  for (const m of text.matchAll(BARE_RANGE)) {
    const unit = DAY_UNITS[(m[3] ?? '').toLowerCase()] ?? 30.4;
    found.push({ days: Math.round(((num(m[1], 1) + num(m[2], 1)) / 2) * unit), phrase: m[0].trim() });
  }
  for (const m of text.matchAll(OUT)) {
    const unit = DAY_UNITS[(m[2] ?? '').toLowerCase()] ?? 30.4;
    found.push({ days: Math.round(num(m[1], 1) * unit), phrase: m[0].trim() });
  }
  return found;
}

/** A negation earlier in the same clause: "not doing anything this year" puts the job after this year. */
const NEGATION = /\b(?:not|nothing|never|won'?t|don'?t|isn'?t|aren'?t)\b/i;
const CLAUSE_BREAKS = ',.;!?';

function negatedBefore(text: string, index: number): boolean {
  let start = index;
  while (start > 0 && !CLAUSE_BREAKS.includes(text.charAt(start - 1))) start -= 1;
  return NEGATION.test(text.slice(start, index));
}

function calendarPhrases(text: string, today: LocalDate): Horizon[] {
  const found: Horizon[] = [];
  const to = (year: number, month: number, day: number) => daysBetween(today, { year, month, day });

  for (const m of text.matchAll(SEASON)) {
    const season = (m[2] ?? '').toLowerCase();
    const [month, day] = SEASON_START[season] ?? [1, 1];
    let days = to(today.year, month, day);
    if (days <= 0) days = m[1]?.toLowerCase() === 'this' && days > -90 ? 0 : to(today.year + 1, month, day);
    found.push({ days, phrase: m[0].trim() });
  }
  const quarterEnd = Math.ceil(today.month / 3) * 3;
  for (const m of text.matchAll(QUARTER)) {
    const which = m[1]?.toLowerCase();
    if (which === 'next') {
      found.push({ days: to(today.year, quarterEnd + 1, 1) + 45, phrase: m[0].trim() });
    } else if (which) {
      found.push({ days: to(today.year, quarterEnd + 1, 1) - 1, phrase: m[0].trim() });
    } else {
      const startMonth = (Number(m[2]) - 1) * 3 + 1;
      const year = m[3] ? Number(m[3]) : today.year;
      let days = to(year, startMonth, 1);
      if (days < 0 && !m[3]) days = to(year + 1, startMonth, 1);
      if (days >= 0) found.push({ days, phrase: m[0].trim() });
    }
  }
  for (const m of text.matchAll(MONTH_OR_YEAR_END)) {
    if (negatedBefore(text, m.index)) continue;
    const unit = (m[1] ?? m[3] ?? 'year').toLowerCase();
    const days = unit === 'month' ? to(today.year, today.month + 1, 1) - 1 : to(today.year + 1, 1, 1) - 1;
    found.push({ days, phrase: m[0].trim() });
  }
  for (const m of text.matchAll(YEAR)) {
    const year = Number(m[1]);
    // A bare future year ("probably 2027") means some time in it; past years are history ("built 2005").
    if (year > today.year) found.push({ days: to(year, 7, 1), phrase: m[0] });
  }
  for (const m of text.matchAll(DAY_OF_MONTH)) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) continue;
    // "the 30th" is the next 30th: this month's if it is still ahead, else next month's.
    const days = day >= today.day ? to(today.year, today.month, day) : to(today.year, today.month + 1, day);
    found.push({ days, phrase: m[0] });
  }
  for (const m of text.matchAll(NEXT_PERIOD)) found.push({ days: NEXT_PERIOD_DAYS, phrase: m[0].trim() });
  const distant = DISTANT.exec(text);
  if (distant) found.push({ days: 540, phrase: distant[0] });
  return found;
}

/** "Last Saturday", "two days ago": a date told as history, which chrono-node's forwardDate would move ahead. */
export function looksBack(phrase: string): boolean {
  return /^(?:last|past|previous)\b|\bago$/i.test(phrase.trim());
}

function chronoDates(
  text: string,
  reference: TimelineReference,
  today: LocalDate,
): { horizons: Horizon[]; dates: string[] } {
  const horizons: Horizon[] = [];
  const dates: string[] = [];
  const ref = { instant: reference.instant, timezone: offsetMinutes(reference.instant, reference.timeZone) };
  for (const result of chrono.parse(text, ref, { forwardDate: true })) {
    const phrase = result.text.trim();
    if (CHRONO_NOISE.test(phrase) || /\b(?:year|month|week)s?\b/i.test(phrase)) continue;
    if (looksBack(phrase)) continue;
    const { start } = result;
    // A time of day alone ("after 5") is not a date.
    if (!start.isCertain('day') && !start.isCertain('month') && !start.isCertain('weekday')) continue;
    const when = start.date();
    const days = daysBetween(today, localDate(when, reference.timeZone));
    if (days < 0) continue;
    horizons.push({ days, phrase });
    dates.push(isoDate(when, reference.timeZone));
  }
  return { horizons, dates: [...new Set(dates)] };
}

/** When the lead wants to act, from what the text says, relative to `reference`. */
export function extractTimeline(text: string, reference: TimelineReference): TimelineReading {
  const today = localDate(reference.instant, reference.timeZone);
  const urgent = URGENT.exec(text);
  const urgentTerm = urgent?.[1]?.toLowerCase() ?? null;
  const { horizons: dated, dates } = chronoDates(text, reference, today);
  const horizons: Horizon[] = [...durations(text), ...calendarPhrases(text, today), ...dated];
  if (urgentTerm) horizons.push({ days: URGENT_DAYS[urgentTerm] ?? 0, phrase: urgent?.[0] ?? urgentTerm });

  const nearest = horizons
    .filter((h) => h.days >= 0)
    .sort((a, b) => a.days - b.days || a.phrase.localeCompare(b.phrase))[0];
  return {
    bucket: nearest ? bucketForDays(nearest.days) : null,
    days: nearest?.days ?? null,
    phrase: nearest?.phrase ?? null,
    dates,
    urgentTerm,
    relaxed: RELAXED.test(text),
  };
}

/** A form's timeline value: a bucket name ("1-3_months", "12+ months") or words ("asap", "next spring"). */
export function parseTimelineValue(value: string, reference: TimelineReference): TimelineBucket | null {
  const normalised = value.trim().toLowerCase().replace(/\s+/g, '_');
  const exact = TIMELINE_BUCKETS.find((bucket) => bucket === normalised || bucket === `${normalised}_months`);
  if (exact) return exact;
  const words = value.replace(/_/g, ' ');
  if (/^\s*(?:over|more than)\s+(?:12 months|a year|1 year)\b|^\s*12\+/i.test(words)) return '12+_months';
  const reading = extractTimeline(/^\s*\d/.test(words) ? `in ${words}` : words, reference);
  return reading.bucket;
}
