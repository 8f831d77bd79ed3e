import { describe, expect, it } from 'vitest';
import { nextOpening, recipientZone } from '../../../src/domain/compliance/index.js';

const NY = 'America/New_York';
const DAYTIME = { start: '08:00', end: '21:00' };
const at = (iso: string) => new Date(iso);

describe('nextOpening', () => {
  it('answers undefined inside the window', () => {
    expect(nextOpening(at('2026-06-10T16:00:00Z'), NY, DAYTIME)).toBeUndefined();
  });

  it('opens at 08:00 the same morning before it, the next morning after 21:00', () => {
    expect(nextOpening(at('2026-06-10T10:00:00Z'), NY, DAYTIME)).toEqual(at('2026-06-10T12:00:00Z'));
    expect(nextOpening(at('2026-06-11T01:30:00Z'), NY, DAYTIME)).toEqual(at('2026-06-11T12:00:00Z'));
  });

  it('opens at 08:00 EDT on the morning clocks spring forward (8 March 2026)', () => {
    // 01:00 EST; the night loses an hour, so 08:00 is 12:00 UTC, not 13:00.
    expect(nextOpening(at('2026-03-08T06:00:00Z'), NY, DAYTIME)).toEqual(at('2026-03-08T12:00:00Z'));
    // 22:00 EST the evening before.
    expect(nextOpening(at('2026-03-08T03:00:00Z'), NY, DAYTIME)).toEqual(at('2026-03-08T12:00:00Z'));
    // 03:30 EDT, after the jump.
    expect(nextOpening(at('2026-03-08T07:30:00Z'), NY, DAYTIME)).toEqual(at('2026-03-08T12:00:00Z'));
  });

  it('opens at 08:00 EST on the morning clocks fall back (1 November 2026)', () => {
    // 01:30 EDT, before the repeat hour.
    expect(nextOpening(at('2026-11-01T05:30:00Z'), NY, DAYTIME)).toEqual(at('2026-11-01T13:00:00Z'));
    // 01:30 EST, the second time round.
    expect(nextOpening(at('2026-11-01T06:30:00Z'), NY, DAYTIME)).toEqual(at('2026-11-01T13:00:00Z'));
    // 21:30 EST that evening: the next morning, still EST.
    expect(nextOpening(at('2026-11-02T02:30:00Z'), NY, DAYTIME)).toEqual(at('2026-11-02T13:00:00Z'));
  });

  it('closes at the end time on both DST days', () => {
    expect(nextOpening(at('2026-03-09T00:59:00Z'), NY, DAYTIME)).toBeUndefined(); // 20:59 EDT
    expect(nextOpening(at('2026-03-09T01:00:00Z'), NY, DAYTIME)).toEqual(at('2026-03-09T12:00:00Z'));
    expect(nextOpening(at('2026-11-02T01:59:00Z'), NY, DAYTIME)).toBeUndefined(); // 20:59 EST
  });

  it('opens a window that spans midnight at its start', () => {
    const night = { start: '22:00', end: '06:00' };
    expect(nextOpening(at('2026-06-11T03:00:00Z'), NY, night)).toBeUndefined(); // 23:00 EDT
    expect(nextOpening(at('2026-06-10T16:00:00Z'), NY, night)).toEqual(at('2026-06-11T02:00:00Z'));
  });
});

describe('recipientZone', () => {
  it.each([
    ['+12125550100', 'America/New_York'],
    ['+13125550100', 'America/Chicago'],
    ['+13035550100', 'America/Denver'],
    ['+16025550100', 'America/Phoenix'],
    ['+14155550100', 'America/Los_Angeles'],
    ['+18085550100', 'Pacific/Honolulu'],
    ['+14165550100', 'America/Toronto'],
    ['+442071838750', 'Europe/London'],
    ['+919876543210', 'Asia/Kolkata'],
    ['+61255550100', undefined],
    ['not a number', undefined],
  ])('reads %s as %s', (phone, zone) => {
    expect(recipientZone(phone)).toBe(zone);
  });
});
