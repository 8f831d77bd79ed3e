import { describe, expect, it } from 'vitest';
import { zonedDate, zonedDay } from '../../src/lib/zoned-day.js';

describe('zonedDay', () => {
  it("gives today and tomorrow as the zone's calendar days, not UTC's", () => {
    // 23:30 UTC on 1 June is already 2 June in Auckland (UTC+12).
    const now = new Date('2025-06-01T23:30:00Z');
    expect(zonedDay(now, 'Pacific/Auckland')).toEqual({
      date: '2025-06-02',
      start: new Date('2025-06-01T12:00:00Z'),
      end: new Date('2025-06-02T12:00:00Z'),
    });
    expect(zonedDay(now, 'America/New_York', 1).date).toBe('2025-06-02');
  });

  it('makes a day that springs forward 23 hours long', () => {
    const day = zonedDay(new Date('2025-03-09T12:00:00Z'), 'America/New_York');
    expect(day.start).toEqual(new Date('2025-03-09T05:00:00Z'));
    expect(day.end).toEqual(new Date('2025-03-10T04:00:00Z'));
  });

  it('crosses a month end', () => {
    expect(zonedDay(new Date('2025-01-31T10:00:00Z'), 'UTC', 1).date).toBe('2025-02-01');
  });

  it('reads a named date in the zone, for a zone ahead of UTC and across a spring-forward day', () => {
    expect(zonedDate('2025-06-02', 'Pacific/Auckland')).toEqual({
      date: '2025-06-02',
      start: new Date('2025-06-01T12:00:00Z'),
      end: new Date('2025-06-02T12:00:00Z'),
    });
    const spring = zonedDate('2025-03-09', 'America/New_York');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    expect(zonedDate('2025-12-31', 'UTC').end).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});

describe('zonedDate', () => {
  it("gives a named date's local midnight and the next one's, across a zone far east of UTC", () => {
    expect(zonedDate('2025-06-02', 'Pacific/Kiritimati')).toEqual({
      date: '2025-06-02',
      start: new Date('2025-06-01T10:00:00Z'),
      end: new Date('2025-06-02T10:00:00Z'),
    });
  });

  it('makes the day clocks fall back 25 hours long, and crosses a year end', () => {
    const day = zonedDate('2025-11-02', 'America/New_York');
    expect(day.start).toEqual(new Date('2025-11-02T04:00:00Z'));
    expect(day.end).toEqual(new Date('2025-11-03T05:00:00Z'));
    expect(zonedDate('2025-12-31', 'UTC').end).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});
