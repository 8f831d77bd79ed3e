import type { TimelineBucket } from '../entities/timeline.js';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function formatMoney(amount: number): string {
  return money.format(amount);
}

export function formatBudget(budget: { min: number; max: number; period: 'once' | 'month' | 'year' }): string {
  const per = budget.period === 'month' ? '/month' : budget.period === 'year' ? '/year' : '';
  if (budget.min > 0 && budget.min !== budget.max) return `${formatMoney(budget.min)}–${formatMoney(budget.max)}${per}`;
  const prefix = budget.min === 0 && budget.max > 0 ? 'up to ' : '';
  return `${prefix}${formatMoney(budget.max)}${per}`;
}

const TIMELINE_WORDS: Readonly<Record<TimelineBucket, string>> = {
  immediate: 'an immediate timeline',
  '1-3_months': 'a 1–3 month timeline',
  '3-6_months': 'a 3–6 month timeline',
  '6-12_months': 'a 6–12 month timeline',
  '12+_months': 'a timeline over a year out',
};

export function timelineWords(bucket: TimelineBucket): string {
  return TIMELINE_WORDS[bucket];
}

/** "a, b and c" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a" or "an" for a phrase, by sound: "an HVAC job", "an 80-person team", "a 50-person team". */
export function articleFor(phrase: string): 'a' | 'an' {
  const lead = /^[\d,]+/.exec(phrase)?.[0];
  if (lead) {
    const group = lead.split(',')[0] ?? '';
    return group.startsWith('8') || group === '11' || group === '18' ? 'an' : 'a';
  }
  return /^(?:[aeio]|u(?!s|n[iy])|hvac\b|hour|honest)/i.test(phrase) ? 'an' : 'a';
}

export function withArticle(phrase: string): string {
  return `${articleFor(phrase)} ${phrase}`;
}
