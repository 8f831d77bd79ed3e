import { NUMBER_PATTERN, parseNumber, TENS } from '../../lib/numbers.js';

/** What an amount is about: a monthly utility bill and a rent are not a project budget. */
export type MoneyContext = 'budget' | 'bill' | 'rent';
export type MoneyPeriod = 'once' | 'month' | 'year';

export interface MoneyMention {
  /** Lower end in whole currency units; 0 for "under $X". */
  min: number;
  max: number;
  period: MoneyPeriod;
  context: MoneyContext;
  /** True when written as a range ("$10k-$25k", "between 10 and 25 thousand"). */
  range: boolean;
  /** Written as a plain figure with no currency sign, unit or word ("up to 600"), so its scale is a guess. */
  bare: boolean;
  text: string;
}

// Lakh and crore are how Indian English writes 100,000 and 10,000,000.
const UNIT = String.raw`(?:k|mm|m|bn|thousand|grand|million|billion|lakhs?|lacs?|crores?|cr)(?![a-z])`;
/** Currency codes written beside a figure, before or after it ("AUD 25,000", "20,000 CHF"). */
const CODES = 'usd|eur|gbp|inr|aud|cad|nzd|sgd|chf|aed|zar';
/** After the figure: a word, a code or a sign ("15.000 €", "500€"). */
const CURRENCY_WORD = String.raw`(?:[€£₹]|(?:dollars?|bucks|euros?|quid|rupees?|pounds? sterling|${CODES})\b)`;
/** A currency sign or code before the figure: $, €, £, ₹, Rs, USD, EUR, GBP, INR, AUD. */
const CURRENCY_SIGN = String.raw`(?:[$€£₹]|\b(?:rs\.?|${CODES})(?![a-z]))`;
const AMOUNT = String.raw`(${CURRENCY_SIGN}\s?)?(${NUMBER_PATTERN})(?:\s?(${UNIT}))?`;
const RANGE = new RegExp(
  String.raw`(?<![\w$€£₹.,#-])(?:between\s+)?${AMOUNT}\s*(?:-|–|—|to|and)\s*${AMOUNT}(\s*${CURRENCY_WORD})?`,
  'gi',
);
const SINGLE = new RegExp(
  String.raw`(${CURRENCY_SIGN}\s?)?\b(${NUMBER_PATTERN})(?:\s?(${UNIT}))?(\s*${CURRENCY_WORD})?`,
  'gi',
);

/** Words after a number that make it a count, size or duration rather than money. */
const NOT_MONEY_AFTER =
  /^[\s-]*(?:\+|%|percent|months?|mos?\b|weeks?|days?|years?|yrs?\b|hours?|minutes?|sq|square|ft|feet|foot|sf\b|people|person|employees?|seats?|licen[cs]es?|reps?\b|users?|agents?|bed(?:room)?s?|bath(?:room)?s?|kids|children|units|kw|degrees|gallons?|am\b|pm\b|x\b|th\b|st\b|nd\b|rd\b|stor(?:y|ies)|windows|doors|calls|meetings|locations|offices|teams?|chairs|lbs?\b|kgs?\b|kilo(?:gram)?s?\b|tons?\b|tonnes?|oz\b|ounces?|miles?|km\b|kilomet(?:er|re)s?|met(?:er|re)s?\b|yards?|yds?\b|inch(?:es)?|cm\b|acres?|lit(?:er|re)s?|pallets?|boxes|cases|pieces|pcs\b|guests|attendees|trucks|vehicles|rooms|sqm\b)/i;
/** A bare number is money when a budget word is near, or an approximator sits right before it ("around 30000"). */
const BUDGET_BEFORE =
  /\b(?:budget|spend|afford|pre-?approved|approved for|price range|asking)\b[^.!?]{0,25}$|\b(?:range|between|looking (?:at|around)|up to|under|below|max(?:imum)?|around|about|roughly|approximately)\s*$/i;
const UPPER_BOUND_BEFORE = /\b(?:under|below|less than|up to|no more than|max(?:imum)?|at most)\s*$/i;
const BILL_CONTEXT = /\b(?:bill|electric(?:ity)?|utility|utilities|power company|energy costs?)\b/i;
const RENT_CONTEXT = /\b(?:rent|rental|lease)\b/i;
const GLUED_AFTER = /^(?:\w|-\d|\/(?!\s*(?:mo|month|yr|year|annum|week)))/i;
const BILL_MONTH_AFTER = /^\s*(?:last|this|every|each) month\b/i;
const PERIOD_AFTER = /^\s*(?:(?:\/|per|a|an|each)\s*(month|mo|year|yr|annum|week)\b|(monthly|annually|yearly))/i;

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mm: 1e6,
  million: 1e6,
  bn: 1e9,
  billion: 1e9,
  lakh: 1e5,
  lakhs: 1e5,
  lac: 1e5,
  lacs: 1e5,
  crore: 1e7,
  crores: 1e7,
  cr: 1e7,
};

function scaled(rawNumber: string | undefined, rawUnit: string | undefined): number | null {
  if (rawNumber === undefined) return null;
  const value = parseNumber(rawNumber);
  if (value === null) return null;
  const unit = rawUnit?.toLowerCase();
  return unit ? value * (MULTIPLIERS[unit] ?? 1) : value;
}

function periodAfter(rest: string, context: MoneyContext): MoneyPeriod {
  // Utility bills come monthly, so "my bill was $410 last month" is a monthly figure.
  if (context === 'bill' && BILL_MONTH_AFTER.test(rest)) return 'month';
  const match = PERIOD_AFTER.exec(rest);
  if (!match) return 'once';
  const word = (match[1] ?? match[2] ?? '').toLowerCase();
  if (word.startsWith('mo')) return 'month';
  if (word === 'week') return 'month';
  return 'year';
}

function contextOf(before: string, after: string): MoneyContext {
  const near = before.slice(-80);
  if (BILL_CONTEXT.test(near)) return 'bill';
  if (RENT_CONTEXT.test(near) || (RENT_CONTEXT.test(before) && /^\s*(?:a|per|\/)\s*mo/i.test(after))) return 'rent';
  return 'budget';
}

function isWordNumber(raw: string | undefined): boolean {
  return raw !== undefined && !/\d/.test(raw);
}

/**
 * A number word needs a spelled-out unit to be money ("a million", "five thousand"): with a
 * letter unit it is just a word, as "I am" is not "a m(illion)".
 */
function wordWithoutUnit(raw: string | undefined, unit: string | undefined): boolean {
  return isWordNumber(raw) && !/^(?:thousand|grand|million|billion)$/i.test(unit ?? '');
}

const ONES = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** "twenty-five", "ninety nine": a compound number word, read as one figure. */
const COMPOUND_WORD = new RegExp(String.raw`\b(${Object.keys(TENS).join('|')})[- ](${ONES.join('|')})\b`, 'gi');
/** "two hundred", "five hundred": hundreds in words, before a "thousand" or a currency word. */
const HUNDREDS_WORD = new RegExp(String.raw`\b(${ONES.join('|')}) hundred\b`, 'gi');
/** Continental grouping with dots ("€20.000", "1.250.000"): always thousands, never decimals, with three digits a group. */
const DOT_GROUPED = /(?<![\d.,])\d{1,3}(?:\.\d{3})+(?!\d|[.,]\d)/g;
/** Indian grouping ("3,50,000", "12,00,000"): lakhs and crores written in figures. */
const INDIAN_GROUPED = /(?<![\d.,])\d{1,2}(?:,\d{2})+,\d{3}(?!\d|[.,]\d)/g;

/**
 * The text with every way of writing a figure reduced to the plain one the patterns read: number
 * words to digits, continental and Indian digit groups to plain digits. The rest is unchanged.
 */
function plainFigures(text: string): string {
  return text
    .replace(COMPOUND_WORD, (_, tens: string, one: string) =>
      String((TENS[tens.toLowerCase()] ?? 0) + ONES.indexOf(one.toLowerCase()) + 1),
    )
    .replace(HUNDREDS_WORD, (_, one: string) => String((ONES.indexOf(one.toLowerCase()) + 1) * 100))
    .replace(DOT_GROUPED, (figure) => figure.replace(/\./g, ''))
    .replace(INDIAN_GROUPED, (figure) => figure.replace(/,/g, ''));
}

export interface MoneyOptions {
  /** Treat bare numbers as money (the text is a budget field such as "25000-50000"). */
  assumeBudget?: boolean;
}

/** Money amounts and ranges in free text, with what each is about. */
export function extractMoney(written: string, options: MoneyOptions = {}): MoneyMention[] {
  const text = plainFigures(written);
  const mentions: { at: number; mention: MoneyMention }[] = [];
  const taken: [number, number][] = [];
  const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);

  for (const m of text.matchAll(RANGE)) {
    const [whole, cur1, n1, u1, cur2, n2, u2, word] = m;
    const start = m.index;
    const end = start + whole.length;
    const before = text.slice(0, start);
    const after = text.slice(end);
    if (NOT_MONEY_AFTER.test(after) && !u2 && !word) continue;
    const marked = Boolean(cur1 ?? cur2 ?? u1 ?? u2 ?? word);
    if (!marked && !options.assumeBudget && !BUDGET_BEFORE.test(before)) continue;
    if ((wordWithoutUnit(n1, u1) && wordWithoutUnit(n1, u2)) || wordWithoutUnit(n2, u2)) continue;
    // "10 and 25 thousand", "12-15k": a unit written once applies to both ends.
    const low = scaled(n1, u1 ?? (cur1 ? undefined : u2));
    const high = scaled(n2, u2);
    if (low === null || high === null || high <= low) continue;
    taken.push([start, end]);
    const context = contextOf(before, after);
    mentions.push({
      at: start,
      mention: {
        min: low,
        max: high,
        period: periodAfter(after, context),
        context,
        range: true,
        bare: !marked,
        text: whole.trim(),
      },
    });
  }

  for (const m of text.matchAll(SINGLE)) {
    const [whole, cur, n, unit, word] = m;
    const start = m.index;
    const end = start + whole.length;
    if (whole.trim() === '' || overlaps(start, end)) continue;
    const before = text.slice(0, start);
    const after = text.slice(end);
    // A number glued to letters, digits or a hash is an id, a model number or part of a phone number.
    if (!cur && /[\w#.,-]$/.test(before)) continue;
    if (GLUED_AFTER.test(after)) continue;
    if (wordWithoutUnit(n, unit) && !word) continue;
    if (NOT_MONEY_AFTER.test(after) && !unit && !word) continue;
    const context = contextOf(before, after);
    const period = periodAfter(after, context);
    const marked = Boolean(cur ?? unit ?? word);
    const bareButMeant =
      options.assumeBudget || BUDGET_BEFORE.test(before) || (period !== 'once' && context !== 'budget');
    if (!marked && !bareButMeant) continue;
    const value = scaled(n, unit);
    if (value === null || value <= 0) continue;
    // Bare numbers below 100 are quantities ("about 30", "under 5"), not money.
    if (!marked && value < 100) continue;
    taken.push([start, end]);
    const upper = UPPER_BOUND_BEFORE.test(before);
    mentions.push({
      at: start,
      mention: { min: upper ? 0 : value, max: value, period, context, range: false, bare: !marked, text: whole.trim() },
    });
  }

  return mentions.sort((a, b) => a.at - b.at).map((x) => x.mention);
}

/** A form's budget value ("25000-50000", "10k-25k", "under_10k", "50000+"). */
export function parseBudgetValue(value: string): { min: number; max: number } | null {
  // "50000+" is an open-ended budget: its floor is the amount.
  const text = value.replace(/_/g, ' ').replace(/\+/g, '');
  const [first] = extractMoney(text, { assumeBudget: true });
  if (!first) return null;
  return { min: first.min, max: first.max };
}
