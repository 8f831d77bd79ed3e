import type { CountryCode } from 'libphonenumber-js';
import type { Entities } from '../analysis.schema.js';
import { extractEmails, normaliseEmail } from './emails.js';
import { extractMoney, parseBudgetValue, type MoneyMention, type MoneyPeriod } from './money.js';
import { extractAddress, extractPersonName } from './person.js';
import { extractPhones, normalisePhone } from './phones.js';
import { matchProjectType, type ProjectMatch } from './project-type.js';
import { extractSeats, extractSquareFootage, extractTeamSize, parseSizeValue } from '../../lib/sizes.js';
import { extractTimeline, parseTimelineValue, type TimelineBucket, type TimelineReading } from './timeline.js';

export interface EntityContext {
  /** "Now" for relative dates ("next month"). */
  reference: Date;
  timeZone: string;
  /** Region for phone numbers written without a country code. */
  region: CountryCode;
  services: readonly { id: string; keywords: readonly string[] }[];
}

/** What the lead gave us: the customer's own words plus the structured fields a surface had. */
export interface LeadText {
  text: string;
  email?: string | undefined;
  phone?: string | undefined;
  name?: string | undefined;
  fields: Readonly<Record<string, unknown>>;
}

export interface Budget {
  min: number;
  max: number;
  period: MoneyPeriod;
  /** Came from a form field rather than the text. */
  fromField: boolean;
}

/** Entities for the result, plus the richer readings scoring needs. */
export interface Extraction {
  entities: Entities;
  money: MoneyMention[];
  budget: Budget | null;
  /** A monthly utility bill, which sizes a solar job. */
  monthlyBill: number | null;
  timeline: TimelineReading;
  seats: number | null;
  project: ProjectMatch | null;
  /** The text the extraction read: the customer's words and any description field. */
  text: string;
}

function field(fields: Readonly<Record<string, unknown>>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

/** A bare figure this far below the typical job is a rounding error for it, not a price. */
const NEGLIGIBLE_SHARE = 0.01;
/** Read in thousands, the figure must land within this factor of the typical job either way. */
const PLAUSIBLE_FACTOR = 10;

/**
 * Spoken budgets drop the thousands: "pre-approved up to 600" for a house, "around 150" for a
 * kitchen. A one-off budget written as a bare figure is read in thousands when, as written, it is
 * negligible next to what the job typically costs and, in thousands, close to it.
 */
function inThousands(mention: MoneyMention, typicalCost: number | null): MoneyMention {
  if (!mention.bare || !typicalCost || mention.context !== 'budget' || mention.period !== 'once') return mention;
  const thousands = mention.max * 1000;
  const negligible = mention.max < typicalCost * NEGLIGIBLE_SHARE;
  const plausible = thousands >= typicalCost / PLAUSIBLE_FACTOR && thousands <= typicalCost * PLAUSIBLE_FACTOR;
  return negligible && plausible ? { ...mention, min: mention.min * 1000, max: thousands } : mention;
}

function budgetFrom(fields: LeadText['fields'], money: MoneyMention[]): Budget | null {
  const stated = field(fields, 'budget_range', 'budget');
  const parsed = stated ? parseBudgetValue(stated) : null;
  if (parsed) return { ...parsed, period: 'once', fromField: true };
  const spend = money.filter((m) => m.context !== 'bill');
  const pick = spend.find((m) => m.range) ?? spend[0];
  return pick ? { min: pick.min, max: pick.max, period: pick.period, fromField: false } : null;
}

function timelineFrom(fields: LeadText['fields'], reading: TimelineReading, ctx: EntityContext): TimelineReading {
  const stated = field(fields, 'timeline', 'timeframe', 'time_frame');
  const bucket: TimelineBucket | null = stated
    ? parseTimelineValue(stated, { instant: ctx.reference, timeZone: ctx.timeZone })
    : null;
  if (!bucket) return reading;
  // The form's bucket wins; the text's day count only stands if it agrees.
  return {
    ...reading,
    bucket,
    days: reading.bucket === bucket ? reading.days : null,
    phrase: stated?.replace(/_/g, ' ') ?? reading.phrase,
  };
}

export function extractEntities(lead: LeadText, ctx: EntityContext): Extraction {
  const description = field(lead.fields, 'project_description', 'description', 'details');
  const text = description && !lead.text.includes(description) ? `${lead.text} ${description}`.trim() : lead.text;

  const emails = [
    ...new Set([
      normaliseEmail(lead.email ?? field(lead.fields, 'customer_email') ?? undefined),
      ...extractEmails(text),
    ]),
  ].filter((e): e is string => e !== null);
  const phones = [
    ...new Set([
      normalisePhone(lead.phone ?? field(lead.fields, 'customer_phone') ?? undefined, ctx.region),
      ...extractPhones(text, ctx.region),
    ]),
  ].filter((p): p is string => p !== null);

  const projectHint = field(lead.fields, 'project_type', 'service', 'service_type');
  const hinted = projectHint ? matchProjectType(projectHint.replace(/_/g, ' '), ctx.services) : null;
  const project = hinted ?? matchProjectType(text, ctx.services);
  const projectType =
    hinted?.service.id ??
    (projectHint ? projectHint.toLowerCase().replace(/\s+/g, '_') : null) ??
    project?.service.id ??
    null;

  const typicalCost = project?.service.typicalCost ?? null;
  const money = extractMoney(text).map((m) => inThousands(m, typicalCost));
  const budget = budgetFrom(lead.fields, money);
  const bill = money.find((m) => m.context === 'bill' && m.period === 'month');
  const timeline = timelineFrom(
    lead.fields,
    extractTimeline(text, { instant: ctx.reference, timeZone: ctx.timeZone }),
    ctx,
  );

  const sizeHint = field(lead.fields, 'team_size', 'company_size', 'employees');
  const sqftHint = field(lead.fields, 'square_footage', 'sqft');

  const entities: Entities = {
    emails,
    phones,
    money: [...new Set(money.flatMap((m) => (m.min > 0 && m.min !== m.max ? [m.min, m.max] : [m.max])))],
    budget_range: budget ? { min: budget.min, max: budget.max } : null,
    timeline: timeline.bucket,
    dates: timeline.dates,
    team_size: extractTeamSize(text) ?? (sizeHint ? parseSizeValue(sizeHint) : null),
    square_footage: extractSquareFootage(text) ?? (sqftHint ? parseSizeValue(sqftHint) : null),
    project_type: projectType,
    person_name:
      extractPersonName(text) ?? (lead.name?.trim() || null) ?? field(lead.fields, 'customer_name', 'caller_name'),
    address: extractAddress(text) ?? field(lead.fields, 'address', 'street_address'),
  };

  return {
    entities,
    money,
    budget,
    monthlyBill: bill?.max ?? null,
    timeline,
    seats: extractSeats(text),
    project: hinted ?? project,
    text,
  };
}
