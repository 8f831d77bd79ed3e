import type { DayHours, Holiday, WeekHours } from './dialog.js';

/**
 * Opening hours in the tenant's IANA time zone, with Intl only. Wall-clock times are read in the
 * zone at each instant, so daylight-saving changes need no special case; a span whose end is not
 * after its start runs past midnight into the next day.
 */

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTES_PER_DAY = 24 * 60;

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    wallFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = wallFormatter(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(get('weekday').toLowerCase() as Weekday);
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday,
    minutes: (Number(get('hour')) % 24) * 60 + Number(get('minute')),
  };
}

/** Minutes after local midnight of an instant in a zone: 18:30 is 1110. */
export function minutesOfDay(instant: Date, timeZone: string): number {
  return wallClock(instant, timeZone).minutes;
}

function toMinutes(hhmm: string | undefined, fallback: number): number {
  if (!hhmm) return fallback;
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

interface Span {
  start: number;
  /** Minutes after the day's midnight; above 1440 when the span runs into the next day. */
  end: number;
}

/** A day's opening span; a day left out of the week or marked closed has none. */
export function daySpan(day: DayHours | undefined): Span | null {
  if (!day || day.closed) return null;
  const start = toMinutes(day.start, 0);
  let end = toMinutes(day.end, MINUTES_PER_DAY);
  if (end <= start) end += MINUTES_PER_DAY;
  return { start, end };
}

/** The local date `ahead` days after the wall clock's, as `YYYY-MM-DD`; calendar arithmetic on UTC midnight needs no zone. */
function dateAhead(wall: WallClock, ahead: number): string {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day + ahead)).toISOString().slice(0, 10);
}

/** The holiday falling on the local date `ahead` days after the wall clock's, if any. */
function holidayAhead(hours: WeekHours, wall: WallClock, ahead: number): Holiday | undefined {
  if (!hours.holidays?.length) return undefined;
  const date = dateAhead(wall, ahead);
  return hours.holidays.find((h) => h.date === date);
}

/** The opening span of the day `ahead` days after the wall clock's: none on a holiday, else its weekday's. */
function spanOf(hours: WeekHours, wall: WallClock, ahead: number): Span | null {
  if (holidayAhead(hours, wall, ahead)) return null;
  return daySpan(hours[WEEKDAYS[(((wall.weekday + ahead) % 7) + 7) % 7] as Weekday]);
}

/** The holiday the business keeps today (in its zone), if any. */
export function holidayOn(hours: WeekHours | undefined, timeZone: string, now: Date): Holiday | undefined {
  return hours ? holidayAhead(hours, wallClock(now, timeZone), 0) : undefined;
}

/** Whether the business is open at `now`; no hours configured means always open. */
export function isOpen(hours: WeekHours | undefined, timeZone: string, now: Date): boolean {
  if (!hours) return true;
  const wall = wallClock(now, timeZone);
  const today = spanOf(hours, wall, 0);
  if (today && wall.minutes >= today.start && wall.minutes < today.end) return true;
  // Yesterday's span may still be running after midnight (Friday 18:00–02:00 is open Saturday 01:00).
  const yesterday = spanOf(hours, wall, -1);
  return yesterday !== null && wall.minutes + MINUTES_PER_DAY < yesterday.end;
}

/** Offset of the zone from UTC at an instant, in minutes. */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day) + wall.minutes * 60_000;
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped when clocks spring forward
 * moves forward by the gap; a time that happens twice when they fall back is the first one.
 */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  // Offsets a day either side cover both readings around any transition.
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const readings = [wall - before * 60_000, wall - after * 60_000].filter(
    (instant) => wall - offsetAt(instant, timeZone) * 60_000 === instant,
  );
  if (readings.length > 0) return new Date(Math.min(...readings));
  return new Date(wall - before * 60_000);
}

/** The next time the business opens strictly after `now`, or null when no day has hours. */
export function nextOpening(hours: WeekHours | undefined, timeZone: string, now: Date): Date | null {
  if (!hours) return null;
  const wall = wallClock(now, timeZone);
  // A week, plus a day for each holiday that may push the next opening further out.
  for (let ahead = 0; ahead <= 7 + (hours.holidays?.length ?? 0); ahead++) {
    const span = spanOf(hours, wall, ahead);
    if (!span) continue;
    const date = new Date(`${dateAhead(wall, ahead)}T00:00:00Z`);
    const opens = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), span.start, timeZone);
    if (opens.getTime() > now.getTime()) return opens;
  }
  return null;
}

/** "9:00 AM", "midnight" */
export function formatClock(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (m === 0) return 'midnight';
  if (m === 12 * 60) return 'noon';
  const h = Math.floor(m / 60);
  return `${h % 12 === 0 ? 12 : h % 12}:${String(m % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** "today at 9:00 AM", "tomorrow at 9:00 AM", "Monday at 9:00 AM", seen from `now` in the zone. */
export function describeOpening(opening: Date, timeZone: string, now: Date): string {
  const at = wallClock(opening, timeZone);
  const from = wallClock(now, timeZone);
  const days = Math.round(
    (Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000,
  );
  const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : capitalise(WEEKDAYS[at.weekday] ?? '');
  return `${day} at ${formatClock(at.minutes)}`;
}

const WEEK_ORDER: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function spanText(span: Span | null): string {
  if (!span) return 'closed';
  if (span.start === 0 && span.end === MINUTES_PER_DAY) return 'open all day';
  return `${formatClock(span.start)}–${formatClock(span.end)}`;
}

/** The week in words, consecutive days with the same hours grouped: "Monday–Friday 9:00 AM–5:00 PM; Sunday closed". */
export function formatWeek(hours: WeekHours): string {
  const groups: { first: Weekday; last: Weekday; text: string }[] = [];
  for (const day of WEEK_ORDER) {
    const text = spanText(daySpan(hours[day]));
    const previous = groups.at(-1);
    if (previous && previous.text === text) previous.last = day;
    else groups.push({ first: day, last: day, text });
  }
  return groups
    .map((g) => `${capitalise(g.first)}${g.first === g.last ? '' : `–${capitalise(g.last)}`} ${g.text}`)
    .join('; ');
}
