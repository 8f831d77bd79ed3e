import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('non-buyer signals', () => {
  it.each([
    ['jobSeeker', 'HVAC tech looking for work, resume attached'],
    ['researcher', "I'm a student writing a paper on solar adoption"],
    ['researcher', "I'm a market research analyst benchmarking competitors' pricing"],
    ['vendor', 'We generate exclusive roofing leads, offer ends Friday'],
    ['spam', 'CONGRATULATIONS, send your bank details and a processing fee'],
    ['optOut', 'unsubscribe me from these emails'],
    ['support', 'How do I reset my password for my account?'],
    ['wrongNumber', 'Sorry, wrong number'],
  ] as const)('reads a %s in "%s"', (family, text) => {
    expect(signalsOf(text).nonBuyer[family]).not.toBeNull();
  });

  it('reads no non-buyer in a plain buyer', () => {
    const signals = signalsOf('Need a new AC installed this week, we own the house, about $9k budgeted');
    expect(Object.values(signals.nonBuyer).filter(Boolean)).toEqual([]);
  });
});
