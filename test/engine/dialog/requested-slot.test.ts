import { describe, expect, it } from 'vitest';
import { requestedSlot, retimedSlot } from '../../../src/engine/dialog/requested-slot.js';

// Tuesday 2026-03-10, 10:00 in Chicago (UTC-5 after the spring change).
const NOW = new Date('2026-03-10T15:00:00Z');
const slot = (text: string, now = NOW, zone = 'America/Chicago') => requestedSlot(text, now, zone);

describe('requested slot', () => {
  it('reads a day and a time in the tenant zone, with its offset', () => {
    expect(slot('tomorrow at 3pm')).toEqual({
      text: 'tomorrow at 3pm',
      start: '2026-03-11T15:00:00-05:00',
      end: null,
      asap: false,
    });
    expect(slot('Thursday at 2pm', NOW, 'America/Phoenix')?.start).toBe('2026-03-12T14:00:00-07:00');
    expect(slot('Monday at 9', NOW, 'Europe/Dublin')?.start).toBe('2026-03-16T09:00:00+00:00');
  });

  it('reads "tomorrow" against the local day, not the UTC one', () => {
    // 23:30 on Tuesday in New York is already Wednesday in UTC.
    expect(slot('tomorrow at 3pm', new Date('2026-03-11T03:30:00Z'), 'America/New_York')?.start).toBe(
      '2026-03-11T15:00:00-04:00',
    );
  });

  it('reads a part of the day as a window', () => {
    expect(slot('Monday morning')).toMatchObject({
      start: '2026-03-16T08:00:00-05:00',
      end: '2026-03-16T12:00:00-05:00',
    });
    expect(slot('Saturday the 21st in the morning')?.start).toBe('2026-03-21T08:00:00-05:00');
  });

  it('reads hours said loosely: "after 5", "7 in the evening"', () => {
    expect(slot('Friday after 5')?.start).toBe('2026-03-13T17:00:00-05:00');
    expect(slot('on 27 march at 7 in the evening')?.start).toBe('2026-03-27T19:00:00-05:00');
    expect(slot('Thursday at noon')?.start).toBe('2026-03-12T12:00:00-05:00');
  });

  it('mends a typo in a day word', () => {
    expect(slot('tomorow morning ok')?.start).toBe('2026-03-11T08:00:00-05:00');
  });

  it('flags "as soon as you can" and keeps "no rush" relaxed', () => {
    expect(slot('please come out as soon as you can')).toMatchObject({ asap: true, start: null });
    expect(slot('no rush, next month')).toMatchObject({ asap: false, text: 'no rush, next month' });
    expect(slot('no rush, next month')?.start?.slice(0, 7)).toBe('2026-04');
  });

  it('names no slot for text without a time, or with only a past one', () => {
    expect(slot('my name is Dave')).toBeNull();
    expect(slot('512-555-0199')).toBeNull();
    expect(slot('I was rear-ended last week and my neck hurts')).toBeNull();
  });

  it('reads rough hours and spoken parts of the day', () => {
    expect(slot('wednesday 2ish')?.start).toBe('2026-03-11T14:00:00-05:00');
    expect(slot('first thing friday')).toMatchObject({ start: '2026-03-13T08:00:00-05:00' });
    expect(slot('tomorrow between 1 and 3')?.start).toBe('2026-03-11T13:00:00-05:00');
    expect(slot('thu arvo', NOW, 'Australia/Perth')).toMatchObject({ start: '2026-03-12T12:00:00+08:00' });
  });

  it('reads "say 10" as an hour, and neither a greeting nor a span something has lasted as when to come', () => {
    expect(slot('could someone come for it Thursday morning? say 10')?.start).toBe('2026-03-12T10:00:00-05:00');
    expect(slot("Good afternoon, I want to apply for citizenship, I've been a resident for 5 years now")).toBeNull();
    expect(slot('the sink has been draining super slow for a week')).toBeNull();
    expect(slot('hi, good morning! tomorrow afternoon works')?.start).toBe('2026-03-11T12:00:00-05:00');
    // "in the week" is on weekdays, not a week from now.
    expect(slot('saturday morning is possible? in the week I am at work')?.start).toBe('2026-03-14T08:00:00-05:00');
  });

  it('reads "like 6" as an hour, and never a day that points back ("since Monday", "last weekend")', () => {
    expect(slot('thursday evening, like 6')?.start).toBe('2026-03-12T18:00:00-05:00');
    expect(slot('tomorrow after work, like 5:30?')?.start).toBe('2026-03-11T17:30:00-05:00');
    expect(slot('sciatica since Monday, any chance of next thursday after 3?')?.start).toBe(
      '2026-03-19T15:00:00-05:00',
    );
    expect(slot('my back has hurt since I moved apartments last weekend')).toBeNull();
    expect(slot('it started two days ago')).toBeNull();
    expect(slot("I'm 30 weeks pregnant, this Thursday at 6pm?")?.start).toBe('2026-03-12T18:00:00-05:00');
    expect(slot("ok then let's do early april, like april 2nd in the morning")?.start).toBe(
      '2026-04-02T08:00:00-05:00',
    );
  });

  it('takes the day asked for over the day something happened', () => {
    expect(slot('the pipe cracked on sunday, could you come thursday?')?.start).toBe('2026-03-12T00:00:00-05:00');
    expect(slot('can you come thursday? I need it done')?.start).toBe('2026-03-12T00:00:00-05:00');
  });

  it('moves a time already given to an hour named alone, keeping its day', () => {
    const held = slot('Friday at 9am')!;
    expect(retimedSlot('can we make it 11 instead', held, NOW, 'America/Chicago')?.start).toBe(
      '2026-03-13T11:00:00-05:00',
    );
    expect(retimedSlot('do 3 instead', held, NOW, 'America/Chicago')?.start).toBe('2026-03-13T15:00:00-05:00');
    expect(retimedSlot('make it 4 people', held, NOW, 'America/Chicago')).toBeNull();
    expect(retimedSlot('make it Monday at 11', held, NOW, 'America/Chicago')).toBeNull();
  });

  it('reads "after lunch" as the afternoon, and a weekday habit beside a named day as that day', () => {
    expect(slot('wed after lunch')).toMatchObject({
      start: '2026-03-11T12:00:00-05:00',
      end: '2026-03-11T17:00:00-05:00',
    });
    expect(slot('weekday evenings are best, like next wednesday at 6?')?.start).toMatch(/^2026-03-1[18]T18:00/);
    expect(slot('any weekday after 5')?.start).toMatch(/T17:00/);
  });
});
