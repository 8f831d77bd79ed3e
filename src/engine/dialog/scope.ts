import { plainApostrophes } from '../../lib/text.js';
import type { DialogConfig } from './dialog.js';
import { normaliseTerm } from './knowledge.js';

/**
 * Whether a message is for this business at all. Vendors pitching their own services and
 * questions about something else entirely (sport, weather, homework) are closed politely: a
 * person at the business has nothing to do with them.
 */

/** The sender sells to us: "we offer…", "we are an SEO agency", "our team provides…". */
const PITCH =
  /\b(?:we|our\s+(?:team|agency|company|firm))\s+(?:are\s+|is\s+)?(?:offer(?:ing)?|provid(?:e|ing)|specializ(?:e|ing)\s+in|sell(?:ing)?)\b|\bwe(?:'re|\s+are)\s+an?\s+(?:[\w+-]+\s+){0,4}(?:agency|team|company|firm|vendor|supplier|consultancy)\b|\bwe\s+help\s+(?:\w+\s+){0,3}(?:companies|businesses|brands|firms|teams|owners)\b|\bour\s+(?:[\w-]+\s+){0,2}(?:agency|team|company|firm|platform|software|tool|app)\s+(?:can|will|could)\s+(?:guarantee|get|help|boost|double|triple|grow|increase|bring|generate)\b|\bsend\s+(?:you\s+)?(?:a|our)\s+free\s+(?:audit|report|analysis|mockup|proposal)\b|\b(?:click|visit)\s+(?:here|the\s+link|bit\.ly\S*)|\byou\s+(?:have\s+been|were)\s+selected\b/i;
/** One person selling: "I run a small outbound agency that …", "… for dental practices like yours", "our rates are …". */
const SELLER =
  /\bi(?:'m|\s+am)?\s+(?:run|own|work\s+(?:at|for)|with|represent)\s+(?:a|an|our)\s+(?:[\w+-]+\s+){0,4}(?:agency|company|firm|consultancy|studio|startup|vendor|supplier)\b|\bfor\s+(?:[\w-]+\s+){0,2}[\w-]+s\s+like\s+yours\b|\bour\s+(?:rates|prices|fees|packages)\s+(?:are|start)\b/i;

/**
 * Selling growth to the business: "we help dermatology practices get 50+ reviews", leads sold by the
 * lead, a first page on Google, "shall I send you our packages?".
 */
const GROWTH_OFFER =
  /\bwe\s+help\s+(?:[\w-]+\s+){0,3}[\w-]+s\s+(?:get|grow|find|increase|rank|generate|boost|win|attract|book|fill|scale)\b|\bwe\s+(?:generate|deliver|sell|send|provide)\s+(?:[\w&-]+\s+){0,4}leads\b|\bpay\s+per\s+lead\b|\bfree\s+leads\b|\b(?:first|1st|top)\s+page\s+(?:of|on)\s+google\b|\bsend\s+you\s+(?:our|the)\s+(?:packages|pricing|rates|proposal|portfolio|price\s+list)\b|\bi(?:'m|\s+am)\s+(?:[\w-]+\s+){0,2}(?:from|with)\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:agency|company|firm|consultancy|startup)\b/i;
/** Notices that scare the business into calling: its listing or domain about to be suspended. */
const SCARE_NOTICE =
  /\byour\s+(?:[\w-]+\s+){0,3}(?:listing|profile|domain|website)\s+(?:[\w-]+\s+){0,6}(?:be\s+)?(?:suspended|deactivated|removed|terminated)\b/i;

export function isPitch(text: string): boolean {
  const t = plainApostrophes(text);
  return PITCH.test(t) || SELLER.test(t) || GROWTH_OFFER.test(t) || SCARE_NOTICE.test(t);
}

/** What any business's customers ask about, whatever it sells. */
const BUSINESS_WORDS =
  'price cost charge fee quote estimate book booking appointment schedule visit open hour close service offer ' +
  'available availability insurance insured warranty guarantee area serve location address discount payment pay ' +
  'finance financing trial demo plan refund return order delivery shipping job hire license licensed staff team ' +
  'repair install installation consultation consult session class course lesson menu reservation table emergency';

const vocabularies = new WeakMap<DialogConfig, Set<string>>();

function terms(text: string): string[] {
  return text.split(/[^\p{L}\p{N}'’]+/u).flatMap((word) => normaliseTerm(word) ?? []);
}

/** Questions about the world at large: weather, sport, news, trivia. */
const WORLD =
  /\b(?:weather|forecast|(?:going\s+to|gonna|will\s+it)\s+(?:rain|snow)|who\s+won|the\s+score\s+of|super\s*bowl|world\s+cup|election|capital\s+of|tell\s+me\s+a\s+joke|meaning\s+of\s+life|march\s+madness|my\s+bracket|who\s+(?:do\s+you\s+think\s+)?(?:will\s+)?wins?)\b/i;

/** Schoolwork the customer wants done: "help me with my calc homework", "what's the derivative of x^2". */
const HOMEWORK =
  /\b(?:my|this|our)\s+(?:[\w-]+\s+)?(?:homework|assignment|essay|problem\s+set|worksheet)\b|\bderivative\s+of\b|\bsolve\s+for\s+x\b|\bintegral\s+of\b/i;
/** Words of a business that does help with schoolwork. */
const HOMEWORK_TRADE = terms('homework tutor tutoring math calculus essay assignment');

/** The words of what the business does: its services and the words of any business, not the places its knowledge names. */
const trades = new WeakMap<DialogConfig, Set<string>>();

function tradeWords(cfg: DialogConfig): Set<string> {
  let known = trades.get(cfg);
  if (!known) {
    const texts = [BUSINESS_WORDS, ...cfg.services, ...Object.keys(cfg.serviceAliases ?? {})];
    known = new Set(texts.flatMap((text) => terms(text.replace(/_/g, ' '))));
    trades.set(cfg, known);
  }
  return known;
}

/** The words of the tenant's own world: its trade's words, its name and its knowledge. */
function vocabulary(cfg: DialogConfig): Set<string> {
  let known = vocabularies.get(cfg);
  if (!known) {
    const texts = [cfg.companyName, ...cfg.knowledge.flatMap((entry) => [entry.title, entry.content])];
    known = new Set([...tradeWords(cfg), ...texts.flatMap((text) => terms(text.replace(/_/g, ' ')))]);
    vocabularies.set(cfg, known);
  }
  return known;
}

/**
 * A question about the world that names nothing the business does: "is it going to rain in Pasadena
 * tomorrow" shares a town with a tutor's knowledge but asks nothing of the tutor.
 */
export function asksAboutTheWorld(text: string, cfg: DialogConfig): boolean {
  // Homework is for a tutor; anywhere else it is off-topic, whatever words it shares ("before class tomorrow").
  if (HOMEWORK.test(text)) return !HOMEWORK_TRADE.some((term) => vocabulary(cfg).has(term));
  if (!WORLD.test(plainApostrophes(text))) return false;
  const known = tradeWords(cfg);
  return !terms(text).some((term) => known.has(term));
}

/** Whether a message shares any word with the business's world. */
export function aboutTheBusiness(text: string, cfg: DialogConfig): boolean {
  const known = vocabulary(cfg);
  return terms(text).some((term) => known.has(term));
}
