import { describe, expect, it } from 'vitest';
import {
  describeOpening,
  formatWeek,
  holidayOn,
  isOpen,
  nextOpening,
  zonedInstant,
} from '../../../src/engine/dialog/business-hours.js';
import type { WeekHours } from '../../../src/engine/dialog/dialog.js';

const nineToFive = (): WeekHours => ({
  monday: { start: '09:00', end: '17:00' },
  tuesday: { start: '09:00', end: '17:00' },
  wednesday: { start: '09:00', end: '17:00' },
  thursday: { start: '09:00', end: '17:00' },
  friday: { start: '09:00', end: '17:00' },
  saturday: { closed: true },
  sunday: { closed: true },
});
const lateNights: WeekHours = { friday: { start: '18:00', end: '02:00' }, saturday: { start: '18:00', end: '02:00' } };

describe('business hours', () => {
  it('is always open when no hours are configured', () => {
    expect(isOpen(undefined, 'America/New_York', new Date('2026-01-04T03:00:00Z'))).toBe(true);
    expect(nextOpening(undefined, 'America/New_York', new Date('2026-01-04T03:00:00Z'))).toBeNull();
  });

  it('reads the hours in the tenant zone, not UTC', () => {
    // 13:30 UTC on a Tuesday is 8:30 in New York (closed) and 13:30 in London (open).
    const at = new Date('2026-02-10T13:30:00Z');
    expect(isOpen(nineToFive(), 'America/New_York', at)).toBe(false);
    expect(isOpen(nineToFive(), 'Europe/London', at)).toBe(true);
    expect(isOpen(nineToFive(), 'America/New_York', new Date('2026-02-10T14:00:00Z'))).toBe(true);
    expect(isOpen(nineToFive(), 'America/New_York', new Date('2026-02-10T22:00:00Z'))).toBe(false);
  });

  it('keeps a span that crosses midnight open into the next day', () => {
    // Saturday 01:00 in Chicago (CST): Friday's 18:00–02:00 is still running.
    expect(isOpen(lateNights, 'America/Chicago', new Date('2026-01-10T07:00:00Z'))).toBe(true);
    // Saturday 02:30: closed until Saturday 18:00.
    expect(isOpen(lateNights, 'America/Chicago', new Date('2026-01-10T08:30:00Z'))).toBe(false);
    // Sunday 01:00: Saturday's span, though Sunday itself has no hours.
    expect(isOpen(lateNights, 'America/Chicago', new Date('2026-01-11T07:00:00Z'))).toBe(true);
    // Friday 17:59 is before the span.
    expect(isOpen(lateNights, 'America/Chicago', new Date('2026-01-09T23:59:00Z'))).toBe(false);
  });

  it('opens at 9:00 local on the day New York springs forward (2026-03-08) and the Monday after', () => {
    const sunday = { ...nineToFive(), sunday: { start: '09:00', end: '17:00' } };
    // 9:00 EDT is 13:00 UTC; at 13:30 UTC it is 9:30 local, open.
    expect(isOpen(sunday, 'America/New_York', new Date('2026-03-08T13:30:00Z'))).toBe(true);
    expect(isOpen(sunday, 'America/New_York', new Date('2026-03-08T12:30:00Z'))).toBe(false);
    // From Sunday 01:00 EST, the next opening is Sunday 09:00 EDT = 13:00 UTC, not 14:00.
    expect(nextOpening(sunday, 'America/New_York', new Date('2026-03-08T06:00:00Z'))?.toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
    expect(nextOpening(nineToFive(), 'America/New_York', new Date('2026-03-07T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
  });

  it('opens at 9:00 local on the day New York falls back (2026-11-01)', () => {
    const sunday = { sunday: { start: '09:00', end: '17:00' } };
    // 9:00 EST is 14:00 UTC after the change.
    expect(nextOpening(sunday, 'America/New_York', new Date('2026-11-01T04:00:00Z'))?.toISOString()).toBe(
      '2026-11-01T14:00:00.000Z',
    );
    expect(isOpen(sunday, 'America/New_York', new Date('2026-11-01T13:30:00Z'))).toBe(false);
    expect(isOpen(sunday, 'America/New_York', new Date('2026-11-01T14:00:00Z'))).toBe(true);
  });

  it('follows London across both changes (2026-03-29 and 2026-10-25)', () => {
    const weekend = { sunday: { start: '10:00', end: '16:00' } };
    // BST starts at 01:00 UTC on 29 March: 10:00 local is 09:00 UTC.
    expect(nextOpening(weekend, 'Europe/London', new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-29T09:00:00.000Z',
    );
    // GMT again on 25 October: 10:00 local is 10:00 UTC.
    expect(nextOpening(weekend, 'Europe/London', new Date('2026-10-24T12:00:00Z'))?.toISOString()).toBe(
      '2026-10-25T10:00:00.000Z',
    );
    expect(isOpen(weekend, 'Europe/London', new Date('2026-10-25T09:30:00Z'))).toBe(false);
  });

  it('moves a wall-clock time skipped by spring-forward past the gap, and takes the first of a repeated one', () => {
    expect(zonedInstant(2026, 3, 8, 2 * 60 + 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedInstant(2026, 11, 1, 60 + 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedInstant(2026, 10, 25, 60 + 30, 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('finds the next opening across a closed weekend and says it in words', () => {
    const saturdayNight = new Date('2026-03-14T23:00:00Z');
    const next = nextOpening(nineToFive(), 'America/New_York', saturdayNight);
    expect(next?.toISOString()).toBe('2026-03-16T13:00:00.000Z');
    expect(describeOpening(next!, 'America/New_York', saturdayNight)).toBe('Monday at 9:00 AM');
    const sundayNight = new Date('2026-03-16T01:00:00Z');
    expect(
      describeOpening(nextOpening(nineToFive(), 'America/New_York', sundayNight)!, 'America/New_York', sundayNight),
    ).toBe('tomorrow at 9:00 AM');
  });

  it('says when a week with no open day never opens', () => {
    expect(nextOpening({ monday: { closed: true } }, 'UTC', new Date('2026-03-10T12:00:00Z'))).toBeNull();
    expect(isOpen({ monday: { closed: true } }, 'UTC', new Date('2026-03-09T12:00:00Z'))).toBe(false);
  });

  it('renders a week with consecutive days grouped', () => {
    expect(formatWeek(nineToFive())).toBe('Monday–Friday 9:00 AM–5:00 PM; Saturday–Sunday closed');
    expect(formatWeek(lateNights)).toBe('Monday–Thursday closed; Friday–Saturday 6:00 PM–2:00 AM; Sunday closed');
  });

  it('keeps a holiday closed like a closed day, in the tenant zone, and opens after it', () => {
    const hours: WeekHours = { ...nineToFive(), holidays: [{ date: '2026-02-10', name: 'Founders Day' }] };
    // Tuesday 10:00 in New York: open on an ordinary Tuesday, closed on the holiday.
    const at = new Date('2026-02-10T15:00:00Z');
    expect(isOpen(nineToFive(), 'America/New_York', at)).toBe(true);
    expect(isOpen(hours, 'America/New_York', at)).toBe(false);
    expect(holidayOn(hours, 'America/New_York', at)).toEqual({ date: '2026-02-10', name: 'Founders Day' });
    expect(nextOpening(hours, 'America/New_York', at)?.toISOString()).toBe('2026-02-11T14:00:00.000Z');
    // 01:00 UTC on the 11th is still the 10th in New York but already the 11th in Berlin.
    const late = new Date('2026-02-11T01:00:00Z');
    expect(holidayOn(hours, 'America/New_York', late)).toBeDefined();
    expect(holidayOn(hours, 'Europe/Berlin', late)).toBeUndefined();
  });

  it('skips a run of holidays longer than a week to the next open day', () => {
    const dates = Array.from({ length: 10 }, (_, i) => `2026-02-${String(9 + i).padStart(2, '0')}`);
    const hours: WeekHours = { ...nineToFive(), holidays: dates.map((date) => ({ date })) };
    const opens = nextOpening(hours, 'UTC', new Date('2026-02-09T08:00:00Z'));
    expect(opens?.toISOString()).toBe('2026-02-19T09:00:00.000Z');
  });
});
