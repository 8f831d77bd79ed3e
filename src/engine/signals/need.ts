import type { ReadText, Token } from './nlp.js';
import { affirmed, anywhere, type Hit } from './hit.js';
import { phraseSet } from './phrases.js';

/** A concrete job or problem, the rubric's Need, and how urgent the problem itself is. */
export interface NeedSignals {
  /** Something is wrong: broken, leaking, failing, losing calls. */
  problem: Hit | null;
  /** A job to be done: replace, install, deploy, represent, move. */
  job: Hit | null;
  /** "We need", "looking for", "interested in". */
  wants: Hit | null;
  /** A count of things to buy or work on: 40 licenses, 3 locations, 2,000 sq ft. */
  quantity: Hit | null;
  /** A problem that cannot wait: water coming in, no heat, gas, sparks, storm damage. */
  emergency: Hit | null;
}

const PROBLEM = phraseSet([
  ...['leak', 'leaking', 'drip', 'burst', 'flood', 'flooding', 'crack', 'cracked', 'break', 'broken', 'damage'],
  ...['damaged', 'fail', 'failed', 'failing', 'failure', 'die', 'dead', 'clog', 'clogged', 'mold', 'rot', 'rust'],
  ...['infestation', 'termite', 'mice', 'mouse', 'rat', 'roach', 'cockroach', 'bedbug', 'wasp', 'ant', 'pest'],
  ...['spark', 'smoke', 'smell', 'outage', 'trip', 'stuck', 'shatter', 'overflow', 'sag', 'hole', 'stain'],
  ...['noise', 'banging', 'injury', 'injure', 'accident', 'pain', 'toothache', 'ache', 'bleed', 'swollen'],
  ...['evict', 'eviction', 'arrest', 'ticket', 'dui', 'custody', 'divorce', 'lawsuit', 'sue', 'fired'],
  ...['crash', 'downtime', 'hack', 'hacked', 'breach', 'ransomware', 'virus', 'slow', 'outdated', 'violation'],
  ...['miss call', 'missed call', 'lose', 'losing', 'churn', 'problem', 'issue', 'trouble', 'struggle'],
  ...['not work', 'stop work', 'quit work', 'do not start', 'not cool', 'not heat', 'backed up'],
  ...['back up', 'will not start', 'inspection', 'deadline', 'expire', 'expiring', 'replace our'],
  // Symptoms people describe rather than name: a noise, a light, a fault they are afraid of.
  ...['grind', 'grinding', 'squeal', 'squeak', 'rattle', 'shake', 'shaking', 'vibrate', 'overheat', 'buzz'],
  ...['buzzing', 'flicker', 'flickering', 'warning light', 'check engine', 'stop working', 'quit', 'dying'],
  ...['not working', 'do not work', 'unsafe', 'dangerous', 'scared to', 'afraid to', 'worried about'],
]);
const JOB = phraseSet([
  ...['replace', 'replacement', 'repair', 'fix', 'install', 'installation', 'remodel', 'renovate', 'renovation'],
  ...['build', 'paint', 'clean', 'cleaning', 'move', 'moving', 'relocate', 'remove', 'removal', 'inspect'],
  ...['service', 'upgrade', 'migrate', 'migration', 'deploy', 'onboard', 'implement', 'roll out', 'rollout'],
  ...['represent', 'sell', 'buy', 'list', 'insure', 'coverage', 'policy', 'train', 'training', 'enroll'],
  ...['cater', 'redesign', 'rebuild', 'tear off', 're-roof', 'reroof', 'landscape', 'mow', 'seal', 'treat'],
  ...['exterminate', 'haul', 'pack', 'design', 'audit', 'manage', 'refinance', 'lease', 'rent', 'book'],
  ...['hire', 'setup', 'set up', 'switch', 'consolidate', 'license', 'seat', 'subscription', 'plan', 'package'],
  ...['wedding', 'event', 'party', 'membership', 'cleanup', 'estimate', 'quote', 'appointment', 'checkup'],
]);
const WANTS = phraseSet([
  ...['need', 'want', 'require', 'look for', 'looking for', 'look to', 'looking to', 'interested in'],
  ...['would like', "'d like", 'i d like', 'hoping to', 'plan to', 'planning to', 'seek', 'in the market'],
  ...['shopping for', 'trying to find', 'we are after'],
]);
const EMERGENCY = phraseSet([
  ...['leak', 'leaking', 'burst', 'flood', 'flooding', 'water coming', 'water pour', 'pouring', 'gushing'],
  ...['spark', 'sparking', 'smoke', 'burning smell', 'smell gas', 'gas smell', 'gas leak', 'carbon monoxide'],
  ...['fire', 'storm damage', 'hail damage', 'tree fall', 'tree fell', 'tree come', 'hole in', 'sewage'],
  // "urgent" alone is haste, which the timeline reads, not harm happening.
  ...['back up', 'backed up', 'emergency', 'locked out', 'shut off', 'freezing', 'frozen pipe'],
  ...['flooded', 'water everywhere', 'ceiling collapse', 'live wire', 'shock', 'injured', 'bleeding'],
  ...['lost power', 'lose power', 'power out', 'power be out', 'knocked out', 'knock out', 'swelling', 'swollen'],
  ...['throbbing', 'severe pain', 'fever', 'overflowing', 'ransomware', 'hacked', 'server down', 'be down'],
  // A person or an animal in danger now.
  ...['hit by a car', 'poison', 'poisoned', 'swallow', 'not breathing', 'can not breathe', 'seizure', 'choking'],
  ...['unconscious', 'collapsed', 'can not stand', 'broken bone', 'trapped', 'stuck inside', 'stuck in the'],
  // Water or weather getting inside, told as it happens: "rain is coming in", "water's getting in".
  ...['water come in', 'water * come in', 'water get in', 'water * get in', 'rain come in', 'rain * come in'],
  ...[
    'rain get in',
    'rain * get in',
    'water pour in',
    'rain pour in',
    'come through the ceiling',
    'come through the roof',
  ],
]);
/** Something missing that a home cannot go without; the negation is the point, so these match anywhere. */
const WITHOUT_ESSENTIALS = phraseSet([
  ...['no heat', 'no hot water', 'no power', 'no ac', 'no a/c', 'no air', 'no cooling', 'no water', 'no electricity'],
  ...['without heat', 'without power', 'without water', 'without ac', 'not heating', 'not cooling'],
  // The same loss told as an event: "our heat went out", "the furnace is out".
  ...['heat go out', 'heat be out', 'heater go out', 'furnace go out', 'furnace be out', 'boiler go out'],
  ...['power go out', 'ac go out', 'ac be out', 'a/c go out', 'air go out', 'hot water go out'],
  // The heating told as a fault: "the furnace is not lighting", "the boiler won't turn on".
  ...['furnace * not light', 'furnace * not work', 'furnace * not turn on', 'boiler * not light'],
  ...['boiler * not work', 'boiler * not turn on', 'heater * not work', 'heater * not turn on', 'heat * not work'],
]);

/** Units and words after a number that make it a time, money, an age or a share rather than a count of things. */
const NOT_COUNTED = new Set([
  ...['day', 'week', 'month', 'year', 'hour', 'minute', 'second', 'yr', 'mo', 'am', 'pm', 'k', 'percent', '%'],
  ...['dollar', 'buck', 'thousand', 'million', 'grand', 'lakh', 'crore', 'euro', 'pound', 'rupee', 'degree'],
  ...['old', 'time', 'st', 'nd', 'rd', 'th', 'star', 'minute', 'o', "o'clock", 'ish', 'x'],
  ...['min', 'mins', 'hr', 'hrs', 'sec', 'a.m.', 'p.m.', 'factor', 'side', 'way'],
]);

/**
 * Words before a number that make it a reference or a price rather than a count: "PO 45-11872",
 * "invoice 2231", "Channel 6", "$2,000 deposit".
 */
const REFERENCE_BEFORE = new Set([
  ...['#', 'no', 'no.', 'number', 'po', 'invoice', 'ticket', 'channel', 'suite', 'unit', 'apt', 'room', 'model'],
  ...['route', 'version', 'rev', 'case', 'account', 'ref', 'item', 'part', 'sku', 'lot', 'flight', 'gate', 'dock'],
  ...['exit', 'interstate', 'highway', 'hwy', 'phase', 'level', 'class', 'grade', 'page', 'section', 'form'],
  ...['$', '€', '£', '₹', 'usd', 'eur', 'gbp', 'inr', 'rs', 'aud', 'cad'],
]);
/** A four-digit number that reads as a year ("2018 RAV4", "2026 pricing") unless an area follows it. */
const YEAR = /^(?:19[5-9]\d|20[0-3]\d)$/;
const AREA = new Set(['sq', 'square', 'sqft', 'ft', 'feet', 'foot', 'acre', 'acres', 'm2']);

/** A number that names or prices something rather than counting it. */
function isReference(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i] as Token;
  if (/[-#/]/.test(token.text)) return true;
  const before = tokens[i - 1];
  if (before && REFERENCE_BEFORE.has(before.norm)) return true;
  return YEAR.test(token.norm) && !AREA.has(tokens[i + 1]?.norm ?? '');
}

/** Words that end a street address: a number before them is a house number, not a count. */
const STREET = new Set([
  ...['st', 'street', 'ave', 'avenue', 'rd', 'road', 'dr', 'drive', 'lane', 'ln', 'ct', 'court', 'blvd', 'way'],
  ...['boulevard', 'pl', 'place', 'terrace', 'cir', 'circle', 'pkwy', 'parkway', 'hwy', 'highway', 'crescent'],
]);

const isNoun = (token: Token | undefined) => token?.pos === 'NOUN' || token?.pos === 'PROPN';
/** Longest noun group quoted after a count: "75 sales reps". */
const GROUP_MAX = 3;

/** A number followed, within two words, by a noun that is counted: "40 licenses", "3 cafés", "2,000 sq ft". */
function quantity(read: ReadText): Hit | null {
  const { tokens } = read;
  for (let i = 0; i < tokens.length - 1; i += 1) {
    const token = tokens[i] as Token;
    if (!(token.pos === 'NUM' || /^\d[\d,.]*$/.test(token.norm)) || token.norm.includes(':')) continue;
    if (isReference(tokens, i)) continue;
    for (let j = i + 1; j < Math.min(i + 3, tokens.length); j += 1) {
      const next = tokens[j] as Token;
      // "18,400 by insurance" is an amount and who pays it, not 18,400 insurances.
      if (NOT_COUNTED.has(next.lemma) || NOT_COUNTED.has(next.norm) || next.pos === 'ADP') break;
      if (!isNoun(next)) continue;
      let end = j + 1;
      while (end < j + GROUP_MAX && isNoun(tokens[end])) end += 1;
      if (tokens.slice(j, end + 1).some((t) => STREET.has(t.norm))) break;
      return {
        text: tokens
          .slice(i, end)
          .map((t) => t.text)
          .join(' '),
      };
    }
  }
  return null;
}

export function readNeed(read: ReadText): NeedSignals {
  return {
    problem: affirmed(read, PROBLEM),
    job: affirmed(read, JOB),
    wants: affirmed(read, WANTS),
    quantity: quantity(read),
    emergency: affirmed(read, EMERGENCY) ?? anywhere(read, WITHOUT_ESSENTIALS),
  };
}
