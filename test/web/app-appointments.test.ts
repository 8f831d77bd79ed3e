import { describe, expect, it } from 'vitest';
import {
  byDay,
  dateIn,
  datesOf,
  dayLabel,
  instantOf,
  localInputOf,
  step,
  timeIn,
} from '../../web/app/src/appointments/calendar.js';

/** The appointments page places appointments by the tenant's zone; these are its days and times. */

const LA = 'America/Los_Angeles';

describe('the web app’s appointment calendar', () => {
  it('covers one day, or the Monday-to-Sunday week of the anchor, and steps by either', () => {
    expect(datesOf('day', '2030-03-06')).toEqual(['2030-03-06']);
    expect(datesOf('week', '2030-03-06')).toEqual([
      '2030-03-04',
      '2030-03-05',
      '2030-03-06',
      '2030-03-07',
      '2030-03-08',
      '2030-03-09',
      '2030-03-10',
    ]);
    expect(datesOf('week', '2030-03-10')[0]).toBe('2030-03-04');
    expect(step('week', '2030-03-06', 1)).toBe('2030-03-13');
    expect(step('day', '2030-03-01', -1)).toBe('2030-02-28');
    expect(dayLabel('2030-03-04')).toBe('Mon 4 Mar');
  });

  it('puts an appointment on the date and time of the tenant’s zone, not UTC’s', () => {
    const late = { id: 'a', start: '2030-03-05T07:30:00.000Z' };
    const early = { id: 'b', start: '2030-03-05T08:30:00.000Z' };
    const untimed = { id: 'c', start: null };
    const outside = { id: 'd', start: '2030-03-07T20:00:00.000Z' };
    expect(dateIn(late.start, LA)).toBe('2030-03-04');
    expect(timeIn(late.start, LA)).toBe('23:30');
    expect(byDay([early, outside, untimed, late], ['2030-03-04', '2030-03-05'], LA)).toEqual([
      { date: '2030-03-04', items: [late] },
      { date: '2030-03-05', items: [early] },
    ]);
    expect(byDay([late], ['2030-03-05'], 'UTC')).toEqual([{ date: '2030-03-05', items: [late] }]);
  });

  it('reads a typed wall-clock time in the tenant’s zone, across a daylight-saving change', () => {
    expect(instantOf('2030-03-05T09:30', LA)).toBe('2030-03-05T17:30:00.000Z');
    // Clocks go forward on 10 March 2030 in Los Angeles: 09:30 is then seven hours behind UTC.
    expect(instantOf('2030-03-11T09:30', LA)).toBe('2030-03-11T16:30:00.000Z');
    expect(instantOf('2030-06-10T14:00', 'Europe/London')).toBe('2030-06-10T13:00:00.000Z');
    expect(localInputOf('2030-03-11T16:30:00.000Z', LA)).toBe('2030-03-11T09:30');
  });
});
