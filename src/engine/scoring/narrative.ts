import type { Tier } from '../analysis.schema.js';
import type { IntentInfo } from '../nlu/intents.js';
import type { LeadFeatures, Signal } from './lead-features.js';
import { capitalise, formatBudget, listWords, withArticle } from './format.js';
import type { ScoringWeights } from './score.js';

function weighted(signal: Signal, weights: ScoringWeights): number {
  const total = weights.company_fit + weights.intent_signal + weights.budget_indicator + weights.urgency;
  return total > 0 ? (signal.impact * weights[signal.component]) / total : signal.impact;
}

/**
 * Strongest distinct phrases in one direction, by weighted impact, the strongest of each
 * component first so a HOT lead's reasoning names its budget, timeline and authority rather than
 * four readings of its need; ties keep detection order.
 */
function strongest(signals: readonly Signal[], weights: ScoringWeights, sign: 1 | -1, count: number): string[] {
  const ranked = signals
    .map((signal, order) => ({ signal, order, value: weighted(signal, weights) * sign }))
    .filter((s) => s.value > 0)
    .sort((a, b) => b.value - a.value || a.order - b.order);
  const seen = new Set<string>();
  const leaders = ranked.filter(({ signal }) => !seen.has(signal.component) && seen.add(signal.component));
  const phrases: string[] = [];
  for (const { signal } of [...leaders, ...ranked]) {
    if (!phrases.includes(signal.phrase)) phrases.push(signal.phrase);
    if (phrases.length === count) break;
  }
  return phrases;
}

const NOT_A_LEAD: Readonly<Partial<Record<IntentInfo['kind'], (label: string) => string>>> = {
  support: (label) =>
    `${capitalise(withArticle(label))} request from an existing customer, with no new purchase in it, kept the score low.`,
  junk: (label) => `The message reads as ${label}, so it carries no sales opportunity.`,
  job: () => 'A job application, not a purchase, kept the score low.',
};

/** One sentence naming the signals that actually moved the score. */
export function writeReasoning(
  tier: Tier,
  f: LeadFeatures,
  signals: readonly Signal[],
  weights: ScoringWeights,
): string {
  const notALead = NOT_A_LEAD[f.info.kind];
  if (notALead && tier === 'COLD') return notALead(f.info.label);

  const positives = strongest(signals, weights, 1, tier === 'HOT' ? 4 : 3);
  const negatives = strongest(signals, weights, -1, tier === 'COLD' ? 3 : 2);
  const drivers = positives.length > 0 ? positives : [`${withArticle(f.info.label)} request`];
  if (tier === 'HOT') return `${capitalise(listWords(drivers))} drove the score.`;
  if (tier === 'WARM') {
    return negatives.length > 0
      ? `${capitalise(listWords(drivers))} drove the score, while ${listWords(negatives)} held it back.`
      : `${capitalise(listWords(drivers))} drove the score.`;
  }
  if (negatives.length === 0) return `${capitalise(listWords(drivers))} were not enough to lift the score.`;
  const despite = positives.length > 0 ? `, despite ${listWords(positives.slice(0, 2))}` : '';
  return `${capitalise(listWords(negatives))} kept the score low${despite}.`;
}

/**
 * What to call the request: the service the text names, unless that service expresses other
 * intents than the one found (a B2B buyer who mentions a house is still a B2B buyer).
 */
function requestLabel(f: LeadFeatures): string {
  const service = f.extraction.project?.service;
  const fits = service && (service.intents.length === 0 || service.intents.some((intent) => intent === f.intent));
  return fits ? service.label : f.info.label;
}

function leadActions(tier: Tier, f: LeadFeatures): string[] {
  const { info, extraction, signals } = f;
  const label = requestLabel(f);
  const urgent = Boolean(signals.need.emergency ?? signals.timeline.now);

  if (info.kind === 'engagement') {
    return f.intent === 'reschedule'
      ? ['Offer new appointment times', 'Update the calendar and confirm by text']
      : ['Offer the next available appointment times', 'Confirm the project details and address'];
  }
  if (info.kind === 'purchase') {
    const seats = extraction.seats ?? extraction.entities.team_size;
    if (tier === 'HOT') {
      return [
        'Route to an account executive today',
        f.intent === 'demo_request' ? 'Book the demo within 48 hours' : 'Offer a demo this week',
        seats ? `Prepare pricing for ${seats} seats` : 'Qualify team size and budget on the first call',
      ];
    }
    if (tier === 'WARM')
      return ['Add to the nurture sequence', 'Send a product overview and case studies', 'Offer a demo'];
    return ['Add to marketing automation', 'Send self-serve resources and a free-trial link'];
  }
  if (info.vertical === 'real_estate') {
    if (f.intent === 'rental_inquiry') return ['Send available rentals that match', 'Offer a viewing time'];
    if (f.intent === 'property_valuation')
      return ['Send an automated home valuation', 'Add to the seller nurture sequence'];
    if (tier === 'COLD') return ['Add to marketing automation', 'Send monthly market updates'];
    if (f.intent === 'sell_home') {
      return tier === 'HOT'
        ? ['Call within 1 hour', 'Schedule a listing appointment', 'Prepare a comparative market analysis']
        : ['Send a home valuation report', 'Add to the seller nurture sequence'];
    }
    return tier === 'HOT'
      ? [
          'Call within 1 hour',
          'Schedule showings',
          signals.money.committed ? 'Send matching listings today' : 'Verify mortgage pre-approval',
        ]
      : ['Add to the buyer nurture sequence', 'Send matching listings', 'Offer an introduction to a mortgage lender'];
  }
  const solar = info.vertical === 'solar';
  // An emergency is called back at once whatever its tier: the tier says how likely a sale, not how soon.
  if (tier === 'HOT' || (urgent && tier === 'WARM')) {
    if (urgent && !solar)
      return ['Call back within 15 minutes', 'Dispatch a technician today', 'Confirm the service address'];
    return [
      'Call within 1 hour',
      solar ? 'Schedule a site assessment' : `Schedule an in-home ${label} consultation`,
      solar ? 'Prepare a system design and savings estimate' : `Prepare a detailed ${label} estimate`,
    ];
  }
  if (tier === 'WARM') {
    const followUp = !extraction.budget
      ? 'Ask about budget on the next call'
      : 'Follow up in 2 weeks to confirm the timeline';
    return [
      solar ? 'Send a solar savings estimate' : `Send ${label} portfolio examples`,
      'Add to the nurture sequence',
      followUp,
    ];
  }
  return ['Add to marketing automation', `Send educational content about ${label}`];
}

const OTHER_ACTIONS: Readonly<Record<string, string[]>> = {
  order_status: ['Look up the order and share tracking', 'Open a support ticket if it is late'],
  damaged_product: ['Open a support ticket', 'Ask for photos of the damage', 'Offer a replacement or refund'],
  billing_issue: ['Review the billing history', 'Hand off to billing support'],
  technical_support: ['Open a support ticket', 'Hand off to technical support'],
  cancel_service: ['Route to customer retention', 'Confirm the cancellation terms'],
  cancel_appointment: ['Cancel the appointment and free the slot', 'Ask for feedback on the decision'],
  greeting: ['Greet and ask how we can help', 'Ask about the project or question'],
  business_hours: ['Reply with business hours', 'Offer to book a visit'],
  location: ['Reply with the address and service area', 'Offer to book a visit'],
  human_agent: ['Transfer to a team member', 'Share the conversation summary with them'],
  thanks: ['Close the conversation', 'Ask for a review'],
  goodbye: ['Close the conversation', 'Send a conversation summary'],
  affirm: ['Continue with the next step', 'Confirm the details agreed'],
  deny: ['Acknowledge and close politely', 'Do not follow up unless asked'],
  spam: ['Mark as spam', 'Do not follow up'],
  wrong_number: ['Close as a wrong number', 'Do not follow up'],
  job_application: ['Forward to the hiring team', 'Keep out of the sales pipeline'],
};

/** Two to four concrete next steps that fit the intent and tier. */
export function nextActions(tier: Tier, f: LeadFeatures): string[] {
  const kind = f.info.kind;
  if (kind === 'project' || kind === 'purchase' || kind === 'prospect' || kind === 'engagement')
    return leadActions(tier, f);
  return OTHER_ACTIONS[f.intent] ?? ['Review manually', 'Ask what they need'];
}

function who(f: LeadFeatures): string {
  const name = f.extraction.entities.person_name ?? f.enrichment.company_name;
  return name ? ` from ${name}` : '';
}

/** A one-line summary: what, from whom, and the details that matter. */
export function writeSummary(f: LeadFeatures): string {
  const { info, extraction } = f;
  const kind = info.kind;
  if (kind === 'junk') return `${capitalise(info.label)} message; no follow-up needed.`;
  if (kind === 'job') return `Job application${who(f)}.`;
  if (kind === 'support') return `Support request (${info.label})${who(f)}.`;
  if (kind === 'chat' || kind === 'unknown') return `${capitalise(info.label)} message${who(f)}.`;

  const { entities, budget, timeline } = extraction;
  const details: string[] = [];
  if (entities.square_footage !== null) details.push(`about ${entities.square_footage.toLocaleString('en-US')} sq ft`);
  if (entities.team_size !== null) details.push(`${entities.team_size.toLocaleString('en-US')}-person team`);
  else if (extraction.seats !== null) details.push(`${extraction.seats} seats`);
  if (budget) details.push(`budget ${formatBudget(budget)}`);
  if (timeline.bucket)
    details.push(timeline.bucket === 'immediate' ? 'wants it now' : `timeline ${timeline.bucket.replace('_', ' ')}`);
  const emergency = f.signals.need.emergency;
  if (emergency && info.vertical === 'home_services') details.push(`urgent (${emergency.text})`);
  const label = requestLabel(f);
  return details.length > 0
    ? `${capitalise(label)} lead${who(f)}: ${details.join(', ')}.`
    : `${capitalise(label)} inquiry${who(f)}.`;
}
