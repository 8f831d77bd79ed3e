import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('need signals', () => {
  it.each([
    ['We need 40 licenses deployed', '40 licenses'],
    ['our 75 sales reps', '75 sales reps'],
    ['3 cafés miss calls every lunch', '3 cafés'],
  ])('reads a count of things in "%s"', (text, quantity) => {
    expect(signalsOf(text).need.quantity?.text).toBe(quantity);
  });

  it('does not count times, ages or money as quantities', () => {
    for (const text of ['within 30 days', 'the roof is 18 years old', 'about $9k'])
      expect(signalsOf(text).need.quantity).toBeNull();
  });

  it('reads a problem and a job in any vertical', () => {
    expect(signalsOf('The skylight is leaking again').need.problem?.text).toBe('leaking');
    expect(signalsOf('We want to replace our dialer').need.job?.text).toBe('replace');
  });

  it('reads an emergency, including what a home is without', () => {
    expect(signalsOf('water coming through the ceiling').need.emergency?.text).toBe('water coming');
    expect(signalsOf('Furnace died, no heat and a baby at home').need.emergency?.text).toBe('no heat');
    expect(signalsOf('Nothing is leaking, a few shingles are missing').need.emergency).toBeNull();
  });

  it('reads water or weather getting inside, and heating told as a fault, as an emergency', () => {
    expect(signalsOf("a hole over the garage. Water's getting in.").need.emergency).not.toBeNull();
    expect(signalsOf('rain is coming in around the chimney').need.emergency?.text).toBe('rain is coming in');
    expect(signalsOf("the furnace is not lighting and it's 9 degrees").need.emergency).not.toBeNull();
    expect(signalsOf('we want a water softener put in').need.emergency).toBeNull();
  });

  it('does not count a reference, a price or a year as a quantity', () => {
    for (const text of [
      'PO 45-11872 is attached, call 555-0100 with questions',
      'about invoice 2231 Hello Accounts',
      'I saw it on Channel 6 News',
      'trading in my 2018 Camry',
      'sent the $2,000 deposit today',
    ])
      expect(signalsOf(text).need.quantity).toBeNull();
    expect(signalsOf('a 2000 sq ft ranch').need.quantity?.text).toBe('2000 sq ft ranch');
  });

  it('does not read haste ("super urgent") as harm happening', () => {
    expect(
      signalsOf('Super urgent: a team day for 15 people this Friday, send options today').need.emergency,
    ).toBeNull();
  });

  it('reads a person or an animal in danger now as an emergency', () => {
    expect(signalsOf("my dog got hit by a car, he can't stand").need.emergency?.text).toBe('hit by a car');
    expect(signalsOf('our golden retriever swallowed a sock').need.emergency).not.toBeNull();
    expect(signalsOf('my dad is not breathing right').need.emergency).not.toBeNull();
    expect(signalsOf('the lift jammed and two guests are trapped').need.emergency).not.toBeNull();
    expect(signalsOf('my toddler is stuck inside the locked car').need.emergency).not.toBeNull();
  });
});
