import type { AnalysisResult } from '../analysis.schema.js';
import { intentInfo } from '../nlu/intents.js';
import {
  asksAvailability,
  asksInWords,
  asksIfBot,
  CONVERSATIONAL_INTENTS,
  goalFor,
  isChatRequest,
  isQuestion,
  mayAskForPerson,
  opensWithQuestion,
  questionClause,
  questionsIn,
  recogniseAct,
  requestsBooking,
  saysChatFails,
  type DialogAct,
  type Goal,
} from './acts.js';
import {
  COLLECT_FIELDS,
  type CollectField,
  type ConversationState,
  type DialogAction,
  type DialogConfig,
  type DialogTurnInput,
  type HandoffBriefing,
  type KnowledgeEntry,
  type QuickReply,
  type RequestedSlot,
} from './dialog.js';
import { isOpen } from './business-hours.js';
import { ANNOYED, briefing, LOW_CONFIDENCE_LIMIT, matchesTrigger, STRONG_NEGATIVE } from './handoff.js';
import { knowledgeIndex, type KnowledgeIndex, type Passage } from './knowledge.js';
import {
  afterCompletion,
  changeChoices,
  CHANGE_PAYLOAD,
  forSlot,
  menu,
  offerPerson,
  PAYLOADS,
  SERVICE_PAYLOAD,
  yesNo,
} from './quick-replies.js';
import { readMessage, type MessageReading } from './reading.js';
import * as say from './replies.js';
import { keepTimeOfDay, requestedSlot, retimedSlot } from './requested-slot.js';
import { aboutTheBusiness, asksAboutTheWorld, isPitch } from './scope.js';
import {
  CONTACT,
  looksLikeAttempt,
  matchService,
  nextSlot,
  questionFor,
  readAnswer,
  readName,
  volunteered,
  type Slot,
} from './slots.js';
import { endangersLife, reportsEmergency, statesTenantEmergency } from './urgency.js';

/**
 * The turn policy: from the configuration, the state and the engine's analysis of one message,
 * what to say, what to remember and what the conversation service should do.
 */

export interface Draft {
  reply: string;
  quickReplies: QuickReply[];
  state: ConversationState;
  actions: DialogAction[];
  /** Knowledge the reply rests on, handed to the phrasing hook. */
  knowledge: KnowledgeEntry[];
}

/** `next_expected_input` values besides the fields themselves. */
export const EXPECT = {
  followUp: 'follow_up_question',
  confirmation: 'confirmation',
  change: 'field_to_change',
  handoffOffer: 'handoff_offer',
  anythingElse: 'anything_else',
} as const;

const SLOTS: readonly string[] = [...COLLECT_FIELDS, CONTACT];

interface Turn {
  cfg: DialogConfig;
  input: DialogTurnInput;
  analysis: AnalysisResult;
  text: string;
  act: DialogAct | null;
  goal: Goal;
  state: ConversationState;
}

/** A branch's outcome before the shared bookkeeping (low-confidence count, handoff on repeat). */
interface Outcome {
  reply: string;
  quickReplies: QuickReply[];
  actions?: DialogAction[];
  knowledge?: KnowledgeEntry[];
  /** False when the dialog could not tell what the customer meant. */
  understood: boolean;
}

const ENTITY_KEYS = [
  'emails',
  'phones',
  'dates',
  'person_name',
  'address',
  'project_type',
  'timeline',
  'budget_range',
  'money',
  'team_size',
  'square_footage',
] as const;

/** The conversation's entities so far: lists merged, single values replaced by the latest. */
function mergeEntities(into: Record<string, unknown>, analysis: AnalysisResult): Record<string, unknown> {
  const merged = { ...into };
  for (const key of ENTITY_KEYS) {
    const value = analysis.entities[key];
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    merged[key] = Array.isArray(value)
      ? [...new Set([...(Array.isArray(merged[key]) ? (merged[key] as unknown[]) : []), ...value])]
      : value;
  }
  return merged;
}

function declinedOf(state: ConversationState): CollectField[] {
  const list = state.entities.declined;
  return Array.isArray(list)
    ? list.filter((f): f is CollectField => (COLLECT_FIELDS as readonly unknown[]).includes(f))
    : [];
}

/** Applies values the message volunteers; returns the fields whose value changed. */
function applyVolunteered(t: Turn, overwrite: boolean): CollectField[] {
  const changed: CollectField[] = [];
  for (const [field, value] of Object.entries(volunteered(t.analysis, t.cfg)) as [CollectField, string][]) {
    if (!t.cfg.collectFields.includes(field)) continue;
    const current = t.state.collected[field];
    if (current === value || (current && !overwrite)) continue;
    t.state.collected[field] = value;
    changed.push(field);
  }
  return changed;
}

/** A new way to reach the customer, a new address or a new time replaces the old one: the latest is the one meant. */
const REPLACEABLE: ReadonlySet<CollectField> = new Set(['phone', 'email', 'address', 'preferred_time']);

function setTime(t: Turn, value: string, slot: RequestedSlot | null): void {
  const held = (t.state.entities.requested_slot as RequestedSlot | null | undefined) ?? null;
  const next = slot ?? requestedSlot(value, t.input.now, t.cfg.timezone);
  t.state.collected.preferred_time = value;
  t.state.entities.requested_slot = next ? keepTimeOfDay(next, held, t.cfg.timezone) : next;
}

/**
 * Applies every detail a message gives: empty fields are filled; a filled one is replaced when
 * the customer corrects it, answers its question again, or gives a new phone, e-mail, address or
 * time. An e-mail is kept even when the tenant asks only for a phone, if the customer declined that.
 */
function applyReading(t: Turn, reading: MessageReading, pending: Slot | null): CollectField[] {
  const changed: CollectField[] = [];
  const declined = declinedOf(t.state);
  for (const [field, value] of Object.entries(reading.fields) as [CollectField, string][]) {
    if (!t.cfg.collectFields.includes(field) && !(field === 'email' && declined.includes('phone'))) continue;
    const current = t.state.collected[field];
    if (current === value) continue;
    const asked = field === pending || (pending === CONTACT && (field === 'phone' || field === 'email'));
    if (current && !reading.correcting && !asked && !REPLACEABLE.has(field)) continue;
    if (field === 'preferred_time') setTime(t, value, reading.slot);
    else if (field === 'name' && current) t.state.collected.name = correctedName(current, value);
    else t.state.collected[field] = value;
    changed.push(field);
  }
  return changed;
}

/** "Catherine Dubois", then "sorry, it's Katherine with a K": a first name alone corrects the first name. */
function correctedName(current: string, given: string): string {
  const [first, ...rest] = current.split(/\s+/);
  return !given.includes(' ') && rest.length > 0 && first !== given ? [given, ...rest].join(' ') : given;
}

function readTurn(t: Turn, pending: Slot | null): MessageReading {
  return readMessage(t.text, t.analysis, t.cfg, t.input.now, pending);
}

function knowledgeEntry(id: string, title: string, content: string): KnowledgeEntry {
  return { id, title, content };
}

// Days in the plural ("do you work saturdays") ask about a habit of the business, not for a slot.
const HOURS_WORDS =
  /\b(?:hours?|open|opening|close|closing|closed|weekends|(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b/i;
const LOCATION_WORDS =
  /\b(?:where\s+are\s+you|located|location|address|directions|find\s+you|where\s+is\s+(?:the|your)\s+(?:office|shop|store|showroom))\b/i;

/** Words an engine intent adds to a knowledge search: a customer asking after an order means shipping and tracking. */
const INTENT_TOPICS: Record<string, string> = {
  order_status: 'order shipping tracking delivery',
  damaged_product: 'damaged broken replacement refund',
  billing_issue: 'billing charge refund invoice',
  cancel_service: 'cancel cancellation',
  cancel_appointment: 'cancel reschedule appointment',
  technical_support: 'help troubleshooting support',
  business_hours: 'hours open',
  location: 'location address',
  pricing_inquiry: 'price pricing cost',
};

const SHORT_REQUEST_WORDS = 4;

/** An answer from the knowledge base, or the built-in one for hours and location. */
/**
 * `wholeMessage`: the rest of the message may lend the question its topic. Not when the rest describes
 * a job ("I want a new cedar fence … You can come to make estimate?"): a job shares words with any answer.
 */
function answerQuestion(
  t: Turn,
  lenient = false,
  wholeMessage = true,
  about?: string,
): { reply: string; knowledge: KnowledgeEntry[] } | null {
  const { cfg, text, analysis, input } = t;
  const question = isQuestion(text);
  const saysHours = input.payload === PAYLOADS.hours || (question && HOURS_WORDS.test(text));
  const saysLocation = input.payload === PAYLOADS.location || (question && LOCATION_WORDS.test(text));
  // In "Do you offer financing? We're redoing the kitchen" the question is the sentence with the question mark;
  // without one, the sentence put as a question ("saturday AM if possible. do you guys charge by the item").
  const sentences = text.split(/(?<=[.!?])/);
  const marked = sentences.filter((sentence) => sentence.endsWith('?'));
  const worded = sentences.filter((sentence) => isQuestion(sentence.trim()) || asksInWords(sentence));
  const questions = marked.length > 0 ? marked : worded.length < sentences.length ? worded : [];
  const asked = questionClause(questions.length > 0 ? questions.join(' ') : text);
  const query =
    input.payload === PAYLOADS.hours
      ? 'opening hours'
      : input.payload === PAYLOADS.location
        ? 'where are you located address'
        : asked;
  // The job named beside the question is what "what does that run?" asks about, when the question points back to it.
  const pointsBack = about !== undefined && /\b(?:that|it|this|one|them|those|they)\b/i.test(asked);
  const topic =
    [t.goal === 'unknown' ? undefined : INTENT_TOPICS[analysis.intent], pointsBack ? about : undefined]
      .filter(Boolean)
      .join(' ') || undefined;
  const index = knowledgeIndex(cfg.knowledge);
  if (!input.payload) {
    const several = severalAnswers(index, text, topic);
    if (several) return several;
  }
  // The clause that asks may lean on the one before it for its topic: "my uncle does catering, could we use him?"
  // When the whole message points to another answer more strongly, its context wins: "we don't have a violin yet,
  // do we have to buy one before lesson one?" asks about owning the violin, not the lessons' price.
  const clauseHit = index.answer(query, topic, lenient);
  const wholeHit = query === text || input.payload || !wholeMessage ? null : index.answer(text, topic, lenient);
  const hit = clauseHit && wholeHit && wholeHit.score > clauseHit.score ? wholeHit : (clauseHit ?? wholeHit);
  // "When are you open?" is answered from the knowledge base only by a passage about hours.
  const onTopic = (pattern: RegExp) => hit !== null && pattern.test(`${hit.passage.title} ${hit.passage.text}`);
  const offTopic =
    (saysHours && !onTopic(HOURS_WORDS)) ||
    (saysLocation && !onTopic(/\b(?:address|located|location|find us|street|suite|office|serve|area)\b/i));
  if (hit && !offTopic)
    return {
      reply: hit.passage.text,
      knowledge: [knowledgeEntry(hit.passage.id, hit.passage.title, hit.passage.text)],
    };
  // The intent alone asks for hours or the address only in a question or a short request ("address pls"):
  // "we're getting married in La Jolla" names a place without asking where we are.
  const asking = question || text.split(/\s+/).length <= SHORT_REQUEST_WORDS;
  if (saysHours || (t.goal === 'knowledge' && asking && analysis.intent === 'business_hours')) {
    const reply = say.hoursAnswer(cfg, input.now);
    return { reply, knowledge: [knowledgeEntry('builtin:hours', 'Opening hours', reply)] };
  }
  if (saysLocation || (t.goal === 'knowledge' && asking && analysis.intent === 'location')) {
    const reply = say.locationAnswer(cfg);
    return { reply, knowledge: cfg.address ? [knowledgeEntry('builtin:location', 'Location', reply)] : [] };
  }
  return null;
}

/** Each of two or more questions in one message answered in turn, when they have different answers. */
function severalAnswers(
  index: KnowledgeIndex,
  text: string,
  topic: string | undefined,
): { reply: string; knowledge: KnowledgeEntry[] } | null {
  const parts = questionsIn(text);
  if (parts.length < 2) return null;
  const passages = new Map<string, Passage>();
  for (const part of parts) {
    const hit = index.answer(questionClause(part), topic);
    if (hit) passages.set(hit.passage.id, hit.passage);
  }
  if (passages.size < 2) return null;
  const found = [...passages.values()];
  return {
    reply: found.map((p) => p.text).join(' '),
    knowledge: found.map((p) => knowledgeEntry(p.id, p.title, p.text)),
  };
}

function ask(t: Turn, slot: Slot, prefix = ''): Outcome {
  t.state.conversation_stage = 'collecting';
  t.state.next_expected_input = slot;
  return { reply: `${prefix}${questionFor(slot)}`, quickReplies: forSlot(slot, t.cfg.services), understood: true };
}

function confirm(t: Turn, prefix = ''): Outcome {
  t.state.conversation_stage = 'confirming';
  t.state.next_expected_input = EXPECT.confirmation;
  return { reply: `${prefix}${say.summary(t.state)}`, quickReplies: yesNo(), understood: true };
}

/** Asks for the next missing field, or moves to confirmation when none is missing. */
function advance(t: Turn, prefix = ''): Outcome {
  const slot = nextSlot(t.cfg.collectFields, t.state.collected, declinedOf(t.state));
  return slot ? ask(t, slot, prefix) : confirm(t, prefix);
}

function complete(t: Turn): Outcome {
  const fields = { ...t.state.collected };
  const actions: DialogAction[] = [{ type: 'create_lead', fields, intent: t.state.current_intent }];
  if (fields.preferred_time) {
    const stored = t.state.entities.requested_slot as RequestedSlot | null | undefined;
    const slot = stored ?? requestedSlot(fields.preferred_time, t.input.now, t.cfg.timezone);
    actions.push({
      type: 'request_appointment',
      fields,
      preferredTime: fields.preferred_time,
      ...(slot ? { slot } : {}),
    });
  }
  t.state.conversation_stage = 'completed';
  t.state.next_expected_input = EXPECT.anythingElse;
  return {
    reply: say.completed(t.cfg, t.state, t.input.now),
    quickReplies: afterCompletion(),
    actions,
    understood: true,
  };
}

function handOff(t: Turn, reason: HandoffBriefing['reason']): Outcome {
  applyReading(t, readTurn(t, null), null);
  t.state.conversation_stage = 'handed_off';
  t.state.next_expected_input = null;
  return {
    reply: say.handoff(t.cfg, reason, t.state, t.input.now, reason === 'emergency' && endangersLife(t.text)),
    quickReplies: [],
    actions: [{ type: 'handoff', briefing: briefing(reason, t.state, t.analysis, t.text) }],
    understood: true,
  };
}

/** Words that aim a complaint at the business: its people, its service, being ignored, writing again. */
const AIMED_AT_US =
  /\b(?:you|your|yours|u|ur|y'?all|nobody|no\s+one|service|staff|again|(?:second|third|fourth|fifth)\s+time|unacceptable|ridiculous)\b/i;

/** The business letting the customer down: nobody calls back, voicemail every time, still waiting. */
const LET_DOWN =
  /\b(?:nobody|no\s+one)\s+(?:ever\s+)?(?:calls?|called|answers?|answered|gets?\s+back|got\s+back|responds?|responded|replied)\b|\b(?:voicemail|no\s+response|no\s+reply|still\s+waiting|been\s+waiting|never\s+(?:called|heard|got\s+back)|ignored)\b/i;

/**
 * Why this message should go to a person straight away, if it should. While the customer is
 * answering a question the engine's intent is noise ("you can reach me at…" reads as a request
 * for a person), so only their own words count then.
 */
function handoffReason(t: Turn, confident: boolean, answering: boolean): HandoffBriefing['reason'] | null {
  const intentCounts = confident && !answering;
  if (t.act === 'human' || (intentCounts && t.analysis.intent === 'human_agent' && mayAskForPerson(t.text)))
    return 'requested';
  if (t.state.next_expected_input === EXPECT.handoffOffer && t.act === 'affirm') return 'requested';
  if (saysChatFails(t.text)) return 'low_confidence';
  if (
    matchesTrigger(t.cfg.escalationTrigger, t.text) ||
    (intentCounts && t.cfg.escalationTrigger === t.analysis.intent)
  )
    return 'escalation_trigger';
  // "my bad, wrong number, use …" reads as negative, but a customer fixing a detail is not upset.
  const fixing = () => {
    const reading = readTurn(t, null);
    return reading.correcting && Object.keys(reading.fields).length > 0;
  };
  // "waiting weeks for a cheque is the worst" beside a question the knowledge answers is venting, not anger at us.
  const answerable = () => isQuestion(t.text) && answerQuestion(t) !== null;
  // "our pump is making a horrible grinding noise" is the job, told strongly; anger is aimed at us ("your crew", "nobody calls back").
  const tellsTheJob = () =>
    !AIMED_AT_US.test(t.text) &&
    (volunteered(t.analysis, t.cfg).service !== undefined || intentInfo(t.analysis.intent).kind === 'project');
  const upset =
    t.analysis.sentiment_score <= STRONG_NEGATIVE || (t.analysis.sentiment_score <= ANNOYED && LET_DOWN.test(t.text));
  if (upset && !fixing() && !answerable() && !tellsTheJob()) return 'negative_sentiment';
  return null;
}

function startCollecting(t: Turn): Outcome {
  const named = volunteered(t.analysis, t.cfg).service;
  const answer =
    isQuestion(t.text) || asksInWords(t.text) ? answerQuestion(t, false, named === undefined, named) : null;
  // "How much is the Growth plan?" wants an answer, not a form; a named service means they want the job done.
  // "… or can I just book?" asks for the booking beside the question: both are done.
  if (answer && !named && t.input.payload !== PAYLOADS.quote && !requestsBooking(t.text)) return informed(t, answer);
  applyReading(t, { ...readTurn(t, null), correcting: true }, null);
  // The request names the service in its own words ("can you bathe him" for "Bath & brush") when no keyword did.
  const worded = t.cfg.collectFields.includes('service') ? matchService(t.text, t.cfg.services) : null;
  if (!t.state.collected.service && worded) t.state.collected.service = worded;
  const service = t.state.collected.service;
  const intent = t.state.current_intent;
  // A tenant with a catalogue is named only a kind of job it sells: "home inspection" read as electrical work is not.
  const sold = intent !== null && (t.cfg.services.length === 0 || t.cfg.serviceAliases?.[intent] !== undefined);
  const topic = service
    ? inSentence(service)
    : sold && intentInfo(intent).kind === 'project'
      ? intentInfo(intent).label
      : null;
  const lead = answer
    ? `${answer.reply} `
    : topic
      ? `I'd be glad to help with your ${topic}. `
      : "I'd be glad to help with that. ";
  return { ...advance(t, lead), knowledge: answer?.knowledge ?? [] };
}

function informed(t: Turn, answer: { reply: string; knowledge: KnowledgeEntry[] }): Outcome {
  t.state.conversation_stage = 'information_provided';
  t.state.next_expected_input = EXPECT.followUp;
  return {
    reply: `${answer.reply} Is there anything else you'd like to know?`,
    quickReplies: menu(),
    knowledge: answer.knowledge,
    understood: true,
  };
}

function supportPath(t: Turn): Outcome {
  const answer = answerQuestion(t);
  t.state.conversation_stage = 'discovery';
  t.state.next_expected_input = EXPECT.handoffOffer;
  const reply = answer
    ? `${answer.reply} If that doesn't sort it out, I can put you through to a person.`
    : `I'm sorry to hear that. I can pass this to our team so a person can look into it — would you like that?`;
  return { reply, quickReplies: offerPerson(), knowledge: answer?.knowledge ?? [], understood: true };
}

const FIELD_WORDS: [CollectField, RegExp][] = [
  ['email', /\be-?mail\b/i],
  ['phone', /\b(?:phone|number|cell|mobile)\b/i],
  ['name', /\bname\b/i],
  ['address', /\b(?:address|street|location)\b/i],
  ['service', /\b(?:service|job|project)\b/i],
  ['preferred_time', /\b(?:time|day|date|when|appointment|morning|afternoon|evening)\b/i],
];

function onConfirmation(t: Turn): Outcome {
  // A question at the summary ("are you open Saturday?") is answered before anything in it counts as a change.
  const asked = isQuestion(t.text) ? answerQuestion(t) : null;
  if (asked) return { ...confirm(t, `${asked.reply} `), knowledge: asked.knowledge };
  // At the summary, any detail given is a change to it.
  const changed = applyReading(t, { ...readTurn(t, null), correcting: true }, null);
  if (changed.length > 0 || retime(t)) return confirm(t, 'Updated. ');
  if (t.act === 'affirm') return complete(t);
  if (t.act === 'deny') {
    t.state.next_expected_input = EXPECT.change;
    // "No, the phone number is wrong" names the field already.
    if (FIELD_WORDS.some(([, re]) => re.test(t.text))) return onChange(t);
    return {
      reply: 'No problem — what should I change?',
      quickReplies: changeChoices(Object.keys(t.state.collected) as CollectField[]),
      understood: true,
    };
  }
  const answer = answerQuestion(t);
  if (answer) return { ...confirm(t, `${answer.reply} `), knowledge: answer.knowledge };
  return { ...confirm(t), understood: false };
}

/** Moves the time already given to an hour named alone ("make it 11 instead"); whether it did. */
function retime(t: Turn): boolean {
  const held = t.state.entities.requested_slot as RequestedSlot | null | undefined;
  const slot = held ? retimedSlot(t.text, held, t.input.now, t.cfg.timezone) : null;
  if (slot) setTime(t, slot.text, slot);
  return slot !== null;
}

function onChange(t: Turn): Outcome {
  const changed = applyReading(t, { ...readTurn(t, null), correcting: true }, null);
  if (changed.length > 0 || retime(t)) return confirm(t, 'Updated. ');
  const payloadField = t.input.payload?.startsWith(CHANGE_PAYLOAD)
    ? t.input.payload.slice(CHANGE_PAYLOAD.length)
    : null;
  const field = (COLLECT_FIELDS as readonly string[]).includes(payloadField ?? '')
    ? (payloadField as CollectField)
    : FIELD_WORDS.find(([, re]) => re.test(t.text))?.[0];
  if (field && t.cfg.collectFields.includes(field)) {
    // A new time or a different catalogue service may come in the same breath ("make it Thursday morning instead").
    if (field === 'preferred_time' && !payloadField) {
      const reading = readAnswer('preferred_time', t.text, t.analysis, t.cfg);
      if (reading.ok === true) {
        setTime(t, reading.value, null);
        return confirm(t, 'Updated. ');
      }
    }
    if (field === 'service' && !payloadField) {
      const service = matchService(t.text, t.cfg.services);
      if (service && service !== t.state.collected.service) {
        t.state.collected.service = service;
        return confirm(t, 'Updated. ');
      }
    }
    delete t.state.collected[field];
    t.state.entities.declined = declinedOf(t.state).filter((f) => f !== field);
    return ask(t, field, 'Sure. ');
  }
  if (t.act === 'affirm') return confirm(t);
  return {
    reply: 'Which detail should I change?',
    quickReplies: changeChoices(Object.keys(t.state.collected) as CollectField[]),
    understood: false,
  };
}

function filled(t: Turn, slot: Slot): boolean {
  return slot === CONTACT
    ? Boolean(t.state.collected.phone ?? t.state.collected.email)
    : Boolean(t.state.collected[slot]);
}

/** A declined field is left out; a declined phone is offered the e-mail instead, once. */
function decline(t: Turn, slot: Slot): Outcome {
  const declined = declinedOf(t.state);
  t.state.entities.declined = [...declined, slot === CONTACT ? 'phone' : slot];
  if ((slot === CONTACT || slot === 'phone') && !t.state.collected.email && !declined.includes('email'))
    return ask(t, 'email', 'No problem — an e-mail address works just as well. ');
  return advance(t, 'No problem. ');
}

/** The pending question read the narrow way, for answers the message reading leaves (a catalogue name, "evenings"). */
function onPendingAnswer(t: Turn, slot: Slot, answerText: string, changed: CollectField[]): Outcome {
  const reading = readAnswer(slot, answerText, t.analysis, t.cfg);
  if (reading.ok === true) {
    if (reading.field === 'preferred_time') setTime(t, reading.value, null);
    else t.state.collected[reading.field] = reading.value;
    return advance(t, 'Thanks. ');
  }
  if (reading.ok === 'declined') return decline(t, slot);
  if (changed.length > 0) return advance(t, 'Thanks. ');
  if (t.act === 'greeting' || t.act === 'thanks' || t.act === 'affirm' || requestsBooking(t.text)) return ask(t, slot);
  // A question the knowledge base cannot answer is no failed answer: it stays in the transcript for the team.
  if (isQuestion(answerText) && (asksInWords(answerText) || !looksLikeAttempt(slot, answerText)))
    return ask(t, slot, `${say.unansweredQuestion()} `);
  return { ...ask(t, slot, `${reading.reason} `), understood: looksLikeAttempt(slot, t.text) };
}

function onSlot(t: Turn, slot: Slot): Outcome {
  const payload = t.input.payload;
  // "random q but who wins march madness?" mid-collection: nothing in it is for the lead, and the question stands.
  if (isQuestion(t.text) && asksAboutTheWorld(t.text, t.cfg))
    return ask(t, slot, `That one's outside what I can help with here, I'm afraid. `);
  if (payload?.startsWith(SERVICE_PAYLOAD)) return onPendingAnswer(t, slot, payload.slice(SERVICE_PAYLOAD.length), []);
  const reading = readTurn(t, slot);
  // A day inside a question ("are you open Saturday?") is no requested time unless the question asks
  // whether that time is free ("is Thursday morning free?"); nor are the numbers of a question that
  // opens the message ("how much for a 2500 sq ft house") an address.
  // A time put tentatively ("Saturday 8am?") proposes it as well.
  const proposesTime = slot === 'preferred_time' && (asksAvailability(t.text) || !asksInWords(t.text));
  const onlyInQuestion =
    (slot === 'preferred_time' && isQuestion(t.text) && !proposesTime) ||
    (slot === 'address' && opensWithQuestion(t.text));
  const answersIt =
    !onlyInQuestion &&
    (slot === CONTACT ? Boolean(reading.fields.phone ?? reading.fields.email) : Boolean(reading.fields[slot]));
  // "come october do you also drain the pipes?" names when it asks about, not when to come.
  if (slot !== 'preferred_time' && isQuestion(t.text) && asksInWords(t.text) && !asksAvailability(t.text))
    delete reading.fields.preferred_time;
  const nothingElse = Object.keys(reading.fields).length === 0;
  // A question mid-collection is answered, and the pending question asked again; so is one the
  // knowledge base answers though it is not put as a question, when it is no answer to what was asked.
  if (!answersIt && (isQuestion(t.text) || (nothingElse && readAnswer(slot, t.text, t.analysis, t.cfg).ok === false))) {
    const answer = answerQuestion(t, isQuestion(t.text));
    if (answer) return { ...ask(t, slot, `${answer.reply} `), knowledge: answer.knowledge };
  }
  const changed = applyReading(t, reading, slot);
  if (filled(t, slot)) {
    const thanks = reading.correcting ? 'Updated. ' : 'Thanks. ';
    // "Sam Lee. Do you charge for estimates?" answers what was asked and asks something: both are answered.
    const asked = answersIt && !proposesTime && t.text.includes('?') ? answerQuestion(t) : null;
    return asked ? { ...advance(t, `${thanks}${asked.reply} `), knowledge: asked.knowledge } : advance(t, thanks);
  }
  if (reading.refusing) return decline(t, slot);
  return onPendingAnswer(t, slot, t.text, changed);
}

const CHAT_INTENT_ACTS: Record<string, DialogAct> = {
  greeting: 'greeting',
  thanks: 'thanks',
  goodbye: 'goodbye',
  affirm: 'affirm',
  deny: 'deny',
};

/** The engine's reading of a conversational turn is trusted only for short messages; in a longer one "hey" is a preamble. */
const SHORT_MESSAGE_WORDS = 3;

function onOpenTurn(t: Turn): Outcome {
  const { cfg, input } = t;
  const pending = t.state.next_expected_input;
  if (input.payload === PAYLOADS.quote) return startCollecting(t);
  const outOfScope = notForUs(t);
  if (outOfScope) return closePolitely(t, outOfScope);
  if (t.goal === 'collect') return startCollecting(t);
  if (t.goal === 'support') return supportPath(t);
  const short = t.text.split(/\s+/).length <= SHORT_MESSAGE_WORDS;
  // In a longer message a leading "no" or "ok" is a preamble ("no hot water since this morning",
  // "ok great, can I book one for Monday"): what follows is what the customer wants.
  const ownAct = (t.act === 'deny' || t.act === 'affirm') && !short ? null : t.act;
  const act = ownAct ?? (t.goal === 'chat' && short ? (CHAT_INTENT_ACTS[t.analysis.intent] ?? null) : null);
  if (act === 'goodbye') {
    t.state.conversation_stage = 'closed';
    t.state.next_expected_input = null;
    return {
      reply: `Thanks for chatting with ${cfg.companyName}. Have a great day!`,
      quickReplies: [],
      understood: true,
    };
  }
  if (act === 'thanks') {
    t.state.next_expected_input = EXPECT.anythingElse;
    return { reply: "You're welcome! Is there anything else I can help with?", quickReplies: menu(), understood: true };
  }
  if (act === 'greeting') {
    t.state.conversation_stage = 'discovery';
    return { reply: 'Hi there! What can I help you with today?', quickReplies: menu(), understood: true };
  }
  const answer = answerQuestion(t);
  if (answer) return informed(t, answer);
  // Details given without a request ("Camila Souza", a phone number) start the lead they belong to.
  if (!act && Object.keys(readTurn(t, null).fields).some((f) => f !== 'service')) return startCollecting(t);
  // So does a name said alone, as after an answer ("Marcus Bell"), when it names nothing the business does.
  const name = NAME_ALONE.test(t.text) && !aboutTheBusiness(t.text, cfg) ? readName(t.text) : null;
  if (!act && name && cfg.collectFields.includes('name')) {
    t.state.collected.name = name;
    return startCollecting(t);
  }
  if (act === 'deny' || (act === 'affirm' && pending === EXPECT.anythingElse)) {
    t.state.next_expected_input = EXPECT.anythingElse;
    return { reply: 'No problem. Is there anything else I can help with?', quickReplies: menu(), understood: true };
  }
  if (act === 'affirm') return { reply: 'Great — what can I help you with?', quickReplies: menu(), understood: true };
  if (t.goal === 'junk' && t.analysis.intent === 'job_application') {
    return {
      reply: `Thanks for your interest in working with ${cfg.companyName}! I'll pass your message on to the team.`,
      quickReplies: menu(),
      understood: true,
    };
  }
  // Offered a person, the customer who goes on about the matter rather than saying no wants that person.
  if (pending === EXPECT.handoffOffer && !act) return handOff(t, 'requested');
  // A question about the business that nothing here answers ("what happened to my dog?") is for a person, not to be rephrased.
  // So is one asked without a question mark ("… the hospice nurse said to contact a funeral home, what do we do now").
  if ((isQuestion(t.text) || asksInWords(t.text)) && aboutTheBusiness(t.text, cfg))
    return proposePerson(t, "I don't have the answer to that here.");
  return { reply: cfg.fallbackResponse, quickReplies: menu(), understood: false };
}

/** Two or three capitalised words and nothing else: how people give their name. */
const NAME_ALONE = /^\p{Lu}\p{Ll}+(?:\s\p{Lu}[\p{Ll}'’-]+){1,2}[.!]?$/u;

function proposePerson(t: Turn, lead: string): Outcome {
  t.state.conversation_stage = 'discovery';
  t.state.next_expected_input = EXPECT.handoffOffer;
  // Out of hours, what cannot wait has the tenant's on-call line.
  const closed = !isOpen(t.cfg.businessHours, t.cfg.timezone, t.input.now);
  const onCall =
    closed && t.cfg.onCallPhone ? ` If it can't wait until we open, our on-call line is ${t.cfg.onCallPhone}.` : '';
  return {
    reply: `${lead} I can pass this to our team so a person can look into it — would you like that?${onCall}`,
    quickReplies: offerPerson(),
    understood: true,
  };
}

/**
 * Why a message is not for this business: a vendor's pitch or spam, or a question about
 * something else entirely that names nothing the business does.
 */
function notForUs(t: Turn): 'pitch' | 'off_topic' | null {
  if (isPitch(t.text) || (t.goal === 'junk' && t.analysis.intent === 'spam')) return 'pitch';
  if (isQuestion(t.text) && asksAboutTheWorld(t.text, t.cfg)) return 'off_topic';
  if (!(isQuestion(t.text) || isChatRequest(t.text)) || aboutTheBusiness(t.text, t.cfg) || answerQuestion(t))
    return null;
  // A day or time alone ("this weekend") says nothing about what is wanted.
  const details = Object.keys(readTurn(t, null).fields).filter((f) => f !== 'preferred_time');
  return details.length === 0 ? 'off_topic' : null;
}

/** Closes a conversation that is not for the business, kindly, without a lead or a person. */
function closePolitely(t: Turn, why: 'pitch' | 'off_topic'): Outcome {
  t.state.conversation_stage = 'closed';
  t.state.next_expected_input = null;
  const services = t.cfg.services.length > 0 ? ` (${t.cfg.services.join(', ')})` : '';
  const reply =
    why === 'pitch'
      ? `Thanks for reaching out, but this chat is for ${t.cfg.companyName} customers, so I'll close it here. Have a good day!`
      : `Sorry, I can only help with questions about ${t.cfg.companyName} and what we do${services}. Feel free to ask about those any time!`;
  return { reply, quickReplies: [], understood: true };
}

function onHandedOff(t: Turn): Outcome {
  const added = applyVolunteered(t, true);
  if (added.length > 0) return { reply: "Thanks — I've added that for the team.", quickReplies: [], understood: true };
  if (t.act === 'goodbye' || t.act === 'thanks')
    return { reply: "You're welcome. A member of our team will be in touch.", quickReplies: [], understood: true };
  return {
    reply: 'A member of our team has your conversation and will reply here.',
    quickReplies: [],
    understood: true,
  };
}

function route(t: Turn, confident: boolean): Outcome {
  if (t.state.conversation_stage === 'handed_off') return onHandedOff(t);
  const pendingSlot =
    t.state.conversation_stage === 'collecting' && SLOTS.includes(t.state.next_expected_input ?? '')
      ? (t.state.next_expected_input as Slot)
      : null;
  // A life in danger goes to a person at once. Closed, any harm happening now goes to a person and the
  // emergency number; open, the ordinary flow serves damage to property. The emergency path comes before
  // any other reason for a person: "it smells horrible" beside sewage on the floor is the emergency, told.
  if (
    endangersLife(t.text) ||
    (!isOpen(t.cfg.businessHours, t.cfg.timezone, t.input.now) &&
      (reportsEmergency(t.text) || statesTenantEmergency(t.text, t.cfg)))
  )
    return handOff(t, 'emergency');
  const answering = pendingSlot !== null && readAnswer(pendingSlot, t.text, t.analysis, t.cfg).ok !== false;
  const reason = handoffReason(t, confident, answering);
  if (reason) return handOff(t, reason);
  // Asked whether this is a machine, the assistant says so and leaves the way to a person open.
  if (asksIfBot(t.text)) {
    const who = `I'm the virtual assistant for ${t.cfg.companyName}.`;
    return pendingSlot
      ? ask(t, pendingSlot, `${who} If you'd rather talk to a person, just say so. `)
      : proposePerson(t, who);
  }
  const pending = t.state.next_expected_input;
  if (t.state.conversation_stage === 'confirming' && pending === EXPECT.confirmation) return onConfirmation(t);
  if (t.state.conversation_stage === 'confirming' && pending === EXPECT.change) return onChange(t);
  if (t.state.conversation_stage === 'collecting' && pending && SLOTS.includes(pending)) {
    // A quick-reply menu tapped mid-collection is a new request, not an answer.
    if (t.input.payload === PAYLOADS.hours || t.input.payload === PAYLOADS.location) return onOpenTurn(t);
    return onSlot(t, pending as Slot);
  }
  return onOpenTurn(t);
}

/** Decides one turn (everything except the phrasing hook). */
export function decide(cfg: DialogConfig, input: DialogTurnInput): Draft {
  const analysis = input.analysis;
  const text = input.text.trim();
  const confident = analysis.intent_confidence >= cfg.confidenceThreshold;
  // An unsure reading that names one of the tenant's own services is still a request for it.
  const namesService =
    analysis.entities.project_type !== null && cfg.serviceAliases?.[analysis.entities.project_type] !== undefined;
  const read = confident ? goalFor(analysis.intent) : 'unknown';
  // Naming a catalogue service is asking for it, whatever else the classifier heard ("hello, I need help with my green card").
  // So is asking to be booked in so many words ("perfect, I'd like to schedule one"), whatever the classifier read.
  const goal: Goal =
    (namesService && read !== 'knowledge' && (confident || read !== 'support') && read !== 'collect') ||
    (read !== 'support' && requestsBooking(text))
      ? 'collect'
      : read;
  const state: ConversationState = {
    ...input.state,
    entities: mergeEntities(input.state.entities, analysis),
    collected: { ...input.state.collected },
  };
  const collecting = state.conversation_stage === 'collecting' || state.conversation_stage === 'confirming';
  // A new request sets the topic; an answer given while collecting does not change it.
  if ((goal === 'collect' || goal === 'support') && !collecting) {
    state.current_intent = analysis.intent;
    state.entities.request = text;
  } else if (
    confident &&
    goal === 'knowledge' &&
    state.current_intent === null &&
    !CONVERSATIONAL_INTENTS.has(analysis.intent)
  ) {
    state.current_intent = analysis.intent;
  }
  const t: Turn = { cfg, input, analysis, text, act: recogniseAct(text, input.payload), goal, state };

  let outcome = route(t, confident);
  state.low_confidence_turns = outcome.understood ? 0 : state.low_confidence_turns + 1;
  if (state.low_confidence_turns >= LOW_CONFIDENCE_LIMIT && state.conversation_stage !== 'handed_off')
    outcome = handOff(t, 'low_confidence');
  return {
    reply: outcome.reply,
    quickReplies: outcome.quickReplies,
    state,
    actions: outcome.actions ?? [],
    knowledge: outcome.knowledge ?? [],
  };
}

/** A service name inside a sentence: capitalised words lower-cased, acronyms (HVAC) kept. */
function inSentence(name: string): string {
  return name.replace(/\b([A-Z])([a-z])/g, (_, first: string, next: string) => `${first.toLowerCase()}${next}`);
}
