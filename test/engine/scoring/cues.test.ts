import { describe, expect, it } from 'vitest';
import { readCues } from '../../../src/engine/scoring/cues.js';

describe('readCues', () => {
  it('hears hesitation, strong and weak', () => {
    const cues = readCues('Just collecting numbers for now, maybe next year.');
    expect(cues.strongHedges).toEqual(['just collecting']);
    expect(cues.weakHedges).toEqual(['maybe']);
  });

  it('does not take "maybe" before a figure for hesitation', () => {
    expect(readCues("It's a Trane, maybe 12 years old. Maybe 12 by 16.").weakHedges).toEqual([]);
  });

  it('hears money already lined up, however the approval is phrased', () => {
    expect(readCues("the adjuster came out and the claim's approved").financed).toBe("claim's approved");
    expect(readCues("Budget's approved for Q1").financed).toBe("budget's approved");
    expect(readCues("we're pre-approved").financed).toBe('pre-approved');
  });

  it('hears a breakdown that cannot wait', () => {
    expect(readCues('our AC quit last night').breakdown).toBe('quit last night');
    expect(readCues("it's blowing warm air inside").breakdown).toBe('blowing warm air');
    expect(readCues('we want a new AC next spring').breakdown).toBeNull();
  });

  it('tells a renter from an owner', () => {
    const cues = readCues('I rent my house');
    expect(cues.renter).toBe('i rent');
    expect(readCues('we own our home').renter).toBeNull();
  });
});
