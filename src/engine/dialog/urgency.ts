import { plainApostrophes } from '../../lib/text.js';
import { phoneSpans } from '../entities/phones.js';
import type { DialogConfig } from './dialog.js';
import { normaliseTerm } from './knowledge.js';

/**
 * Whether a message reports harm happening now, which cannot wait for opening hours: water
 * where it should not be, gas or fire, a home without heat, storm damage open to the weather,
 * severe pain or injury, a poisoned or injured animal. Read as kinds of danger, so a question
 * *about* emergency service ("do you offer 24/7 emergency service?") is not one.
 */

/** Water escaping: burst, flooding, pouring or coming through a ceiling or wall; a boat taking on water. */
const WATER_ESCAPING =
  /\b(?:burst|broken)\s+(?:pipe|main|water\s+line)|\b(?:pipe|main|water\s+line)s?\s+(?:has\s+|have\s+|just\s+)?burst|\bflood(?:ed|ing)?\b|\bsewage\b|\bsewer\s+(?:is\s+)?backing\s+up|\bwater\s+(?:is\s+)?(?:pouring|gushing|spraying|everywhere|coming\s+(?:in|through|out))|\b(?:pouring|gushing|leaking|dripping)\s+(?:in\s+)?through\s+(?:the\s+|my\s+|our\s+)?(?:ceiling|roof|wall)|\btaking\s+on\s+water\b|\b(?:is\s+|she'?s\s+|it'?s\s+)sinking\b/i;

const DANGERS: RegExp[] = [
  // Electrical fire in the making: sparks flying, wiring smoking or melting, a smell of something burning.
  /\bsparks?\s+(?:are\s+|keep\s+)?(?:coming|flying|shooting)\b|\b(?:is|are|keeps?|started)\s+sparking\b|\b(?:outlet|socket|panel|wire|wiring|breaker|plug|switch)e?s?\s+(?:is\s+|are\s+|keeps?\s+)?(?:sparking|smoking|melting|melted)\b|\bsmells?\s+(?:like\s+)?(?:something(?:'s|\s+is)?\s+)?burning\b|\bsmell\s+of\s+(?:something\s+)?burning\b|\bburning\s+smell\b/i,
  // Heat climbing where it does harm, or stock spoiling: a server room without cooling, a dead walk-in freezer.
  /\btemp(?:erature)?s?\s+(?:is\s+|are\s+|keeps?\s+)?(?:climbing|rising|going\s+up|spiking)\b|\b(?:server|equipment|data)\s+room\s+(?:is\s+)?(?:overheating|getting\s+hot)\b|\b(?:food|stock|inventory|product)\s+(?:is\s+)?(?:spoiling|going\s+bad|thawing)\b/i,
  // No heat (or cooling) in the house.
  /\b(?:no|without)\s+(?:heat|heating)\b|\b(?:furnace|boiler|heater|heat)\s+(?:is\s+|has\s+(?:been\s+)?|'?s\s+been\s+|been\s+)?(?:died|quit|stopped|out|went\s+out|broke|broken)\b|\bfreezing\s+(?:in\s+)?(?:the\s+)?(?:house|home)\b|\b(?:house|home)\s+is\s+freezing\b/i,
  // The weather getting in: something through the roof, rain coming inside.
  /\b(?:tree|branch|limb)\s+(?:fell|came|went|is)\s+(?:on|through|into)\b|\brain\s+(?:is\s+)?(?:coming|pouring|getting)\s+in|\bhole\s+in\s+(?:the\s+|our\s+|my\s+)?roof\b|\broof\s+(?:caved|collapsed)/i,
  // A security incident under way: ransomware, a ransom note, systems hacked or files encrypted.
  /\bransom(?:ware|\s+(?:note|message|demand))\b|\b(?:we(?:'ve|\s+have)?|i(?:'ve|\s+have)?)\s+(?:been|got|were|was)\s+hacked\b|\b(?:files|server|computers|systems?)\s+(?:\w+\s+){0,3}(?:encrypted|locked\s+up)\b/i,
  // Severe pain, swelling, bleeding, a knocked-out tooth.
  /\b(?:severe|unbearable|excruciating)\s+pain\b|\b(?:is\s+)?killing\s+me\b|\b(?:face|jaw|gum|cheek)\s+(?:is\s+)?swollen\b|\bswelling\b|\bwon'?t\s+stop\s+bleeding|\bbleeding\s+(?:a\s+lot|heavily)|\bknocked\s+out\b/i,
];

/** Harm to a life: a person or an animal trapped, poisoned, unable to breathe; gas or fire. Open or closed, a person takes it at once. */
const LIFE_DANGERS: RegExp[] = [
  // Gas, smoke, fire.
  /\b(?:smell(?:s|ing)?\s+(?:of\s+)?gas|gas\s+(?:leak|smell)|carbon\s+monoxide|co\s+alarm|smoke\s+(?:is\s+)?coming|on\s+fire|caught\s+fire)\b/i,
  /\b(?:can'?t|cannot)\s+breathe\b/i,
  // Someone trapped: a child, a pet or a person locked or stuck inside.
  /\b(?:baby|toddler|child|kid|son|daughter|dog|puppy|cat|kitten|pet|someone|somebody)\s+(?:is\s+|got\s+|are\s+|was\s+)?(?:locked|trapped|stuck)\s+in(?:side)?\b/i,
  // An animal that ate something toxic or is hurt.
  /\b(?:ate|eaten|swallowed|got\s+into)\s+(?:a\s+|an\s+|some\s+|the\s+|a\s+whole\s+(?:bar|bag|box)\s+of\s+)?(?:\w+\s+)?(?:chocolate|grapes|raisins|xylitol|poison|rat\s+bait|antifreeze|medication|pills)\b|\b(?:hit\s+by\s+a\s+car|having\s+(?:a\s+)?seizures?)\b/i,
];

/**
 * Water outdoors ("overflowing gutters pouring down by the front door") does no harm that cannot wait;
 * water from the yard into the basement does.
 */
const OUTDOORS = /\b(?:gutters?|downspouts?|yard|lawn|driveway|sidewalk|street|sprinklers?|irrigation)\b/i;
const INDOORS =
  /\b(?:basement|ceiling|kitchen|bathroom|bedroom|inside|indoors|floor|room|garage|crawl\s*space|wall)\b/i;

export function reportsEmergency(text: string): boolean {
  const t = plainApostrophes(text);
  return (
    endangersLife(t) ||
    (WATER_ESCAPING.test(t) && (!OUTDOORS.test(t) || INDOORS.test(t))) ||
    DANGERS.some((danger) => danger.test(t))
  );
}

/** Whether a message reports a life in danger now, which goes to a person even while the business is open. */
export function endangersLife(text: string): boolean {
  const t = plainApostrophes(text);
  return LIFE_DANGERS.some((danger) => danger.test(t));
}

/** What a tenant's emergency note says about being reached, as opposed to which situations count. */
const EMERGENCY_NOTE = /\b(?:emergenc(?:y|ies)|on-?call|24\/7|around\s+the\s+clock|after-?hours|urgent)\b/i;
/** "call our on-call plumber at …": the way to reach the business, from the contact verb to the sentence's end. */
const CONTACT_CLAUSE = /(?<!-)\b(?:call|ring|text|phone|dial|contact|reach)\b[^.!?]*/gi;
/** Words every emergency note has, whatever the tenant's emergencies are. */
const FRAMING = new Set(
  [
    'closed',
    'emergency',
    'emergencies',
    'urgent',
    'tonight',
    'today',
    'hours',
    'line',
    'number',
    'can',
    'will',
  ].flatMap((w) => normaliseTerm(w) ?? []),
);
/** Words skipped when reading two words as one phrase ("door is stuck open" has "door stuck" and "stuck open"). */
const GLUE = new Set(
  'a an the my our your his her their its is are was were be been has have had having it this that of to'.split(' '),
);
/** Small words that still carry the situation in a phrase: "locked out", "broken down". */
const PARTICLES = new Set(['out', 'up', 'off', 'down', 'in', 'on', 'over', 'through', 'open']);
/** Something is wrong now: the tenant's named situations count only beside it, not in "we're a managed client". */
const TROUBLE =
  /!|\b(?:down|broken|broke|stuck|won'?t|can'?t|cannot|not\s+working|isn'?t\s+working|locked|smashed|shattered|leak\w*|dead|died|stopped|failed|crashed|help|now|urgent|asap)\b/i;

interface Phrasing {
  terms: Set<string>;
  pairs: Set<string>;
}

function phrasing(text: string): Phrasing {
  const words = plainApostrophes(text.toLowerCase())
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/'s$/, ''))
    .filter((w) => w && !GLUE.has(w));
  const content = (w: string): string | null => {
    const term = normaliseTerm(w);
    return term && !FRAMING.has(term) && !PARTICLES.has(w) ? term : null;
  };
  const stems = words.map((w) => ({ stem: normaliseTerm(w) ?? w, content: content(w), particle: PARTICLES.has(w) }));
  const terms = new Set(stems.flatMap((s) => s.content ?? []));
  const pairs = new Set<string>();
  for (let i = 1; i < stems.length; i += 1) {
    const [a, b] = [stems[i - 1]!, stems[i]!];
    // A phrase is two words of the situation, one of them at least a content word: "stuck open", "locked out".
    if ((a.content && (b.content || b.particle)) || (b.content && a.particle)) pairs.add(`${a.stem} ${b.stem}`);
  }
  return { terms, pairs };
}

const stated = new WeakMap<DialogConfig, Phrasing[]>();

const writesPhone = (text: string): boolean => phoneSpans(text).length > 0;

/**
 * What the tenant wrote for what cannot wait: its out-of-hours message, and the knowledge that says it is
 * about emergencies (a number in the out-of-hours message is for what cannot wait; one in knowledge must say so).
 */
export function emergencyNotes(cfg: DialogConfig): string[] {
  const knowledge = cfg.knowledge.map((k) => `${k.title} ${k.content}`).filter((text) => EMERGENCY_NOTE.test(text));
  return [cfg.outOfHoursMessage ?? '', ...knowledge];
}

/**
 * The situations a tenant names as its emergencies, from the out-of-hours message or knowledge
 * that gives an emergency number ("If your door is stuck open … call our on-call technician at …"),
 * without the clauses that say how to reach it.
 */
function statedEmergencies(cfg: DialogConfig): Phrasing[] {
  let found = stated.get(cfg);
  if (!found) {
    const notes = emergencyNotes(cfg).filter(writesPhone);
    found = notes.map((note) =>
      phrasing(
        note
          .replace(CONTACT_CLAUSE, ' ')
          .split(/(?<=[.!?])\s+|[,;:]\s+/)
          .filter((clause) => !writesPhone(clause))
          .join(' '),
      ),
    );
    stated.set(cfg, found);
  }
  return found;
}

/**
 * Whether a message describes, as happening now, one of the situations the tenant names as an
 * emergency: a phrase of the tenant's note ("locked out", "stuck open"), or two of its words
 * ("server", "network").
 */
export function statesTenantEmergency(text: string, cfg: DialogConfig): boolean {
  if (!TROUBLE.test(plainApostrophes(text))) return false;
  const said = phrasing(text);
  return statedEmergencies(cfg).some(
    (note) =>
      [...note.pairs].some((pair) => said.pairs.has(pair)) ||
      [...note.terms].filter((term) => said.terms.has(term)).length >= 2,
  );
}
