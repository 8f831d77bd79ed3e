import { createHash } from 'node:crypto';
import MiniSearch, { type SearchResult } from 'minisearch';
import type { KnowledgeEntry } from './dialog.js';
import { relatedWords } from './related-words.js';

/**
 * A tenant's knowledge base as a BM25 index (MiniSearch): FAQ entries whole, long documents cut
 * into passages so an answer is a paragraph, not a manual. Built once per distinct content.
 */

export interface Passage {
  id: string;
  entryId: string;
  title: string;
  text: string;
}

export interface KnowledgeHit {
  passage: Passage;
  score: number;
}

export interface KnowledgeIndex {
  /**
   * The best passage for a question, when it clears the relevance bar; `topic` words widen the search
   * without being required. `lenient`: the customer has plainly asked something and answered nothing
   * else, so one strong shared word is enough.
   */
  answer(question: string, topic?: string, lenient?: boolean): KnowledgeHit | null;
  size: number;
}

/** Passages stay under this many characters; FAQ answers are kept whole whatever their length. */
export const PASSAGE_CHARS = 600;
/** BM25 score a passage must reach. */
export const MIN_SCORE = 1.5;
/**
 * A passage answers when it shares half the question's content words, or two of them and a third.
 * A word the knowledge base never uses ("my GP", "the spray") weighs half: it is the customer's
 * context, which no passage could share, rather than a topic some other passage would.
 */
const MIN_COVERAGE = 0.5;
const UNKNOWN_WORD_WEIGHT = 0.5;
const MIN_SHARED_WORDS = 2;
/**
 * A question asked in the middle of a booking that answers nothing else may ramble ("do we get the
 * government rebate taken off straight away or pay full whack and claim it back?"): a shared word that
 * scores this high (rare, and in an entry's title) carries it.
 */
const LENIENT_SCORE = 3;
const LENIENT_COVERAGE = 0.1;
/** An idiom's meaning stands for the several words it replaced ("money down", "hold the spot"). */
const IDIOM_WORDS = 2;
const wordsOf = (group: TermGroup) => (group.idiom ? IDIOM_WORDS : 1);
const MIN_SHARED_COVERAGE = 0.3;
const CACHE_LIMIT = 100;
/** The best few passages are weighed in turn: the first may share only the topic, or only the question's commonest word. */
const CANDIDATES = 3;

const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with about from into over as is are was were be been being am do does did doing have has had ' +
    'i me my we our us you your he she it its they them their this that these those there here what which who whom whose when where why how ' +
    'can could would should will shall may might must just so than too very not no yes please hi hello hey thanks thank any some all ' +
    'tell know want need like get got let also up out off then guys guy folks ok okay still currently right now thing stuff really work ' +
    'dont doesnt didnt cant cannot wont isnt arent havent hasnt im ive id youre btw u ur nah gonna wanna gotta ' +
    // Filler a chat question carries ("oh wait", "actually", "or anything like that") and chat spellings of question words.
    'oh actually anything something everything hw wat wut wht wen whn'
  ).split(' '),
);

/** Customers and FAQ writers name the same thing differently; a question word also says what is asked. */
const EXPANSIONS: Record<string, string[]> = {
  open: ['hour'],
  cover: ['serve', 'area'],
  close: ['hour'],
  closed: ['hour'],
  hour: ['open'],
  when: ['hour'],
  where: ['location', 'address'],
  located: ['location', 'address'],
  location: ['address'],
  address: ['location'],
  time: ['hour'],
  long: ['hour', 'minute', 'take'],
  // FAQ writers ask the price as "How much is …?".
  cost: ['price', 'pricing', 'much'],
  price: ['cost', 'pricing', 'much'],
  pricing: ['price', 'cost', 'much'],
  much: ['price', 'cost'],
  charge: ['price', 'fee'],
  fee: ['price', 'charge', 'much'],
  monthly: ['month'],
  sq: ['square'],
  ft: ['feet', 'foot'],
  house: ['home'],
  home: ['house'],
  estimate: ['quote'],
  quote: ['estimate'],
  shot: ['vaccine', 'vaccination'],
  jab: ['vaccine', 'vaccination'],
  vaccination: ['vaccine'],
  // "use our own caterer instead of yours" asks whether outside ones are allowed.
  instead: ['own', 'outside'],
  outside: ['own'],
  own: ['outside'],
  use: ['bring'],
  // "do we have to buy one first?" asks whether they need their own or must bring it.
  buy: ['own', 'bring'],
  refund: ['return', 'cancellation'],
  return: ['refund'],
  cancel: ['cancellation'],
  cancellation: ['cancel', 'refund'],
  warranty: ['guarantee'],
  guarantee: ['warranty'],
  financing: ['finance', 'payment'],
  finance: ['financing', 'payment'],
  pay: ['payment', 'financing'],
  payment: ['pay', 'financing'],
  take: ['accept'],
  accept: ['take'],
  break: ['warranty', 'guarantee'],
  fix: ['repair'],
  while: ['during'],
  service: ['offer'],
  offer: ['service'],
  area: ['serve', 'location'],
  serve: ['area'],
  // A customer names their insurer's programme where the FAQ says "insurance".
  medicare: ['insurance'],
  medicaid: ['insurance'],
  insurer: ['insurance'],
  people: ['guest'],
  guest: ['people', 'bring'],
  benefit: ['insurance'],
  pic: ['photo', 'gallery'],
  photo: ['pic', 'gallery'],
  drag: ['carry', 'move'],
  haul: ['carry'],
  curb: ['outside'],
  curbside: ['outside'],
  rebate: ['subsidy', 'discount'],
  rite: ['right'],
  mesh: ['screen'],
  groove: ['track'],
  rail: ['track'],
};

/** Idioms whose words say nothing apart: "what's it gonna run me" asks the cost, "do I have to be there" whether to be home. */
const IDIOMS: [RegExp, string][] = [
  [
    /\b(?:run|set)\s+(?:me|us|you)\s+back\b|\brun\s+(?:me|us)\b|\bwhat\s+(?:does|do|would|will)\s+(?:that|it|this|one|they|those)\s+run\b|\bwhat'?s\s+the\s+damage\b/gi,
    'cost',
  ],
  // "what does it cost just to talk to someone", "a first meeting with one of your lawyers" ask about the consultation.
  [
    /\b(?:talk|speak|sit\s+down)\s+(?:to|with)\s+(?:someone|somebody|(?:a|an|one\s+of\s+your)\s+(?:lawyer|attorney|accountant|advisor|adviser|specialist|doctor)s?)\b|\b(?:first|initial|intro)\s+(?:meeting|chat|call|visit)\b/gi,
    'consultation',
  ],
  // "is that enough notice", "how far in advance", "lead time" ask how far ahead to book.
  [/\benough\s+(?:notice|lead\s+time)\b|\bhow\s+far\s+(?:ahead|in\s+advance)\b|\blead\s+time\b/gi, 'ahead advance'],
  // "my daughter turns 17", "he's 16", "a minor" ask the age limit.
  [/\bturns?\s+\d{1,2}\b|\b(?:is|he'?s|she'?s|i'?m)\s+(?:only\s+)?1\d\b|\bminors?\b|\bunder\s*age\b/gi, 'age'],
  [/\b(?:have|need)\s+to\s+be\s+(?:there|present|around)\b/gi, 'need to be home'],
  // "you don't charge for the estimate, right?" asks whether it is free.
  [/\b(?:don'?t|do\s+not|doesn'?t|does\s+not|no)\s+(?:\w+\s+)?(?:charge|cost|fee)\b/gi, 'free'],
  // "when can I get in to my unit" asks about access.
  [/\bget\s+in(?:to|\s+to)?\b/gi, 'access'],
  // "is Thursday morning free?", "are you free Monday", "free on the 12th?" ask whether a time is open, not whether something costs nothing.
  [
    /\b(?:are|r)\s+(?:you|u|y'?all)(?:\s+guys)?\s+free\b|\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|tomorrow|today|tonight|morning|afternoon|evening|weekend|[ap]\.?m\.?)\s+(?:\w+\s+)?free\b|\bfree\s+(?:on|this|next|tomorrow|today|tonight)\b/gi,
    'availability',
  ],
  // "do I have to put money down to hold the spot" asks about a deposit.
  [
    /\b(?:money|cash|something|anything)\s+down\b|\bdown\s+payment\b|\bup\s*front\b|\bhold\s+(?:the|my|a|our)\s+(?:spot|slot|date|booking|appointment)\b|\bretainer\b/gi,
    'deposit',
  ],
  // "is he too young", "how old do you have to be" ask the age limit.
  [/\btoo\s+(?:young|old)\b|\bhow\s+old\b|\bage\s+limit\b/gi, 'age'],
  // "can my mom tag along" asks how many guests may come.
  [/\btag\s+along\b|\bcome\s+(?:along|with\s+me)\b/gi, 'bring guest'],
  // "do I need my doctor to send me over" asks whether a referral is needed; "should we hold off" whether to wait.
  [
    /\b(?:send|refer)\s+(?:me|us|him|her)\s+(?:over|in|to\s+you)\b|\b(?:doctor|dr|gp|physician)\s+(?:\w+\s+){0,3}?(?:send|refer|write)\s+(?:(?:you|u|me|us)\s+)?(?:something|anything|a\s+note|a\s+letter|paperwork|over)\b/gi,
    'referral',
  ],
  // "pay out of pocket and send the receipt to my work plan" asks whether they bill the insurer directly.
  [
    /\bout\s+of\s+pocket\b|\b(?:send|submit)\s+(?:the|my|a)\s+receipts?\b|\bclaim\s+it\s+back\b|\b(?:work|benefits?|health)\s+plan\b/gi,
    'insurance bill',
  ],
  // "can those go too?" asks whether they take it away; "what if your guys break something" whether they are insured.
  [/\bcan\s+(?:those|these|they|it|that|this)\s+go\b/gi, 'take'],
  [/\b(?:break|breaks|broke|damage|damages|scratch|scratches)\s+(?:something|anything|stuff|it)\b/gi, 'insured'],
  // "do I have to deal with the city and the power company" asks who handles permits.
  [
    /\b(?:deal\s+with|handle|talk\s+to)\s+the\s+(?:city|county|council|town|utility|power\s+company|electric\s+company|hoa)\b/gi,
    'permit',
  ],
  [/\bhold\s+off\b/gi, 'wait'],
  // "I've never done this before", "total newbie", "first time" ask whether there is something for beginners.
  [
    /\bnever\s+(?:done|tried|been\s+to|taken|had)\b|\bfirst\s+(?:time|timer)\b|\bnew\s+to\s+(?:this|it)\b|\b(?:newbie|novice|beginners?)\b/gi,
    'beginner',
  ],
  // "do you charge to come look at it", "am I out money just for him showing up" ask about the visit's fee or a free estimate.
  [
    /\b(?:charge|cost|pay|fee|money)(?:\s+[\w']+){0,6}?\s+(?:come\s+(?:out|by|over|look)|show(?:ing)?\s+up|coming\s+(?:out|by|over))\b/gi,
    'visit fee estimate',
  ],
  // "the gas company kicks back some cash", "any cash back" ask about rebates; "my money back" about refunds.
  [/\bkick(?:s|ed|ing)?\s+back\b|\bcash\s*back\b/gi, 'rebate'],
  [/\bmoney\s+back\b/gi, 'refund'],
  // "anything on top of what the trip costs" asks about an extra fee.
  [/\b(?:anything|something|extra|more)\s+on\s+top\b/gi, 'extra fee'],
  // "does the city need to sign off on this job" asks about permits.
  [/\b(?:city|county|council|town|inspector)\s+(?:\w+\s+){0,3}?sign\s+off\b/gi, 'permit'],
  // A customer names their insurer where the FAQ says "insurance": "State Farm is sending their guy out".
  [
    /\b(?:state\s+farm|allstate|geico|progressive|usaa|liberty\s+mutual|farmers|nationwide|travelers|american\s+family|erie|chubb|the\s+hartford|aetna|cigna|humana|kaiser|blue\s+(?:cross|shield)|bcbs|united\s*healthcare|anthem|delta\s+dental|metlife|guardian|sun\s+life|manulife|canada\s+life|green\s+shield|desjardins|intact|aviva|bupa|medibank|nib|hcf|axa|allianz|zurich|adjuster|adjustor)\b/gi,
    'insurance',
  ],
  // "how fast do i get the pics back" asks when it is ready.
  [/\bhow\s+(?:fast|quick(?:ly)?)\b/gi, 'how long take ready'],
  // "how many days would you keep it" asks how long the work takes.
  [/\bhow\s+many\s+(?:days|weeks|hours)\b|\bhow\s+soon\b/gi, 'how long take'],
];

/** Lower-case, drop stop words, and fold plurals, -ing, -ed and a final e onto one stem ("price", "pricing"). */
export function normaliseTerm(term: string): string | null {
  let word = term
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/[^a-z0-9]/g, '');
  if (word.length < 2 || STOPWORDS.has(word)) return null;
  if (word.length > 5 && word.endsWith('ing')) word = word.slice(0, -3);
  // "guaranteed" keeps the stem of "guarantee", as "agreed" keeps that of "agree".
  else if (word.length > 5 && word.endsWith('eed')) word = word.slice(0, -1);
  else if (word.length > 5 && word.endsWith('ed')) word = word.slice(0, -2);
  else if (word.length > 4 && word.endsWith('ies')) word = `${word.slice(0, -3)}y`;
  else if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
  if (word.length > 4 && word.endsWith('e')) word = word.slice(0, -1);
  return word;
}

/** The expansions by stem as well, so "grooves" finds what "groove" stands for. */
const expansionsOfTerm = new Map(
  Object.entries(EXPANSIONS).flatMap(([word, synonyms]) => {
    const term = normaliseTerm(word);
    return term ? [[term, synonyms] as const] : [];
  }),
);

/** A content word of a question with the terms that may stand for it; `idiom` when an idiom's meaning put it there. */
interface TermGroup {
  word: string;
  terms: string[];
  idiom: boolean;
}

/** The question's content words, each with the terms that may stand for it. */
function questionTerms(text: string): TermGroup[] {
  const groups = new Map<string, TermGroup>();
  const fromIdioms = new Set<string>();
  const plain = IDIOMS.reduce(
    (said, [idiom, meaning]) =>
      said.replace(idiom, () => {
        for (const word of meaning.split(' ')) fromIdioms.add(word);
        return meaning;
      }),
    text.toLowerCase(),
  );
  for (const raw of plain.split(/[^\p{L}\p{N}'’]+/u)) {
    const term = normaliseTerm(raw);
    if (!term || groups.has(term)) continue;
    const synonyms = [...(EXPANSIONS[raw] ?? []), ...(expansionsOfTerm.get(term) ?? [])].flatMap(
      (w) => normaliseTerm(w) ?? [],
    );
    groups.set(term, { word: raw, terms: [...new Set([term, ...synonyms])], idiom: fromIdioms.has(raw) });
  }
  return [...groups.values()];
}

/**
 * A word the knowledge base never uses may name a thing whose kind it does: "a violin" where the FAQ
 * says "instrument". A word the expansions above already widen is left to them: they are chosen by hand.
 */
function withRelated(group: TermGroup, vocabulary: ReadonlySet<string>): TermGroup {
  if (group.terms.length > 1 || group.terms.some((term) => vocabulary.has(term))) return group;
  const related = relatedWords(group.word).flatMap((word) => normaliseTerm(word) ?? []);
  const known = related.filter((term) => vocabulary.has(term));
  return known.length > 0 ? { ...group, terms: [...new Set([...group.terms, ...known])] } : group;
}

/** Cuts a document into passages at paragraph, then sentence boundaries. */
export function chunk(text: string, limit = PASSAGE_CHARS): string[] {
  const pieces = text
    .split(/\n\s*\n/)
    .flatMap((paragraph) =>
      paragraph.length <= limit ? [paragraph] : (paragraph.match(/[^.!?]+[.!?]*\s*/g) ?? [paragraph]),
    )
    .map((p) => p.trim())
    .filter(Boolean);
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && current.length + piece.length + 1 > limit) {
      passages.push(current);
      current = piece;
    } else {
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) passages.push(current);
  return passages;
}

/** FAQ entries stay whole; documents longer than a passage are chunked. */
export function passagesOf(entries: readonly KnowledgeEntry[]): Passage[] {
  return entries.flatMap((entry) => {
    // A document that opens with its own heading reads better without it in every answer.
    const content = entry.content.trim().replace(/^[^\n.!?]{1,80}\n\s*\n/, '');
    const parts = content.length <= PASSAGE_CHARS ? [content] : chunk(content);
    return parts.map((text, i) => ({
      id: parts.length === 1 ? entry.id : `${entry.id}#${i + 1}`,
      entryId: entry.id,
      title: entry.title,
      text,
    }));
  });
}

function build(entries: readonly KnowledgeEntry[]): KnowledgeIndex {
  const passages = passagesOf(entries);
  const search = new MiniSearch<Passage>({
    fields: ['title', 'text', 'tags'],
    storeFields: ['id'],
    extractField: (doc, field) =>
      field === 'tags'
        ? (entries.find((e) => e.id === doc.entryId)?.tags ?? []).join(' ')
        : String(doc[field as keyof Passage]),
    processTerm: (term) => normaliseTerm(term),
    // A typo is forgiven in words of five letters or more: in shorter ones one letter makes another word ("mine", "fine").
    searchOptions: {
      boost: { title: 1.5, tags: 1.5 },
      fuzzy: (term) => (term.length >= 5 ? 0.15 : false),
      prefix: (term) => term.length > 4,
    },
  });
  search.addAll(passages);
  const byId = new Map(passages.map((p) => [p.id, p]));
  const vocabulary = new Set(
    passages.flatMap((p) => `${p.title} ${p.text}`.split(/[^\p{L}\p{N}'’]+/u).flatMap((w) => normaliseTerm(w) ?? [])),
  );
  return {
    size: passages.length,
    answer(question, topic, lenient = false) {
      const words = questionTerms(question).map((group) => withRelated(group, vocabulary));
      if (words.length === 0 || passages.length === 0) return null;
      // A topic's own words only: its synonyms would outweigh the question's ("much" for a price topic).
      const topicTerms = topic ? [...new Set(questionTerms(topic).map((group) => group.terms[0]!))] : [];
      const query = [...new Set([...words.flatMap((group) => group.terms), ...topicTerms])];
      const weight = words.reduce(
        (sum, group) => sum + (group.terms.some((term) => vocabulary.has(term)) ? wordsOf(group) : UNKNOWN_WORD_WEIGHT),
        0,
      );
      const answers = (result: SearchResult): boolean => {
        const matched = new Set(result.queryTerms);
        // A matched topic counts as one more shared word: it can tip a match, never make one alone or count against it.
        const topicShared = topicTerms.some((term) => matched.has(term)) ? 1 : 0;
        const shared =
          words.reduce((sum, group) => sum + (group.terms.some((term) => matched.has(term)) ? wordsOf(group) : 0), 0) +
          topicShared;
        if (shared === topicShared) return false;
        const coverage = shared / (weight + topicShared);
        const strong = lenient && result.score >= LENIENT_SCORE && coverage >= LENIENT_COVERAGE;
        return strong || coverage >= MIN_COVERAGE || (shared >= MIN_SHARED_WORDS && coverage >= MIN_SHARED_COVERAGE);
      };
      // A passage that matched the topic alone, or too little of the question, is passed over for one that shares enough.
      // An idiom's meaning weighs as the words it stands for in the ranking too ("talk to someone" is the consultation).
      const idiomTerms = new Set(words.filter((group) => group.idiom).flatMap((group) => group.terms));
      const best = search
        .search(query.join(' '), {
          combineWith: 'OR',
          processTerm: (term) => term,
          boostTerm: (term) => (idiomTerms.has(term) ? IDIOM_WORDS : 1),
        })
        .slice(0, CANDIDATES)
        .find((result) => result.score >= MIN_SCORE && answers(result));
      const passage = best ? byId.get(String(best.id)) : undefined;
      return best && passage ? { passage, score: best.score } : null;
    },
  };
}

const indexes = new Map<string, KnowledgeIndex>();

/** The index for a knowledge base, cached by a hash of its content so a tenant's edit rebuilds it. */
export function knowledgeIndex(entries: readonly KnowledgeEntry[]): KnowledgeIndex {
  const key = createHash('sha256').update(JSON.stringify(entries)).digest('hex');
  const cached = indexes.get(key);
  if (cached) return cached;
  const index = build(entries);
  if (indexes.size >= CACHE_LIMIT) indexes.delete(indexes.keys().next().value ?? '');
  indexes.set(key, index);
  return index;
}
