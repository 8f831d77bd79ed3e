import { describe, expect, it } from 'vitest';
import { extractMoney, parseBudgetValue } from '../../../src/engine/entities/money.js';

function amounts(text: string) {
  return extractMoney(text).map(({ min, max, period, context, range }) => ({ min, max, period, context, range }));
}

describe('extractMoney', () => {
  it('reads "$30k" and "$30,000" as thirty thousand', () => {
    expect(amounts('budget of $30k')[0]).toMatchObject({ min: 30_000, max: 30_000 });
    expect(amounts('My budget is around $30,000.')[0]).toMatchObject({ min: 30_000, max: 30_000, context: 'budget' });
  });

  it('reads amounts written with currency words', () => {
    expect(amounts('about 30,000 dollars')[0]?.max).toBe(30_000);
    expect(amounts('maybe 30 grand')[0]?.max).toBe(30_000);
    expect(amounts('a $1.2M home')[0]?.max).toBe(1_200_000);
  });

  it('reads "between 10 and 25 thousand" as a range with the unit applied to both ends', () => {
    expect(amounts('between 10 and 25 thousand')).toEqual([
      { min: 10_000, max: 25_000, period: 'once', context: 'budget', range: true },
    ]);
  });

  it('reads ranges written with dashes, "to" and mixed units', () => {
    expect(amounts('budget 12-15k')[0]).toMatchObject({ min: 12_000, max: 15_000 });
    expect(amounts('$60,000-$75,000')[0]).toMatchObject({ min: 60_000, max: 75_000 });
    expect(amounts('price range 900k-1.1M')[0]).toMatchObject({ min: 900_000, max: 1_100_000 });
  });

  it('accepts a bare range only when a budget is being discussed', () => {
    expect(amounts('our budget is 25000-50000')[0]).toMatchObject({ min: 25_000, max: 50_000 });
    expect(amounts('we visit Oct 20-22')).toEqual([]);
  });

  it('keeps counts, sizes and durations out of money', () => {
    expect(amounts('from 20 to 60 seats in the next 6-12 months, 2,300 sq ft, 20% down, 8kW system')).toEqual([]);
  });

  it('does not read phone numbers, order ids or years as money', () => {
    expect(amounts('call 512-555-0142 about order #45821, built 2005')).toEqual([]);
  });

  it('marks monthly amounts and tells a utility bill from a budget', () => {
    expect(amounts('electric bill is about $280/month')[0]).toMatchObject({
      max: 280,
      period: 'month',
      context: 'bill',
    });
    expect(amounts('My bill is like 350 a month')[0]).toMatchObject({ max: 350, period: 'month', context: 'bill' });
    expect(amounts('budget ~$60k/yr')[0]).toMatchObject({ max: 60_000, period: 'year' });
  });

  it('reads a utility bill "last month" as a monthly figure', () => {
    expect(amounts('my electric bill was $410 last month')[0]).toMatchObject({
      max: 410,
      period: 'month',
      context: 'bill',
    });
    expect(amounts('we paid $10,000 for the deck last month')[0]).toMatchObject({
      max: 10_000,
      period: 'once',
      context: 'budget',
    });
  });

  it('does not read "I am" as a million or a number word without a spelled-out unit as money', () => {
    expect(amounts('I am a licensed electrician')).toEqual([]);
    expect(amounts('a million dollars, or five thousand')).toMatchObject([{ max: 1_000_000 }, { max: 5_000 }]);
  });

  it('marks figures written with no currency sign, unit or word as bare', () => {
    expect(extractMoney('pre-approved up to 600')[0]).toMatchObject({ max: 600, bare: true });
    expect(extractMoney('budget of $600')[0]).toMatchObject({ max: 600, bare: false });
  });

  it('records "under $X" as a range from zero', () => {
    expect(amounts('a rental under $1,200 a month')[0]).toMatchObject({
      min: 0,
      max: 1_200,
      period: 'month',
      context: 'rent',
    });
  });
});

describe('parseBudgetValue', () => {
  it('parses the budget values spec A forms send', () => {
    expect(parseBudgetValue('25000-50000')).toEqual({ min: 25_000, max: 50_000 });
    expect(parseBudgetValue('10000-25000')).toEqual({ min: 10_000, max: 25_000 });
    expect(parseBudgetValue('$10k-$25k')).toEqual({ min: 10_000, max: 25_000 });
  });

  it('parses open-ended and upper-bound values', () => {
    expect(parseBudgetValue('50000+')).toEqual({ min: 50_000, max: 50_000 });
    expect(parseBudgetValue('under_10k')).toEqual({ min: 0, max: 10_000 });
  });

  it('returns null for values that hold no amount', () => {
    expect(parseBudgetValue('not sure')).toBeNull();
  });
});
