import type { Enrichment } from '../../providers/enrichment/enrichment.js';
import type { Extraction } from '../entities/extract.js';
import { bucketForDays } from '../entities/timeline.js';
import type { IntentInfo } from '../nlu/intents.js';
import type { LeadSignals } from '../signals/read.js';
import type { Component } from './lead-features.js';
import { formatBudget, timelineWords } from './format.js';

/** What the learned scorer reads about one lead: its signals and the facts around them. */
export interface FeatureInput {
  signals: LeadSignals;
  extraction: Extraction;
  /** The intent classifier's kind of message (project, support, junk, …). */
  kind: IntentInfo['kind'];
  enrichment: Enrichment;
  contact: { phone: boolean; email: boolean; name: boolean };
  /** How the lead came in: a form or e-mail, a chat or SMS message, a call. */
  channel: 'lead' | 'message' | 'transcript';
  /** The words and word pairs the wording model reads. */
  words: readonly string[];
}

/** One model input: a name, the breakdown component it belongs to, its value and the words that showed it. */
export interface Feature {
  name: string;
  component: Component;

  read: (f: FeatureInput) => string | null;
}

/**
 * Which way a feature speaks when reasoning names it: for the lead (1), against it (-1), or never
 * (0: the rubric's conjunctions, the channel and length, which say how signals combine rather
 * than what the lead said). A feature whose learned weight runs against its direction moves the
 * score through its correlations, not its meaning, so reasoning leaves it out.
 */
const AGAINST = new Set([
  ...['comparing', 'hedge', 'browsing', 'refusal', 'job_seeker', 'researcher', 'vendor', 'spam', 'opt_out'],
  ...['support', 'complaint', 'wrong_number', 'wont_pay', 'kind_junk', 'kind_job', 'kind_support', 'kind_chat'],
  ...['no_substance', 'money_lacking', 'money_undecided', 'timeline_quarter', 'timeline_later', 'relaxed'],
  ...['no_timeline'],
  ...['needs_other', 'renter'],
]);
const SILENT = /^(?:rule_|channel_|short_text|kind_unknown|non_buyer|certainty)/;

export function direction(name: string): 1 | -1 | 0 {
  if (SILENT.test(name)) return 0;
  return AGAINST.has(name) ? -1 : 1;
}

/** A lead's feature values in `FEATURES` order, with a phrase for each present one. */
export interface FeatureVector {
  values: number[];
  phrases: (string | null)[];
}

/** Distinct words of meaning at or below which a lead has no text of substance ("test test asdf"). */
const NO_SUBSTANCE = 2;

const quote = (label: string, hit: { text: string } | null) => (hit ? `${label} ("${hit.text}")` : null);
const when = (label: string, test: boolean) => (test ? label : null);

function days(f: FeatureInput): number | null {
  if (f.signals.timeline.now) return 0;
  return f.signals.timeline.days;
}

function timeline(f: FeatureInput, low: number, high: number): string | null {
  const d = days(f);
  if (d === null || d < low || d > high) return null;
  const { now, phrase } = f.signals.timeline;
  if (now) return `urgency ("${now.text}")`;
  const words = timelineWords(bucketForDays(d));
  // A form's bucket is already the words; a date the lead wrote is quoted so a person can check it.
  return phrase && f.extraction.timeline.days !== null ? `${words} ("${phrase}")` : words;
}

const concreteNeed = (f: FeatureInput) =>
  Boolean(f.signals.need.problem ?? f.signals.need.quantity ?? f.signals.need.emergency ?? f.signals.need.job);
/** The lead puts action off: no rush, only looking, or not buying. */
const putsOff = (f: FeatureInput) =>
  Boolean(f.signals.timeline.relaxed ?? f.signals.hedges.refusal ?? f.signals.hedges.browsing);
const hesitant = (f: FeatureInput) => Boolean(f.signals.hedges.hedge) || putsOff(f);
const near = (f: FeatureInput) => {
  const d = days(f);
  return (d !== null && d <= 31) || (f.signals.timeline.deadline !== null && d === null);
};
const hasBudget = (f: FeatureInput) => Boolean(f.signals.money.amount ?? f.signals.money.committed);
const hasAuthority = (f: FeatureInput) =>
  Boolean(f.signals.authority.title ?? f.signals.authority.decides ?? f.signals.authority.owns);
/**
 * The first non-buyer signal. A support question beside a purchase under way or money lined up is an
 * existing customer buying more, which the rubric counts as a buyer; an invoice, a contract or a fee
 * merely named is the support question's subject ("where do I find my invoice?").
 */
const nonBuyer = (f: FeatureInput) => {
  const { support, ...others } = f.signals.nonBuyer;
  const buyingMore = Boolean(f.signals.process.underway ?? f.signals.money.committed);
  return Object.values(others).find((hit) => hit !== null) ?? (buyingMore ? null : support);
};

/** A kind the intent classifier gives to messages that are not leads. */
const kindIs = (kind: IntentInfo['kind'], label: string) => (f: FeatureInput) => when(label, f.kind === kind);

/**
 * The features, grouped by the breakdown component they speak for. The last group holds the
 * rubric's own conjunctions (need AND timeline AND budget or authority), which a linear model
 * cannot form from the parts.
 */
export const FEATURES: readonly Feature[] = [
  { name: 'need_problem', component: 'intent_signal', read: (f) => quote('a problem', f.signals.need.problem) },
  { name: 'need_job', component: 'intent_signal', read: (f) => quote('a job to do', f.signals.need.job) },
  { name: 'need_wants', component: 'intent_signal', read: (f) => quote('a stated need', f.signals.need.wants) },
  { name: 'need_quantity', component: 'intent_signal', read: (f) => quote('a quantity', f.signals.need.quantity) },
  { name: 'emergency', component: 'urgency', read: (f) => quote('an emergency', f.signals.need.emergency) },
  { name: 'ask_contact', component: 'intent_signal', read: (f) => quote('an ask to act', f.signals.process.contact) },
  { name: 'ask_pricing', component: 'intent_signal', read: (f) => quote('a pricing ask', f.signals.process.pricing) },
  {
    name: 'purchase_step',
    component: 'budget_indicator',
    read: (f) => quote('a purchase step', f.signals.process.purchase),
  },
  {
    name: 'ask_service',
    component: 'intent_signal',
    read: (f) => quote('a question about the service', f.signals.process.service),
  },
  { name: 'comparing', component: 'intent_signal', read: (f) => quote('comparing', f.signals.process.comparing) },
  { name: 'hedge', component: 'intent_signal', read: (f) => quote('hesitation', f.signals.hedges.hedge) },
  { name: 'browsing', component: 'intent_signal', read: (f) => quote('browsing', f.signals.hedges.browsing) },
  { name: 'refusal', component: 'intent_signal', read: (f) => quote('no intent to buy', f.signals.hedges.refusal) },
  { name: 'certainty', component: 'intent_signal', read: (f) => quote('certainty', f.signals.hedges.certainty) },
  { name: 'job_seeker', component: 'intent_signal', read: (f) => quote('a job seeker', f.signals.nonBuyer.jobSeeker) },
  {
    name: 'researcher',
    component: 'intent_signal',
    read: (f) => quote('a researcher, not a buyer', f.signals.nonBuyer.researcher),
  },
  { name: 'vendor', component: 'intent_signal', read: (f) => quote('a vendor pitching', f.signals.nonBuyer.vendor) },
  { name: 'spam', component: 'intent_signal', read: (f) => quote('spam', f.signals.nonBuyer.spam) },
  { name: 'opt_out', component: 'intent_signal', read: (f) => quote('an opt-out', f.signals.nonBuyer.optOut) },
  {
    name: 'support',
    component: 'intent_signal',
    read: (f) =>
      nonBuyer(f) === f.signals.nonBuyer.support ? quote('a support question', f.signals.nonBuyer.support) : null,
  },
  { name: 'complaint', component: 'intent_signal', read: (f) => quote('a complaint', f.signals.nonBuyer.complaint) },
  {
    name: 'wrong_number',
    component: 'intent_signal',
    read: (f) => quote('a wrong number', f.signals.nonBuyer.wrongNumber),
  },
  { name: 'wont_pay', component: 'budget_indicator', read: (f) => quote('no spend', f.signals.nonBuyer.wontPay) },
  { name: 'kind_junk', component: 'intent_signal', read: kindIs('junk', 'spam or off-topic text') },
  { name: 'kind_job', component: 'intent_signal', read: kindIs('job', 'a job application') },
  { name: 'kind_support', component: 'intent_signal', read: kindIs('support', 'a customer-service request') },
  { name: 'kind_chat', component: 'intent_signal', read: kindIs('chat', 'small talk') },
  { name: 'kind_unknown', component: 'intent_signal', read: kindIs('unknown', 'no recognisable request') },
  {
    name: 'no_substance',
    component: 'intent_signal',
    read: (f) => when('no text of substance', f.signals.contentWords <= NO_SUBSTANCE),
  },
  {
    name: 'short_text',
    component: 'intent_signal',
    read: (f) => when('a short message', f.signals.contentWords <= 10),
  },
  {
    name: 'money_amount',
    component: 'budget_indicator',
    read: (f) =>
      f.extraction.budget
        ? `a stated budget of ${formatBudget(f.extraction.budget)}`
        : quote('money named', f.signals.money.amount),
  },
  {
    name: 'money_committed',
    component: 'budget_indicator',
    read: (f) => quote('money lined up', f.signals.money.committed),
  },
  {
    name: 'money_no_obstacle',
    component: 'budget_indicator',
    read: (f) => quote('money no obstacle', f.signals.money.noObstacle),
  },
  { name: 'money_lacking', component: 'budget_indicator', read: (f) => quote('no budget', f.signals.money.lacking) },
  {
    name: 'money_undecided',
    component: 'budget_indicator',
    read: (f) => quote('an undecided budget', f.signals.money.undecided),
  },
  { name: 'timeline_week', component: 'urgency', read: (f) => timeline(f, -1, 7) },
  { name: 'timeline_month', component: 'urgency', read: (f) => timeline(f, 8, 31) },
  { name: 'timeline_quarter', component: 'urgency', read: (f) => timeline(f, 32, 92) },
  { name: 'timeline_later', component: 'urgency', read: (f) => timeline(f, 93, Infinity) },
  { name: 'deadline', component: 'urgency', read: (f) => quote('a deadline', f.signals.timeline.deadline) },
  { name: 'relaxed', component: 'urgency', read: (f) => quote('no rush', f.signals.timeline.relaxed) },
  { name: 'no_timeline', component: 'urgency', read: (f) => when('no timeline', days(f) === null) },
  { name: 'title', component: 'company_fit', read: (f) => quote('a buyer title', f.signals.authority.title) },
  { name: 'decides', component: 'company_fit', read: (f) => quote('authority', f.signals.authority.decides) },
  { name: 'owns', component: 'company_fit', read: (f) => quote('an owner', f.signals.authority.owns) },
  {
    name: 'needs_other',
    component: 'company_fit',
    read: (f) => quote('someone else decides', f.signals.authority.needsOther),
  },
  {
    name: 'renter',
    component: 'company_fit',
    read: (f) => when('a renter rather than an owner', Boolean(f.signals.authority.renter)),
  },
  { name: 'phone', component: 'company_fit', read: (f) => when('a callback number', f.contact.phone) },
  {
    name: 'address',
    component: 'company_fit',
    read: (f) => when('a service address', f.extraction.entities.address !== null),
  },
  {
    name: 'rule_bant',
    component: 'intent_signal',
    read: (f) =>
      when(
        'need, timeline and budget or authority together',
        concreteNeed(f) && near(f) && (hasBudget(f) || hasAuthority(f)),
      ),
  },
  {
    name: 'rule_emergency',
    component: 'urgency',
    read: (f) =>
      when(
        'an emergency at a service address',
        Boolean(f.signals.need.emergency) &&
          (f.extraction.entities.address !== null || Boolean(f.signals.authority.owns)),
      ),
  },
  {
    name: 'rule_need_and_ask',
    component: 'intent_signal',
    read: (f) =>
      when(
        'a concrete need and an ask',
        concreteNeed(f) && Boolean(f.signals.process.contact ?? f.signals.process.pricing ?? f.signals.process.service),
      ),
  },
  {
    name: 'rule_ready',
    component: 'intent_signal',
    read: (f) =>
      when(
        'a need, a near timeline and budget, authority or a purchase step, unhedged',
        (concreteNeed(f) || Boolean(f.signals.need.wants)) &&
          near(f) &&
          (hasBudget(f) || hasAuthority(f) || Boolean(f.signals.process.purchase)) &&
          !hesitant(f) &&
          nonBuyer(f) === null,
      ),
  },
  {
    name: 'rule_hesitant',
    component: 'intent_signal',
    read: (f) => when('hesitation', hesitant(f)),
  },
  { name: 'non_buyer', component: 'intent_signal', read: (f) => quote('not a buyer', nonBuyer(f)) },
];

/** Features that speak for a buyer; once the sender is not one (a vendor's prices and deadlines are theirs) they say nothing. */
const BUYER_SIDE =
  /^(?:need_|ask_|purchase_step|money_|timeline_|deadline|emergency|rule_(?:bant|emergency|need|ready))/;

export function featureVector(f: FeatureInput): FeatureVector {
  const gated = nonBuyer(f) !== null && nonBuyer(f) !== f.signals.nonBuyer.support;
  const phrases = FEATURES.map((feature) => (gated && BUYER_SIDE.test(feature.name) ? null : feature.read(f)));
  return { values: phrases.map((p) => (p === null ? 0 : 1)), phrases };
}

/**
 * An emergency where the writer lives or works, not put off: HOT on its own by the rubric. A hedge
 * about what may happen next ("the pipes might freeze") does not put it off; no rush, a refusal,
 * browsing or a date months away does.
 */
const emergencyAtHome = (f: FeatureInput) => {
  const d = days(f);
  return (
    Boolean(f.signals.need.emergency) &&
    (f.extraction.entities.address !== null || Boolean(f.signals.authority.owns)) &&
    (d === null || d <= 31) &&
    !putsOff(f) &&
    nonBuyer(f) === null
  );
};

/**
 * A person, an animal or a place in danger now, with the writer acting on it today ("we're 10 min
 * away", "can you come right now"): the rubric's "action now, or an emergency" with the need plain.
 */
const emergencyNow = (f: FeatureInput) => {
  const d = days(f);
  return Boolean(f.signals.need.emergency) && d !== null && d <= 1 && !hesitant(f) && nonBuyer(f) === null;
};

/** Days past which a lead is not acting "within about 30 days", with some slack for "in six weeks". */
const NOT_SOON = 45;

/**
 * A prospect who is not ready now: the only date they give is months away, or they say there is no
 * rush, that they are only looking, or that they are not buying. HOT needs action soon, so they are
 * never above WARM.
 */
const notYet = (f: FeatureInput) => {
  const d = days(f);
  return (d !== null && d > NOT_SOON) || putsOff(f);
};

/** A buyer partway through buying ("we accept, send the contract"): HOT on its own by the rubric, unless put off. */
const underway = (f: FeatureInput) =>
  Boolean(f.signals.process.underway) && !hesitant(f) && nonBuyer(f) === null && f.kind !== 'junk';

/** The rubric's hard-rule inputs, read from the same signals as the model's. */
export function hardRules(f: FeatureInput): {
  noSubstance: boolean;
  notABuyer: boolean;
  prospect: boolean;
  emergency: boolean;
  underway: boolean;
  notYet: boolean;
} {
  const { process, hedges } = f.signals;
  const asks = Boolean(process.pricing ?? process.service ?? (concreteNeed(f) ? process.contact : null));
  const renter = f.signals.authority.renter !== null;
  const notBuying = nonBuyer(f) !== null || f.kind === 'junk' || f.kind === 'job' || hedges.refusal !== null || renter;
  return {
    noSubstance: f.signals.contentWords <= NO_SUBSTANCE && !f.signals.money.amount,
    // A vendor's prices and deadlines, a job seeker's "right away", a scam's overdue invoice: COLD by the rubric.
    notABuyer: nonBuyer(f) !== null,
    // A need with an ask to be contacted is never COLD, and a price or service question is a prospect's.
    prospect: asks && !notBuying,
    emergency: emergencyAtHome(f) || emergencyNow(f),
    underway: underway(f),
    notYet: notYet(f),
  };
}

/**
 * The sender's domain, which by the rubric moves a lead within its tier and never across: a company
 * domain a little up, a free-mail address a little down. It is kept out of the learned model, where
 * it would stand for whoever happens to write from a company address (vendors as often as buyers).
 */
export function domainFit(f: FeatureInput): { side: 1 | -1; phrase: string } | null {
  const { domain, free_mail } = f.enrichment;
  if (free_mail) return { side: -1, phrase: 'a free-mail address' };
  return domain ? { side: 1, phrase: `company domain ${domain}` } : null;
}
