import { describe, expect, it } from 'vitest';
import { bucketForDays, extractTimeline, parseTimelineValue } from '../../../src/engine/entities/timeline.js';

// A Saturday afternoon in Austin.
const reference = { instant: new Date('2025-09-13T14:30:00Z'), timeZone: 'America/Chicago' };

function bucket(text: string) {
  return extractTimeline(text, reference).bucket;
}

describe('extractTimeline', () => {
  it('buckets "in the next 3 months" as 1-3 months', () => {
    expect(bucket("I'm looking to do it in the next 3 months.")).toBe('1-3_months');
  });

  it('reads urgent words as immediate and reports the word', () => {
    const reading = extractTimeline('Burst pipe, need a plumber ASAP', reference);
    expect(reading).toMatchObject({ bucket: 'immediate', urgentTerm: 'asap' });
  });

  it('reads durations written as words and ranges', () => {
    expect(bucket('within the next six weeks')).toBe('1-3_months');
    expect(bucket('in 3 to 6 months')).toBe('3-6_months');
    expect(bucket('in the next 6-12 months')).toBe('6-12_months');
    expect(bucket('maybe in a couple of years')).toBe('12+_months');
  });

  it('reads calendar dates relative to the reference date', () => {
    const reading = extractTimeline('Need it replaced before closing on Oct 10.', reference);
    expect(reading).toMatchObject({ bucket: '1-3_months', dates: ['2025-10-10'] });
    expect(bucket('We want to start in January.')).toBe('3-6_months');
  });

  it('reads seasons, quarters and year ends', () => {
    expect(bucket('it will be finished next summer')).toBe('6-12_months');
    expect(bucket('go-live in Q1')).toBe('3-6_months');
    expect(bucket('decision by end of quarter')).toBe('immediate');
    expect(bucket('probably 2027')).toBe('12+_months');
  });

  it('takes the nearest horizon when several are named', () => {
    expect(bucket('Ideally before winter, so the next two months or so.')).toBe('1-3_months');
  });

  it('ignores past years, ages, durations of ownership and clock times', () => {
    expect(bucket('built 2005, we have been here 10 years, the unit is 25 years old, call me after 5')).toBeNull();
  });

  it('ignores words chrono-node mistakes for dates', () => {
    expect(bucket('I may need a sun room and a second story')).toBeNull();
  });

  it('does not read "not … this year" as a deadline this year', () => {
    expect(bucket("I'm not doing anything this year, just collecting numbers")).toBeNull();
    expect(bucket('We want it done this year')).toBe('3-6_months');
  });

  it('notes when the lead says there is no rush', () => {
    expect(extractTimeline('No rush, our timing is flexible', reference)).toMatchObject({
      bucket: null,
      relaxed: true,
    });
  });

  it('resolves dates in the tenant time zone', () => {
    const lateNight = { instant: new Date('2025-09-14T03:30:00Z'), timeZone: 'America/Los_Angeles' };
    expect(extractTimeline('can you come tomorrow?', lateNight).dates).toEqual(['2025-09-14']);
  });
});

describe('parseTimelineValue', () => {
  it('accepts the bucket names spec A forms send', () => {
    for (const value of ['immediate', '1-3_months', '3-6_months', '6-12_months', '12+_months']) {
      expect(parseTimelineValue(value, reference)).toBe(value);
    }
  });

  it('accepts words and loosely written ranges', () => {
    expect(parseTimelineValue('asap', reference)).toBe('immediate');
    expect(parseTimelineValue('3-6 months', reference)).toBe('3-6_months');
    expect(parseTimelineValue('over 12 months', reference)).toBe('12+_months');
  });
});

describe('bucketForDays', () => {
  it('puts the bucket edges at three weeks, three, six and twelve months', () => {
    expect([21, 22, 92, 93, 184, 185, 366, 367].map(bucketForDays)).toEqual([
      'immediate',
      '1-3_months',
      '1-3_months',
      '3-6_months',
      '3-6_months',
      '6-12_months',
      '6-12_months',
      '12+_months',
    ]);
  });
});
