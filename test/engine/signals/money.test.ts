import { describe, expect, it } from 'vitest';
import { signalsOf } from './signals.fixtures.js';

describe('money signals', () => {
  it.each([
    ['We have $60k set aside', '$60,000'],
    ['budget is 5 lakh', '$500,000'],
    ['around €20,000 for the whole thing', '$20,000'],
    ['fourteen thousand set aside', '$14,000'],
    ['somewhere between $10k and $25k', '$10,000–$25,000'],
  ])('reads an amount in "%s"', (text, amount) => {
    expect(signalsOf(text).money.amount?.text).toBe(amount);
  });

  it('reads a weight, a distance or a load beside a number as no money', () => {
    expect(signalsOf('walk in cooler is down, about 300 lbs of product in there').money.amount).toBeNull();
    expect(signalsOf('we need around 400 kg moved about 120 miles').money.amount).toBeNull();
    expect(signalsOf('budget around 300').money.amount?.text).toBe('$300');
  });

  it('hears money lined up', () => {
    expect(signalsOf('We have $60k set aside').money.committed?.text).toBe('set aside');
    expect(signalsOf('Insurance approved the claim').money.committed).not.toBeNull();
    expect(signalsOf('the insurance claim is open, adjuster came Monday').money.committed).not.toBeNull();
  });

  it('does not hear a claim that is a grievance or a filing as money lined up', () => {
    expect(signalsOf("My claim from June still hasn't been paid").money.committed).toBeNull();
    expect(signalsOf('A dresser was scratched, I want to file a claim').money.committed).toBeNull();
  });

  it('tells "budget isn\'t a problem" from "no budget right now"', () => {
    expect(signalsOf("Budget isn't a problem").money.noObstacle).not.toBeNull();
    expect(signalsOf("Budget isn't a problem").money.lacking).toBeNull();
    expect(signalsOf('No budget right now').money.lacking?.text).toBe('no budget');
  });

  it('hears a budget not yet decided', () => {
    expect(signalsOf("the budget for next year hasn't been decided").money.undecided).not.toBeNull();
  });

  it('hears paying for oneself and a price taken as given as money lined up, and "don\'t care what it costs" as no obstacle', () => {
    expect(
      signalsOf("I don't have dental coverage so I'll be paying myself, that's fine").money.committed,
    ).not.toBeNull();
    expect(signalsOf('the price is fine, book me in').money.committed).not.toBeNull();
    expect(signalsOf("Can you see him now? I don't care what it costs").money.noObstacle).not.toBeNull();
  });

  it("hears a patient's named payer as money lined up", () => {
    expect(signalsOf('can she be seen today? we have Aetna').money.committed?.text).toBe('aetna');
    expect(signalsOf('broke my wrist on Saturday').money.lacking).toBeNull();
  });
});
