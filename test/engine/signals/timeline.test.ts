import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('timeline signals', () => {
  it('reads durations, dates and deadlines through chrono-node and the entity reader', () => {
    expect(signalsOf('deployed within 30 days').timeline.days).toBe(30);
    expect(signalsOf('before the semester starts on the 1st').timeline.days).toBeLessThanOrEqual(31);
    expect(signalsOf('sometime next year').timeline.days).toBeGreaterThan(92);
  });

  it('reads no timeline out of a house number and a compass point ("1200 W Grand Ave")', () => {
    expect(signalsOf('our walk-in is at 1200 W Grand Ave Chicago').timeline.days).toBeNull();
  });

  it('reads a deadline that names no date', () => {
    expect(signalsOf('we need it live before the semester').timeline.deadline?.text).toBe('before the');
    expect(signalsOf('has to be signed by end of quarter').timeline.deadline).not.toBeNull();
  });

  it('hears now only where it is meant: "no budget right now" is not a timeline', () => {
    expect(signalsOf('can you come today?').timeline.now?.text).toBe('today');
    const noBudget = signalsOf('No budget right now, maybe in spring');
    expect(noBudget.timeline.now).toBeNull();
  });

  it('hears no hurry, however it is said', () => {
    expect(signalsOf('no rush at all').timeline.relaxed).not.toBeNull();
    expect(signalsOf('not doing anything anytime soon').timeline.relaxed).not.toBeNull();
    expect(signalsOf('Not urgent, just gross').timeline.now).toBeNull();
  });

  it('reads no date the lead denies: "no specific job right now"', () => {
    expect(signalsOf('No specific job right now, would like your rates').timeline.days).toBeNull();
  });
});
