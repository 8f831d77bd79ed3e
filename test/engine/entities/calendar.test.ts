import { describe, expect, it } from 'vitest';
import { isoWithOffset, mendTimeWords } from '../../../src/engine/entities/calendar.js';
import { findEmails } from '../../../src/engine/entities/emails.js';
import { extractAddress } from '../../../src/engine/entities/person.js';

describe('calendar', () => {
  it('writes an instant with the zone offset in force at that instant', () => {
    expect(isoWithOffset(new Date('2026-03-11T20:00:00Z'), 'America/Chicago')).toBe('2026-03-11T15:00:00-05:00');
    expect(isoWithOffset(new Date('2026-01-11T21:00:00Z'), 'America/Chicago')).toBe('2026-01-11T15:00:00-06:00');
    expect(isoWithOffset(new Date('2026-03-11T05:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-11T11:00:00+05:30');
  });

  it('mends one typo in a day or time word and leaves other words alone', () => {
    expect(mendTimeWords('tomorow mornin ok')).toBe('tomorrow morning ok');
    expect(mendTimeWords('Thursdy afternoon')).toBe('thursday afternoon');
    expect(mendTimeWords('money for the tomato')).toBe('money for the tomato');
  });
});

describe('addresses and e-mails in text', () => {
  it('keeps a city and zip written after the street without a comma', () => {
    expect(extractAddress('adress 45 Rundberg Ln Austin 78753')).toBe('45 Rundberg Ln Austin 78753');
    expect(extractAddress('at 1420 Bluebonnet Trail. Agent will call')).toBe('1420 Bluebonnet Trail');
  });

  it('finds e-mails as written, case kept', () => {
    expect(findEmails('Amy Chen, Amy.Chen@Gmail.com')).toEqual(['Amy.Chen@Gmail.com']);
  });
});
