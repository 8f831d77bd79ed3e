import type { Enrichment } from '../../providers/enrichment/enrichment.js';
import type { ScoringBreakdown } from '../analysis.schema.js';
import { defaultService } from '../entities/catalogue.js';
import type { Extraction } from '../entities/extract.js';
import type { TimelineBucket } from '../entities/timeline.js';
import type { IntentInfo } from '../nlu/intents.js';
import type { Cues } from './cues.js';
import { articleFor, formatBudget, formatMoney, timelineWords, withArticle } from './format.js';

export type Component = keyof ScoringBreakdown;

/** One reason a component moved, in that component's units; reasoning ranks these by weighted impact. */
export interface Signal {
  component: Component;
  impact: number;
  phrase: string;
}

export interface LeadFeatures {
  intent: string;
  info: IntentInfo;
  confidence: number;
  extraction: Extraction;
  enrichment: Enrichment;
  cues: Cues;
  /** The lead gave these themselves (form fields, caller id) or stated them. */
  contact: { phone: boolean; email: boolean; name: boolean };
  tenantHasCatalogue: boolean;
}

export interface ComponentReading {
  breakdown: ScoringBreakdown;
  signals: Signal[];
}

/** Where an intent starts on intent_signal before anything specific is said. */
const INTENT_BASE: Readonly<Record<string, number>> = {
  demo_request: 0.65,
  pricing_inquiry: 0.5,
  product_inquiry: 0.5,
  rental_inquiry: 0.4,
  property_valuation: 0.3,
  appointment_booking: 0.55,
  reschedule: 0.5,
  human_agent: 0.15,
  business_hours: 0.12,
  location: 0.12,
  greeting: 0.1,
  affirm: 0.08,
  thanks: 0.05,
  goodbye: 0.05,
  deny: 0.03,
  cancel_service: 0.02,
  cancel_appointment: 0.02,
  spam: 0,
  wrong_number: 0,
  job_application: 0.02,
};
const KIND_BASE: Readonly<Record<IntentInfo['kind'], number>> = {
  project: 0.55,
  purchase: 0.5,
  prospect: 0.35,
  engagement: 0.5,
  support: 0.08,
  chat: 0.1,
  junk: 0,
  job: 0.02,
  unknown: 0.1,
};

const TIMELINE_URGENCY: Readonly<Record<TimelineBucket, number>> = {
  immediate: 1,
  '1-3_months': 0.8,
  '3-6_months': 0.55,
  '6-12_months': 0.3,
  '12+_months': 0.1,
};

/** Urgency from days to the horizon: full within two weeks, then easing off so six weeks beats three months. */
function urgencyForDays(days: number): number {
  const points: readonly [number, number][] = [
    [14, 1],
    [30, 0.92],
    [60, 0.82],
    [92, 0.75],
    [184, 0.55],
    [366, 0.3],
    [540, 0.1],
  ];
  if (days <= 14) return 1;
  for (let i = 1; i < points.length; i += 1) {
    const [d1, u1] = points[i] ?? [540, 0.1];
    const [d0, u0] = points[i - 1] ?? [14, 1];
    if (days <= d1) return u0 + ((days - d0) / (d1 - d0)) * (u1 - u0);
  }
  return 0.1;
}

/** A typical annual deal when a business buyer's budget has no catalogue price to compare with. */
const TYPICAL_B2B_DEAL = 10_000;

class Accumulator {
  value: number;
  readonly signals: Signal[] = [];

  constructor(
    private readonly component: Component,
    base: number,
  ) {
    this.value = base;
  }

  add(delta: number, phrase: string): void {
    if (delta === 0) return;
    this.value += delta;
    this.signals.push({ component: this.component, impact: delta, phrase });
  }

  /** Raises the value to at least `floor`, crediting the difference to `phrase`. */
  atLeast(floor: number, phrase: string): void {
    if (floor > this.value) this.add(floor - this.value, phrase);
  }

  /** Records something the lead did not say, weighed by how far it leaves the value below neutral. */
  lacking(phrase: string): void {
    this.signals.push({ component: this.component, impact: Math.min(0, this.value - 0.5), phrase });
  }

  atMost(ceiling: number, phrase: string): void {
    if (ceiling < this.value) this.add(ceiling - this.value, phrase);
  }

  get result(): number {
    return Math.round(Math.min(1, Math.max(0, this.value)) * 100) / 100;
  }
}

function isLead(info: IntentInfo): boolean {
  return info.kind === 'project' || info.kind === 'purchase' || info.kind === 'prospect' || info.kind === 'engagement';
}

function sizeOf(f: LeadFeatures): number | null {
  const stated = f.extraction.entities.team_size ?? f.extraction.seats;
  if (stated !== null) return stated;
  const range = f.enrichment.company_size?.match(/\d[\d,]*/)?.[0];
  return range ? Number(range.replace(/,/g, '')) : null;
}

function companyFit(f: LeadFeatures): Accumulator {
  const { info, enrichment, cues, extraction } = f;
  if (info.kind === 'junk' || info.kind === 'job') return new Accumulator('company_fit', 0.05);
  if (info.kind === 'support') return new Accumulator('company_fit', 0.2);
  if (!isLead(info)) {
    const fit = new Accumulator('company_fit', 0.25);
    if (f.contact.phone) fit.add(0.05, 'a phone number');
    return fit;
  }
  const project = extraction.project;
  if (info.kind === 'purchase') {
    const fit = new Accumulator('company_fit', 0.2);
    if (enrichment.domain && !enrichment.free_mail) fit.add(0.3, `company domain ${enrichment.domain}`);
    if (enrichment.free_mail) fit.add(-0.05, 'a free-mail address');
    if (enrichment.industry) fit.add(0.05, withArticle(`${enrichment.industry.toLowerCase()} company`));
    const size = sizeOf(f);
    if (size !== null) {
      const phrase = withArticle(`${size.toLocaleString('en-US')}-person team`);
      if (size >= 200) fit.add(0.4, phrase);
      else if (size >= 50) fit.add(0.35, phrase);
      else if (size >= 20) fit.add(0.25, phrase);
      else if (size >= 10) fit.add(0.15, phrase);
      else if (size < 5) fit.add(-0.1, `a team of only ${size}`);
    }
    // "Enterprise plan" from a five-person startup is a plan name, not an enterprise need.
    if (cues.enterprise && (size === null || size >= 10)) fit.add(0.1, `enterprise needs ("${cues.enterprise}")`);
    if (project?.offered && f.tenantHasCatalogue) fit.add(0.1, `a fit with ${project.service.label}`);
    if (cues.nonProspect) fit.add(-0.3, `a non-buyer ("${cues.nonProspect}")`);
    return fit;
  }
  // Rentals and valuations are worth less to the business than a project or a sale.
  const fit = new Accumulator('company_fit', info.kind === 'prospect' ? 0.35 : 0.45);
  if (project) {
    if (project.offered)
      fit.add(f.tenantHasCatalogue ? 0.2 : 0.1, withArticle(`${project.service.label} request you serve`));
    else fit.add(-0.25, withArticle(`${project.service.label} request outside your services`));
  }
  // "I rent my house" names a house the caller does not own.
  if (cues.owner && !cues.renter) fit.add(0.1, 'a homeowner');
  else if (extraction.entities.address) fit.add(0.1, 'a service address');
  const contact = Math.min(
    0.15,
    (f.contact.phone ? 0.1 : 0) + (f.contact.name ? 0.05 : 0) + (f.contact.email ? 0.05 : 0),
  );
  if (contact > 0) fit.add(contact, f.contact.phone ? 'a callback number' : 'contact details');
  if (enrichment.domain && !enrichment.free_mail) fit.add(0.05, `company domain ${enrichment.domain}`);
  if (cues.commercial && info.vertical !== 'real_estate') fit.add(0.1, 'a commercial property');
  if (cues.renter && (info.vertical === 'solar' || info.vertical === 'home_services'))
    fit.add(-0.35, 'a renter rather than an owner');
  if (cues.nonProspect) fit.add(-0.3, `a non-buyer ("${cues.nonProspect}")`);
  return fit;
}

function intentSignal(f: LeadFeatures): Accumulator {
  const { info, cues, extraction } = f;
  const signal = new Accumulator('intent_signal', INTENT_BASE[f.intent] ?? KIND_BASE[info.kind]);
  if (!isLead(info)) return signal;

  const [first, second] = cues.commitments;
  if (first) signal.add(0.15, `an explicit ask ("${first}")`);
  if (second) signal.add(0.05, `a second ask ("${second}")`);
  if (cues.breakdown && info.kind === 'project' && info.vertical !== 'real_estate') {
    signal.add(0.15, `an urgent repair ("${cues.breakdown}")`);
  }
  const project = extraction.project;
  if (info.kind === 'purchase' && project?.offered && f.tenantHasCatalogue) {
    signal.add(0.1, `a need that matches ${project.service.label}`);
  }
  const { entities } = extraction;
  const details = [
    entities.square_footage !== null,
    extraction.budget !== null,
    entities.timeline !== null,
    entities.team_size !== null || extraction.seats !== null,
    entities.address !== null,
  ].filter(Boolean).length;
  if (details > 0)
    signal.add(Math.min(0.2, details * 0.05), details > 1 ? 'specific project details' : 'a specific detail');
  if (cues.activeNeed && cues.strongHedges.length === 0 && cues.weakHedges.length === 0) {
    signal.add(0.05, `an active need ("${cues.activeNeed}")`);
  }
  // One hesitation signal however many hedges: "just gathering ideas… maybe next year" is one reluctance.
  const strong = cues.strongHedges.length > 1 ? 0.35 : cues.strongHedges.length * 0.25;
  const weak = Math.min(0.16, cues.weakHedges.length * 0.08);
  const [hedge] = [...cues.strongHedges, ...cues.weakHedges];
  if (hedge) signal.add(-(strong + weak), `hesitation ("${hedge}")`);
  if (cues.nonProspect) signal.add(-0.3, `a non-buyer ("${cues.nonProspect}")`);
  if (f.confidence < 0.5) signal.add(-0.05, 'an unclear request');
  return signal;
}

function referenceCost(f: LeadFeatures): number | null {
  const service = f.extraction.project?.service ?? defaultService(f.intent);
  if (service?.typicalCost) return service.typicalCost;
  return f.info.kind === 'purchase' ? TYPICAL_B2B_DEAL : null;
}

function budgetIndicator(f: LeadFeatures): Accumulator {
  const { info, cues, extraction } = f;
  if (info.kind === 'junk' || info.kind === 'job') return new Accumulator('budget_indicator', 0);
  if (!isLead(info)) return new Accumulator('budget_indicator', info.kind === 'chat' ? 0.1 : 0.05);

  const prior = info.kind === 'prospect' ? 0.3 : 0.35;
  const budget = new Accumulator('budget_indicator', prior);
  const stated = extraction.budget;
  if (stated) {
    const rental = info.vertical === 'real_estate' && (f.intent === 'rental_inquiry' || stated.period === 'month');
    const mid = stated.min > 0 ? (stated.min + stated.max) / 2 : stated.max;
    const amount = stated.period === 'month' && !rental ? mid * 12 : mid;
    const reference = referenceCost(f);
    const phrase = `a stated budget of ${formatBudget(stated)}`;
    if (reference) {
      const ratio = amount / reference;
      if (ratio >= 1) budget.add(0.9 + Math.min(0.1, (ratio - 1) * 0.1) - prior, phrase);
      else if (ratio >= 0.6) budget.add(0.65 + ((ratio - 0.6) / 0.4) * 0.25 - prior, phrase);
      else if (ratio >= 0.3) budget.add(0.4 + ((ratio - 0.3) / 0.3) * 0.25 - prior, phrase);
      else budget.add(0.25 - prior, `a budget of ${formatBudget(stated)}, low for the job`);
    } else {
      budget.add(0.8 - prior, phrase);
    }
  } else {
    if (cues.financed) budget.atLeast(0.85, `financing in place ("${cues.financed}")`);
    // Emergency repairs get paid for whatever the budget; a seller's budget is the property.
    if (cues.breakdown && info.kind === 'project' && info.vertical === 'home_services') {
      budget.atLeast(0.7, 'a repair that has to be paid for');
    }
    if (f.intent === 'sell_home') budget.atLeast(0.7, 'a property to sell');
    const [ask] = cues.commitments;
    if (ask && cues.strongHedges.length === 0) budget.atLeast(0.55, `an explicit ask ("${ask}")`);
    if (info.kind === 'purchase') {
      const seats = extraction.seats;
      const team = sizeOf(f);
      // Same phrase as company_fit's, so reasoning names the team once.
      const teamPhrase = team === null ? '' : withArticle(`${team.toLocaleString('en-US')}-person team`);
      if (seats !== null && seats >= 100) budget.atLeast(0.8, `${seats} seats`);
      else if (seats !== null && seats >= 20) budget.atLeast(0.65, `${seats} seats`);
      if (team !== null && team >= 200) budget.atLeast(0.75, teamPhrase);
      else if (team !== null && team >= 50) budget.atLeast(0.65, teamPhrase);
      else if (team !== null && team >= 20) budget.atLeast(0.55, teamPhrase);
      else if (team !== null && team >= 10) budget.atLeast(0.45, teamPhrase);
      if (cues.enterprise) budget.add(0.05, `enterprise needs ("${cues.enterprise}")`);
    }
    if (extraction.monthlyBill !== null && info.vertical === 'solar') {
      const bill = extraction.monthlyBill;
      const phrase = `${articleFor(String(bill))} ${formatMoney(bill)} monthly electric bill`;
      budget.atLeast(bill >= 250 ? 0.8 : bill >= 150 ? 0.65 : 0.45, phrase);
    }
    const sqft = extraction.entities.square_footage;
    if (sqft !== null && sqft >= 2000 && info.vertical !== 'real_estate') {
      budget.atLeast(0.5, withArticle(`${sqft.toLocaleString('en-US')} sq ft job`));
    }
    if (cues.commercial && info.kind === 'project' && info.vertical !== 'real_estate')
      budget.atLeast(0.6, 'a commercial job');
    if (budget.signals.length === 0) budget.lacking('no stated budget');
  }
  if (cues.priceShopping) budget.atMost(0.2, `price shopping ("${cues.priceShopping}")`);
  return budget;
}

function urgency(f: LeadFeatures): Accumulator {
  const { info, cues, extraction } = f;
  if (info.kind === 'junk' || info.kind === 'job') return new Accumulator('urgency', 0);
  const { timeline } = extraction;
  const bucket = timeline.bucket;
  const level = new Accumulator('urgency', 0.35);
  if (bucket) {
    const value = timeline.days !== null ? urgencyForDays(timeline.days) : TIMELINE_URGENCY[bucket];
    level.add(Math.round((value - 0.35) * 100) / 100, timelineWords(bucket));
  } else if (timeline.relaxed) {
    level.add(-0.15, 'no rush');
  } else if (cues.activeNeed) {
    level.add(0.15, `an active need ("${cues.activeNeed}")`);
  } else {
    level.lacking('no timeline');
  }
  // Asking for a quote, a demo or a showing is acting now, unless the lead named a later date.
  const [ask] = cues.commitments;
  if (ask && !bucket && cues.strongHedges.length === 0 && isLead(info))
    level.atLeast(0.7, `an explicit ask ("${ask}")`);
  if (cues.readyNow && isLead(info)) level.atLeast(0.85, `readiness ("${cues.readyNow}")`);
  if (timeline.urgentTerm) level.atLeast(0.95, `urgency ("${timeline.urgentTerm}")`);
  if (cues.breakdown && info.kind === 'project' && info.vertical !== 'real_estate')
    level.atLeast(0.9, `an urgent repair ("${cues.breakdown}")`);
  // Support tickets and chit-chat can be urgent to the customer without being a sale.
  if (!isLead(info)) level.atMost(0.2, withArticle(`${info.label} message`));
  return level;
}

export function scoreComponents(f: LeadFeatures): ComponentReading {
  const parts = [companyFit(f), intentSignal(f), budgetIndicator(f), urgency(f)];
  const [fit, intent, budget, urgent] = parts.map((p) => p.result);
  return {
    breakdown: {
      company_fit: fit ?? 0,
      intent_signal: intent ?? 0,
      budget_indicator: budget ?? 0,
      urgency: urgent ?? 0,
    },
    signals: parts.flatMap((p) => p.signals),
  };
}
