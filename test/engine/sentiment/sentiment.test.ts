import { describe, expect, it } from 'vitest';
import { analyzeSentiment } from '../../../src/engine/sentiment/sentiment.js';

describe('analyzeSentiment', () => {
  it('reads praise as positive', () => {
    expect(analyzeSentiment('Thank you so much, the crew did a great job!')).toMatchObject({ sentiment: 'positive' });
  });

  it('keeps a negation inside its clause and reads a no-show as a strong complaint', () => {
    expect(analyzeSentiment('we waited all day for nothing, honestly this is terrible').score).toBeLessThanOrEqual(
      -0.7,
    );
    expect(analyzeSentiment('nobody turned up and nobody called').sentiment).toBe('negative');
    expect(analyzeSentiment('not bad at all').sentiment).toBe('positive');
  });

  it('reads complaints and damage as negative', () => {
    expect(analyzeSentiment('My order arrived damaged and the glass is shattered, this is terrible')).toMatchObject({
      sentiment: 'negative',
    });
    expect(analyzeSentiment('The app keeps crashing and nothing is working')).toMatchObject({ sentiment: 'negative' });
  });

  it('reads plain requests as neutral', () => {
    expect(analyzeSentiment('Please send a quote for 25 seats with annual billing.')).toEqual({
      sentiment: 'neutral',
      score: 0,
    });
  });

  it('flips words after a negation', () => {
    expect(analyzeSentiment('I am not happy with the service').score).toBeLessThan(0);
  });

  it('keeps the score within [-1, 1]', () => {
    const { score } = analyzeSentiment('awful terrible horrible worst nightmare scam fraud!!!');
    expect(score).toBeGreaterThanOrEqual(-1);
    expect(score).toBeLessThan(-0.9);
  });
});
