import type { Extraction } from '../entities/extract.js';
import { readAuthority, type AuthoritySignals } from './authority.js';
import { readHedges, type HedgeSignals } from './hedges.js';
import { readMoney, type MoneySignals } from './money.js';
import { readNeed, type NeedSignals } from './need.js';
import { readNonBuyer, type NonBuyerSignals } from './non-buyer.js';
import { readText } from './nlp.js';
import { readProcess, type ProcessSignals } from './process.js';
import { readTimeline, type TimelineSignals } from './timeline.js';

/** Every buying signal of one lead, each family read in general form from the same tokens. */
export interface LeadSignals {
  need: NeedSignals;
  timeline: TimelineSignals;
  money: MoneySignals;
  authority: AuthoritySignals;
  process: ProcessSignals;
  hedges: HedgeSignals;
  nonBuyer: NonBuyerSignals;
  /** Words of meaning in the lead; a handful or fewer is no text of substance. */
  contentWords: number;
}

/** Form fields that hold contact details or ids rather than words about the request. */
const CONTACT_FIELDS =
  /^(?:customer_|caller_)?(?:name|email|phone|zip|postcode|postal_code|address|street_address|city|state)$/i;

/** The words of a form's other fields ("Emergency - today", "Careers", "Own"), which speak as the text does. */
export function fieldWords(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .filter(([key, value]) => typeof value === 'string' && !CONTACT_FIELDS.test(key))
    .map(([, value]) => String(value).replace(/_/g, ' '))
    .join('. ');
}

export function readSignals(text: string, extraction: Extraction): LeadSignals {
  const read = readText(text);
  return {
    need: readNeed(read),
    timeline: readTimeline(read, extraction.timeline),
    money: readMoney(read, extraction.budget, extraction.money),
    authority: readAuthority(read),
    process: readProcess(read),
    hedges: readHedges(read),
    nonBuyer: readNonBuyer(read),
    contentWords: read.contentWords,
  };
}
