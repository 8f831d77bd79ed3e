/**
 * The appointments page's calendar arithmetic, in the tenant's time zone rather than the
 * browser's: which local dates a day or week view covers, which day an appointment falls on, and
 * the wall-clock time a person types into the reschedule field. Dates are `YYYY-MM-DD` strings.
 */

export type CalendarView = 'day' | 'week';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

function wallClock(at: Date, zone: string) {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    y: parts.year ?? 1970,
    m: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    min: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date `at` falls on in `zone`. */
export function dateIn(at: Date | string, zone: string): string {
  const w = wallClock(new Date(at), zone);
  return `${w.y}-${pad(w.m)}-${pad(w.d)}`;
}

/** The local time of day `at` shows in `zone`, `HH:MM`. */
export function timeIn(at: string, zone: string): string {
  const w = wallClock(new Date(at), zone);
  return `${pad(w.h)}:${pad(w.min)}`;
}

export function addDays(date: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The dates a view shows around `anchor`: that day, or its week from Monday to Sunday. */
export function datesOf(view: CalendarView, anchor: string): string[] {
  if (view === 'day') return [anchor];
  const weekday = (new Date(`${anchor}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addDays(anchor, -weekday);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The anchor one view earlier (`-1`) or later (`1`). */
export function step(view: CalendarView, anchor: string, direction: -1 | 1): string {
  return addDays(anchor, direction * (view === 'day' ? 1 : 7));
}

/** Each date with the appointments starting on it in `zone`, earliest first; those of other dates are left out. */
export function byDay<T extends { start: string | null }>(
  items: T[],
  dates: string[],
  zone: string,
): { date: string; items: T[] }[] {
  const days = new Map(dates.map((date) => [date, [] as T[]]));
  for (const item of items) if (item.start) days.get(dateIn(item.start, zone))?.push(item);
  return dates.map((date) => ({
    date,
    items: (days.get(date) ?? []).sort((a, b) => (a.start ?? '').localeCompare(b.start ?? '')),
  }));
}

/** The value a `datetime-local` field shows for `at`: the wall-clock time in `zone`. */
export function localInputOf(at: string, zone: string): string {
  return `${dateIn(at, zone)}T${timeIn(at, zone)}`;
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:MM`) names in `zone`; the zone's offset is read
 * twice so a time on a daylight-saving change lands on the offset in force then.
 */
export function instantOf(local: string, zone: string): string {
  const [date = '', time = '00:00'] = local.split('T');
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const [h = 0, min = 0] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, h, min);
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(at), zone);
    at = guess - (Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - at);
  }
  return new Date(at).toISOString();
}

/** A date as people read it: `Mon 2 Mar`. */
export function dayLabel(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
}
