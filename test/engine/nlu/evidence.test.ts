import { describe, expect, it } from 'vitest';
import { intentEvidence } from '../../../src/engine/nlu/evidence.js';

describe('intentEvidence', () => {
  it('boosts spam per scam phrase, up to a cap', () => {
    expect(intentEvidence('Congratulations, you won a gift card! Click here: http://bit.ly/x').spam).toBe(0.6);
  });

  it('reads job seekers and wrong numbers', () => {
    expect(intentEvidence('Are you hiring? My resume is attached.').job_application).toBe(0.5);
    expect(intentEvidence('Sorry, wrong number').wrong_number).toBeGreaterThan(0);
  });

  it('reads a price asked for a number of seats as a pricing question', () => {
    expect(intentEvidence('I need pricing for 60 seats by Friday').pricing_inquiry).toBe(0.3);
    expect(intentEvidence('what is the price per seat?').pricing_inquiry).toBe(0.3);
    expect(intentEvidence('we need a quote for 2 windows')).toEqual({});
  });

  it('reads keyboard mashing and "test test" as spam, but not a sentence that starts with them', () => {
    for (const text of [
      'asdf',
      'asdfasdf qwer!',
      'test test.',
      'testing testing 123',
      'Lorem ipsum',
      ' hjkl... sdfg ',
      'testasdf',
      'testtest',
    ]) {
      expect({ text, spam: intentEvidence(text).spam }).toEqual({ text, spam: text.includes('123') ? undefined : 0.7 });
    }
    expect(intentEvidence('test the new roof please').spam).toBeUndefined();
    expect(intentEvidence('asdf'.repeat(30) + '#').spam).toBeUndefined();
  });

  it('finds nothing in an ordinary request', () => {
    expect(intentEvidence('We need a new roof before winter')).toEqual({});
  });
});
