/** Calendar days in an IANA time zone, as UTC instants: "today" and "tomorrow" where a business is. */

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

/** The wall-clock fields of `at` in `zone`. */
export function wallClock(at: Date, zone: string) {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    y: parts.year ?? 0,
    m: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    min: parts.minute ?? 0,
    s: parts.second ?? 0,
  };
}

/** The instant of local midnight of y-m-d in `zone`; the zone's offset is read twice so a DST change that day is honoured. */
function localMidnight(y: number, m: number, d: number, zone: string): Date {
  const guess = Date.UTC(y, m - 1, d);
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(at), zone);
    const offset = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - at;
    at = guess - offset;
  }
  return new Date(at);
}

export interface ZonedDay {
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** Its first instant, inclusive. */
  start: Date;
  /** The next day's first instant, exclusive. */
  end: Date;
}

/** The local day `offsetDays` after the one `now` falls on in `zone` (0 today, 1 tomorrow). */
export function zonedDay(now: Date, zone: string, offsetDays = 0): ZonedDay {
  const w = wallClock(now, zone);
  const day = new Date(Date.UTC(w.y, w.m - 1, w.d + offsetDays));
  const next = new Date(Date.UTC(w.y, w.m - 1, w.d + offsetDays + 1));
  return {
    date: day.toISOString().slice(0, 10),
    start: localMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), zone),
    end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone),
  };
}

/** The local day `date` (`YYYY-MM-DD`) in `zone`. */
export function zonedDate(date: string, zone: string): ZonedDay {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return {
    date,
    start: localMidnight(y, m, d, zone),
    end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone),
  };
}
