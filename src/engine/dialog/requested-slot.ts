import * as chrono from 'chrono-node';
import { trimEndMatching } from '../../lib/text.js';
import { isoWithOffset, localDate, mendTimeWords, offsetMinutes } from '../entities/calendar.js';
import { looksBack } from '../entities/timeline.js';
import { minutesOfDay, zonedInstant } from './business-hours.js';
import type { RequestedSlot } from './dialog.js';

/**
 * When the customer wants us: their words read as a window in the tenant's time zone. A named
 * time is an instant; a part of day or a whole day is a window; "as soon as you can" is a flag,
 * since the business decides how soon that is.
 */

const ASAP =
  /\b(?:asap|a\.s\.a\.p|as\s+soon\s+as\s+(?:possible|you\s+can|we\s+can|poss)|right\s+away|immediately|urgent(?:ly)?|straight\s+away|today\s+if\s+(?:you\s+can|possible))\b/i;
/** "no rush", "not urgent", "no hurry": the customer is relaxed about when. */
const RELAXED = /\b(?:no|not\s+in\s+a|in\s+no)\s+(?:rush|hurry)\b|\bnot\s+urgent\b/i;

const PARTS_OF_DAY: { words: RegExp; from: number; to: number }[] = [
  { words: /\b(?:morning|first\s+thing)\b/i, from: 8, to: 12 },
  // "arvo": the afternoon in Australian English.
  { words: /\b(?:afternoon|arvo|lunch\s*time|midday|after\s+lunch)\b/i, from: 12, to: 17 },
  { words: /\b(?:evening|tonight|after\s+work)\b/i, from: 17, to: 21 },
];

/** "10ish", "2-ish": around that hour, which a date parser does not read. */
const ROUGH_HOUR = /\b(\d{1,2}(?::[0-5]\d)?)\s*(?:-\s*)?ish\b/gi;

/** "Good afternoon," greets; it does not ask for the afternoon. */
const GREETING = /(?:^|[.!?]\s*)(?:(?:hi|hello|hey)[\s,]+)?good\s+(?:morning|afternoon|evening)\b/gi;

const NAMED_DAY = /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tomorrow|tmrw)\b/i;

/** "the morning of april 2nd", which chrono-node reads as this morning: the day first, then its part. */
const PART_OF_DATE =
  /\b(?:the\s+)?(morning|afternoon|evening|night)\s+of\s+(?:the\s+)?((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th))\b/gi;

function plainTimeWords(text: string): string {
  return (
    mendTimeWords(text)
      .replace(GREETING, ' ')
      .replace(ROUGH_HOUR, 'around $1')
      // "weekday evenings are best, like next wednesday" names a habit beside the day; chrono-node reads "weekday" as next Monday.
      .replace(/\bweekdays?\b/gi, (word: string) => (NAMED_DAY.test(text) ? ' ' : word))
      .replace(PART_OF_DATE, (_, part: string, date: string) => `${/^\d/.test(date) ? 'the ' : ''}${date} ${part}`)
  );
}

/** A clause reporting what happened ("found bed bugs tonight") names when it happened, not when to come. */
const PAST_EVENT =
  /\b(?!(?:need|feed|seed|speed|bleed|breed|indeed|proceed|exceed|succeed)\b)\w{2,}ed\b|\b(?:found|saw|got|broke|came|went|fell|began|happened|noticed|spotted|heard|ate|hit)\b/i;

function reportsEvent(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const clause = before.slice(Math.max(...[...'.,;!?'].map((mark) => before.lastIndexOf(mark))) + 1);
  return PAST_EVENT.test(clause);
}

/** "since Monday": when something began, never when to come. */
const SINCE = /\bsince\s*$/i;

/**
 * A bare span of time ("30 weeks pregnant", "3 years old") is a duration or an age, and one that
 * something has lasted ("draining slow for a week", "a resident for 5 years"), not when to come.
 */
const BARE_SPAN =
  /^(?:for\s+)?(?:\d+|an?|one|two|three|four|five|six|a\s+few|a\s+couple\s+of)\s*(?:days?|weeks?|months?|years?)$/i;

function notWhenToCome(text: string, result: chrono.ParsedResult): boolean {
  return BARE_SPAN.test(result.text.trim()) || SINCE.test(text.slice(0, result.index)) || looksBack(result.text);
}

/** "after 5", "around 2:30", "at 10", "like 6", "say 10", "between 1 and 3" — an hour chrono-node leaves unread after a day name. */
const LOOSE_HOUR =
  /\b(?:after|from|around|about|by|at|like|say|between)\s+(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\d)/i;
/** "the 21st": a day of the month, which wins over a weekday beside it ("Saturday the 21st"). */
const ORDINAL_DAY = /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/i;

/** What chrono-node reads as a time but people rarely mean as one: bare numbers, "now", a month name that is a verb, "in the week" (on weekdays). */
const NOISE = /^(?:[\d\s:./-]+|now|may|march|sat|sun|mon|(?:in|during)\s+the\s+week)$/i;

interface Wall {
  year: number;
  month: number;
  day: number;
}

/** A clock hour as people say it: without am/pm, 1–7 is afternoon or evening. */
function hourOf(raw: number, meridiem: string | undefined, partFrom: number | null): number {
  const pm = meridiem ? meridiem.toLowerCase().startsWith('p') : null;
  if (pm === true && raw < 12) return raw + 12;
  if (pm === false) return raw === 12 ? 0 : raw;
  if (raw < 12 && partFrom !== null && partFrom >= 12) return raw + 12;
  return raw >= 1 && raw <= 7 ? raw + 12 : raw;
}

function isBefore(a: Wall, b: Wall): boolean {
  return a.year * 10_000 + a.month * 100 + a.day < b.year * 10_000 + b.month * 100 + b.day;
}

/** The next date with this day of the month, from today on. */
function nextDayOfMonth(day: number, today: Wall): Wall {
  if (day >= today.day) return { ...today, day };
  return today.month === 12 ? { year: today.year + 1, month: 1, day } : { ...today, month: today.month + 1, day };
}

function dayOf(result: chrono.ParsedResult | undefined, text: string, today: Wall): Wall | null {
  const ordinal = ORDINAL_DAY.exec(text);
  // "the morning of april 2nd, pick up the 6th": a full date said first wins over a later day of the month.
  const datedFirst =
    result?.start.isCertain('day') && result.start.isCertain('month') && result.index < (ordinal?.index ?? 0);
  if (ordinal && Number(ordinal[1]) <= 31 && !datedFirst) {
    const named = result?.start.isCertain('month') ? { ...today, month: result.start.get('month')! } : null;
    return named ? { ...named, day: Number(ordinal[1]) } : nextDayOfMonth(Number(ordinal[1]), today);
  }
  if (!result) return null;
  const { start } = result;
  const dated = start.isCertain('day') || start.isCertain('weekday') || start.isCertain('month');
  // "next month" names no day: chrono-node's guess keeps today's day of the month, which will do.
  if (!dated && !/\b(?:week|month)\b/i.test(result.text)) return null;
  return { year: start.get('year')!, month: start.get('month')!, day: start.get('day')! };
}

/** The customer's words for the time: a short message whole, else the span from the first time word to the last. */
function phraseOf(text: string, matches: ({ index: number; text: string } | null | undefined)[]): string {
  const found = matches.filter((m): m is { index: number; text: string } => Boolean(m));
  const whole = trimEndMatching(text.trim(), /[\s.!?]/);
  if (whole.split(/\s+/).length <= 8 || found.length === 0) return whole;
  const from = Math.min(...found.map((m) => m.index));
  const to = Math.max(...found.map((m) => m.index + m.text.length));
  return text.slice(from, to).trim();
}

function match(pattern: RegExp, text: string): { index: number; text: string } | null {
  const m = pattern.exec(text);
  return m ? { index: m.index, text: m[0] } : null;
}

/** Reads a requested slot from a message; null when it names no time at all, or only a past one. */
export function requestedSlot(raw: string, now: Date, timeZone: string): RequestedSlot | null {
  const text = plainTimeWords(raw);
  const asap = ASAP.test(text) && !RELAXED.test(text);
  const results = chrono
    .parse(text, { instant: now, timezone: offsetMinutes(now, timeZone) }, { forwardDate: true })
    .filter((r) => !NOISE.test(r.text.trim()) && !notWhenToCome(text, r));
  const days = results.filter(
    (r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('month'),
  );
  // The most precise day asked for wins: "early april, like april 2nd" means the 2nd.
  const asked = days.filter((r) => !reportsEvent(text, r.index));
  const dated = asked.find((r) => r.start.isCertain('day')) ?? asked[0] ?? days[0];
  const timed = results.find((r) => r.start.isCertain('hour'));
  const today = localDate(now, timeZone);
  // "the spring snapped this morning" says when it broke: a part of day in a clause reporting an event is no request.
  const part =
    PARTS_OF_DAY.find((p) => {
      const said = p.words.exec(text);
      return said !== null && !reportsEvent(text, said.index);
    }) ?? null;
  const day = dayOf(dated ?? results[0], text, today) ?? (timed || part ? today : null);
  const words = [...results, match(ASAP, text), match(RELAXED, text), part ? match(part.words, text) : null];
  if (!day || isBefore(day, today)) {
    return asap || RELAXED.test(text) ? { text: phraseOf(text, words), start: null, end: null, asap } : null;
  }
  const loose = timed ? null : LOOSE_HOUR.exec(text);
  if (loose) words.push({ index: loose.index, text: loose[0] });
  let hour: number | null = null;
  let minute = 0;
  if (timed) {
    const meridiem = /\b(?:am|a\.m\.)\b/i.test(timed.text)
      ? 'am'
      : /\b(?:pm|p\.m\.)\b/i.test(timed.text)
        ? 'pm'
        : undefined;
    const clock = timed.start.get('hour')!;
    hour = meridiem || clock >= 12 ? clock : hourOf(clock, undefined, part?.from ?? null);
    minute = timed.start.get('minute') ?? 0;
  } else if (loose) {
    hour = hourOf(Number(loose[1]), loose[3], part?.from ?? null);
    minute = Number(loose[2] ?? 0);
  }
  const at = (h: number, m = 0) => zonedInstant(day.year, day.month, day.day, h * 60 + m, timeZone);
  const [start, end] = hour !== null ? [at(hour, minute), null] : part ? [at(part.from), at(part.to)] : [at(0), at(24)];
  return {
    text: phraseOf(text, words),
    start: isoWithOffset(start, timeZone),
    end: end ? isoWithOffset(end, timeZone) : null,
    asap,
  };
}

/** A new hour for the time already agreed: "make it 11 instead", "can we do 2pm", "change it to 10:30". */
const NEW_HOUR =
  /\b(?:make\s+it|do|say|to|at|for)\s+(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\s*(?:\d|%|people|guests|bedrooms?|minutes?|mins?|hours?|days?|weeks?|\$))/i;

/**
 * The held slot moved to the hour a message names without naming a day: the customer changes the
 * time of day they already gave, not the day. Null when the message names no hour, or a day too.
 */
export function retimedSlot(raw: string, held: RequestedSlot, now: Date, timeZone: string): RequestedSlot | null {
  if (!held.start || requestedSlot(raw, now, timeZone)) return null;
  const hour = NEW_HOUR.exec(plainTimeWords(raw));
  if (!hour) return null;
  const day = localDate(new Date(held.start), timeZone);
  const partFrom = Math.floor(minutesOfDay(new Date(held.start), timeZone) / 60);
  const clock = hourOf(Number(hour[1]), hour[3], partFrom >= 12 ? partFrom : null);
  const start = zonedInstant(day.year, day.month, day.day, clock * 60 + Number(hour[2] ?? 0), timeZone);
  const text = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(start);
  return { text, start: isoWithOffset(start, timeZone), end: null, asap: false };
}

const DAY_MS = 86_400_000;
/** A window of a whole day: a date was named, but no time or part of it (a day across a clock change is 23 or 25 hours). */
const wholeDay = (slot: RequestedSlot): boolean =>
  slot.start !== null && slot.end !== null && Date.parse(slot.end) - Date.parse(slot.start) >= DAY_MS - 3_600_000;

/**
 * A new day for the time already given keeps its time of day: "wednesday at 6", then "make that thursday"
 * means Thursday at 6. A new slot that names its own time, or an old one without one, is left as it is.
 */
export function keepTimeOfDay(slot: RequestedSlot, held: RequestedSlot | null, timeZone: string): RequestedSlot {
  if (!slot.start || !held?.start || !wholeDay(slot) || wholeDay(held)) return slot;
  const day = localDate(new Date(slot.start), timeZone);
  const start = zonedInstant(day.year, day.month, day.day, minutesOfDay(new Date(held.start), timeZone), timeZone);
  const length = held.end ? Date.parse(held.end) - Date.parse(held.start) : null;
  return {
    ...slot,
    start: isoWithOffset(start, timeZone),
    end: length === null ? null : isoWithOffset(new Date(start.getTime() + length), timeZone),
  };
}
