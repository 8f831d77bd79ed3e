/**
 * The hours a recipient may be messaged, in their own time zone. Wall-clock times are turned into
 * instants with Intl alone (no zone library): the zone's offset is read at a guess and the guess
 * corrected once, which lands on the right instant on both sides of a DST change; a start time that
 * a spring-forward skips opens the window at the first minute that exists after it.
 */

import { wallClock } from '../../lib/zoned-day.js';

export interface AllowedHours {
  /** `HH:MM`, the recipient's local time the window opens. */
  start: string;
  /** `HH:MM`, when it closes; earlier than `start` for a window across midnight. */
  end: string;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

function wallParts(at: Date, zone: string): Wall & { seconds: number } {
  const w = wallClock(at, zone);
  return { year: w.y, month: w.m, day: w.d, minutes: w.h * 60 + w.min, seconds: w.s };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(at: number, zone: string): number {
  const w = wallParts(new Date(at), zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes, w.seconds);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time in `zone` names. */
export function instantOf(wall: Wall, zone: string): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, 0, wall.minutes);
  const first = naive - offsetAt(naive, zone);
  return new Date(naive - offsetAt(first, zone));
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function inside(minutes: number, start: number, end: number): boolean {
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** When the window next opens after `now`, or undefined when `now` is inside it. */
export function nextOpening(now: Date, zone: string, hours: AllowedHours): Date | undefined {
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  if (start === end) return undefined;
  const w = wallParts(now, zone);
  if (inside(w.minutes, start, end)) return undefined;
  // Before today's opening it opens today; after the close, tomorrow (calendar days in the zone).
  const addDays = w.minutes < start ? 0 : 1;
  const day = new Date(Date.UTC(w.year, w.month - 1, w.day + addDays));
  return instantOf(
    { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), minutes: start },
    zone,
  );
}
