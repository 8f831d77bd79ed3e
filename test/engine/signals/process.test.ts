import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('purchase-process signals', () => {
  it.each([
    ['Who do I send the PO to?', 'po'],
    ['Please send the order form', 'order form'],
    ['Send the contract over', 'contract'],
    ["Let's do a paid pilot", 'paid pilot'],
    ['We accept, what is the deposit?', 'we accept'],
  ])('reads a purchase step in "%s"', (text, step) => {
    expect(signalsOf(text).process.purchase?.text).toBe(step);
  });

  it('reads pricing, contact and service questions', () => {
    expect(signalsOf('Send me a quote').process.pricing?.text).toBe('quote');
    expect(signalsOf('please call me back').process.contact).not.toBeNull();
    expect(signalsOf('do u guys do flat roofs?').process.service?.text).toBe('do u guys do');
  });
});
