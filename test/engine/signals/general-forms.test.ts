import { describe, expect, it } from 'vitest';
import { extractMoney } from '../../../src/engine/entities/money.js';
import { signalsOf } from './signals.fixtures.js';

/** Signals read in general form: the same meaning in other currencies, figures, tenses and trades. */

describe('money in any form', () => {
  it.each([
    ['We have €20.000 set aside.', 20_000],
    ['budget 15.000 € for the fit-out', 15_000],
    ['Rs. 3,50,000 is sanctioned', 350_000],
    ['AUD 25,000 set aside', 25_000],
    ['about twenty-five thousand dollars', 25_000],
    ['two hundred thousand dollars', 200_000],
    ['20,000 CHF', 20_000],
  ])('reads "%s" as %d', (text, amount) => {
    expect(extractMoney(text)[0]?.max).toBe(amount);
  });

  it('keeps a decimal a decimal', () => {
    expect(extractMoney('a $1.2M home')[0]?.max).toBe(1_200_000);
  });

  it('hears an approval still to come as no money lined up, and as someone else deciding', () => {
    const pending = signalsOf('It has to be approved by our board before we commit');
    expect(pending.money.committed).toBeNull();
    expect(pending.authority.needsOther).not.toBeNull();
    expect(signalsOf('budget will need to be approved by finance').money.committed).toBeNull();
    expect(signalsOf('The board approved $40k last week').money.committed?.text).toBe('approved');
  });
});

describe('timelines in any form', () => {
  it('reads the period after this one as months away, not as a deadline', () => {
    const next = signalsOf('We need 30 laptops for next school year');
    expect(next.timeline.days).toBeGreaterThan(92);
    expect(next.timeline.deadline).toBeNull();
    expect(signalsOf('Budget approved for next fiscal year').timeline.deadline).toBeNull();
    expect(signalsOf('We want it done before the semester starts').timeline.deadline).not.toBeNull();
  });

  it('reads a past day as history, not a timeline', () => {
    expect(signalsOf('I left my jacket at the party last saturday').timeline.days).toBeNull();
  });

  it('does not let a bare "now" beside a later date make the lead urgent', () => {
    expect(signalsOf('Moving in November. Just want a rough price now.').timeline.now).toBeNull();
    expect(signalsOf('Pipe burst, need someone now').timeline.now?.text).toBe('now');
  });
});

describe('needs and writers in any trade', () => {
  it('reads described symptoms and a loss told as an event', () => {
    expect(signalsOf('my brakes are grinding and I am scared to drive it').need.problem).not.toBeNull();
    expect(signalsOf('our heat went out last night').need.emergency?.text).toBe('heat went out');
  });

  it('does not count a house number as a quantity', () => {
    expect(signalsOf('Roof leaking, 14 Elm St, need someone today').need.quantity).toBeNull();
    expect(signalsOf('We need 40 licenses').need.quantity?.text).toBe('40 licenses');
  });

  it.each([
    "We're a 9-person agency and would like a demo next month",
    "We're a 140-employee manufacturer and our board approved a new payroll provider",
  ])('reads a business that buys, though its trade sells, as a buyer: "%s"', (text) => {
    expect(signalsOf(text).nonBuyer.vendor).toBeNull();
  });

  it('reads a business of that trade pitching to this one as a vendor', () => {
    expect(signalsOf("We're a dev agency, we can help your business ship faster").nonBuyer.vendor).not.toBeNull();
  });

  it.each([
    ['researcher', 'hey im doing a survey for my criminology class, can u answer 5 questions'],
    ['jobSeeker', 'HVAC tech with 8 yrs experience, are you guys looking for anyone?'],
    ['support', 'you guys put in a water heater for us in March, how long is the warranty?'],
  ] as const)('reads a %s in "%s"', (family, text) => {
    expect(signalsOf(text).nonBuyer[family]).not.toBeNull();
  });

  it('hears "not ready to commit" as a hedge, not a refusal', () => {
    const signals = signalsOf('Not ready to commit, just want numbers');
    expect(signals.hedges.refusal).toBeNull();
    expect(signals.hedges.hedge).not.toBeNull();
  });
});
