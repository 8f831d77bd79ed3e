import { plainApostrophes } from '../../lib/text.js';
import { intentInfo } from '../nlu/intents.js';

/**
 * Dialog acts read from the message itself (short conversational turns the lead classifier is not
 * built for), and the goal an engine intent sets for the conversation.
 */

export type DialogAct = 'greeting' | 'goodbye' | 'thanks' | 'affirm' | 'deny' | 'human';

export type Goal = 'collect' | 'support' | 'knowledge' | 'chat' | 'junk' | 'unknown';

/** Who a customer asks for when they want a person: a role at the business, not a service. */
const ROLE = String.raw`(?:person|people|human|agent|rep|representative|someone|somebody|manager|supervisor|staff|employee|salesperson|sales\s+(?:team|person|rep)|attorney|lawyer|advisor|adviser|consultant|owner|operator)s?`;
/** Words after "speak to" that name no one to hand over to: the customer's own people, the chat, a topic. */
const NOT_A_PERSON = String.raw`(?:my|our|your|his|her|their|the|a|an|him|them|you|u|us|it|this|that|about|anyone|anybody|myself)`;
const HUMAN = new RegExp(
  String.raw`\b(?:(?:talk|speak|chat)\s+(?:to|with)\s+(?:one\s+of\s+)?(?:(?:a|an|some|your|the)\s+)?(?:real\s+|actual\s+|live\s+|sales\s+|support\s+)?${ROLE}` +
    String.raw`|(?:real|actual|live)\s+(?:young\s+)?(?:person|human|agent|installer|technician|tech|man|woman|lady|guy)|(?:human|agent|rep|representative|operator)(?:\s*,\s*|\s+)(?:please|pls|plz|now)` +
    String.raw`|(?:get|give|want|need)\s+(?:me\s+)?(?:a|an)\s+(?:real\s+|live\s+|sales\s+|support\s+)?(?:human|person|agent|rep|representative|salesperson)` +
    String.raw`|transfer\s+me|connect\s+me\s+(?:to|with)|put\s+me\s+through|not\s+(?:a|talking to a)\s+(?:bot|robot)` +
    // "speak to sales", "is there someone I can talk to", "have a sales rep call me"
    String.raw`|(?:talk|speak)\s+(?:to|with)\s+(?:your\s+|the\s+)?sales` +
    String.raw`|(?:someone|somebody|(?:a|an)\s+(?:real\s+|live\s+)?(?:person|human))\s+(?:(?:there|here)\s+)?(?:i|we)\s+(?:can|could)\s+(?:talk|speak|chat)` +
    String.raw`|(?:have|get|can|could)\s+(?:a|an|your|one\s+of\s+your)\s+(?:sales\s+)?(?:rep|representative|salesperson|agent)s?\s+(?:to\s+)?call\s+me` +
    // "get someone on the phone", "rather than a chatbot": a person wanted instead of the chat.
    String.raw`|(?:get|have|put)\s+(?:someone|somebody|a\s+(?:real\s+|live\s+)?(?:person|human))\s+on\s+the\s+(?:phone|line)` +
    // "can I just get Dana on the phone", "put your manager on the line": a person the customer names, wanted on a call.
    String.raw`|(?:get|put)\s+(?!${NOT_A_PERSON}\b)(?:your\s+|the\s+)?[a-z]+\s+on\s+the\s+(?:phone|line)` +
    // "I'd rather message with her directly than book through here".
    String.raw`|(?:message|text|talk|speak|chat|deal)\s+with\s+(?:her|him|them|(?!${NOT_A_PERSON}\b)[a-z]+)\s+directly` +
    String.raw`|(?:rather\s+than|instead\s+of)\s+(?:(?:a|an|the|this|some)\s+)?(?:chat\s*bot|bot|robot|machine|ai)` +
    // "call me instead": the chat itself is turned down for a person on the phone.
    String.raw`|(?:call|phone|ring)\s+me\s+instead` +
    // "get me someone who knows what they're doing": a different person, not a visit; "get me your manager".
    String.raw`|get\s+me\s+(?:someone|somebody)\s+(?:who|that|real|else)` +
    String.raw`|(?:get|give)\s+me\s+(?:your|the|a)\s+(?:manager|supervisor|boss|owner)` +
    // "can somebody from your crew take it from here?"
    String.raw`|(?:someone|somebody|one\s+of\s+you)\s+(?:from|on|of)\s+(?:your|the)\s+(?:crew|team|staff|office)\s+(?:take|handle|call|help)` +
    String.raw`|take\s+it\s+from\s+here` +
    // "can I get on a call with someone from your sales team?"
    String.raw`|call\s+with\s+(?:someone|somebody|sales|(?:a|an|your|the|one\s+of\s+your)\s+(?:real\s+|live\s+|sales\s+)?${ROLE})` +
    // "I'd like to deal with a sales rep directly".
    String.raw`|(?:deal|work)\s+(?:directly\s+)?with\s+(?:a|an|your|the|one\s+of\s+your)\s+(?:real\s+|live\s+)?(?:sales\s+)?(?:person|human|rep|representative|salesperson|manager|agent)s?(?:\s+directly)?` +
    // "I'd rather speak to Mike": a person the customer names, asked for in a wish rather than a plan of their own.
    String.raw`|(?:rather|like\s+to|want\s+to|(?:can|could|may)\s+i)\s+(?:talk|speak|chat)\s+(?:to|with)\s+(?!${NOT_A_PERSON}\b)[a-z]+)\b`,
  'i',
);
/** Asking what talking to someone costs ("what does it cost just to talk to someone") is a price question, not a request. */
const COST_OF =
  /^(?:\W*(?:ok(?:ay)?|so|and|but|also|um+)\b)*\W*(?:what\s+(?:does|do|would|will|is)\s+(?:it|that|this)\s+(?:cost|charge|run)|how\s+much\s+(?:does|do|is|would|will)\s+(?:it|that|this)\s+cost|is\s+it\s+free)\b/i;
/** A message that is only the role asked for, as people answer a phone menu: "representative", "a human!". */
const ROLE_ALONE =
  /^(?:a\s+)?(?:(?:real|live)\s+(?:person|human|agent)|human|person|representative|operator|sales\s+rep)[\s!.?]*$/i;
/** The customer asking whether the chat is a machine: "are you a bot?", "am I talking to a real person?". */
const BOT_QUESTION =
  /^(?:(?:hi|hey|hello)[\s,!.]+)?(?:are\s+(?:you|u)|r\s+u|am\s+i\s+(?:talking|chatting|speaking)\s+(?:to|with)|is\s+this)\s+(?:a\s+|an\s+)?(?:real\s+(?:person|human)|human|person|bot|robot|chat\s*bot|machine|ai|automated|computer)[\s?!.]*$/i;

export function asksIfBot(text: string): boolean {
  return BOT_QUESTION.test(text.trim().replace(LEAD_IN, ''));
}
/** The customer checking that someone reads the chat, as one does with a silent line: "is anyone there??", "hello? anybody?". */
const ANYONE_THERE =
  /^(?:(?:hello+|hi+|hey+)[\s?!.,]*)?(?:(?:is|are)\s+(?:there\s+)?)?(?:any(?:one|body)|some(?:one|body))(?:\s+(?:there|here|around|real|alive|awake|reading\s+this))?[\s?!.]*$/i;
/** A person asked for inside a negation: "no need to talk to anyone", "I don't want a sales rep". */
const REFUSED =
  /\b(?:don'?t|do\s+not|doesn'?t|no\s+need\s+to|never|not)\s+(?:really\s+|even\s+)?(?:(?:want|need)\s+to\s+)?(?:talk|speak|chat|want|need|get)\b/i;
const GREETING =
  /^(?:hi+|hello+|hey+|hiya|howdy|yo|good\s+(?:morning|afternoon|evening)|greetings)(?:\s+(?:there|all|folks|team))?[\s!.,]*$/i;
const GOODBYE =
  /^(?:(?:ok(?:ay)?|alright|great|cool|perfect)[\s,.!]*)?(?:(?:thanks?|thank you)[\s,.!]*)?(?:bye+|goodbye|good\s*bye|see\s+(?:you|ya)|talk\s+(?:to you\s+)?(?:later|soon)|have\s+a\s+(?:good|nice|great)\s+(?:one|day|night|evening)|that'?s\s+all|cheers|later)[\s!.,]*(?:(?:bye|thanks?|thank you)[\s!.]*)?$/i;
const THANKS =
  /^(?:(?:ok(?:ay)?|great|perfect|awesome|cool|got it)[\s,.!]*)?(?:thanks?|thank\s+you|thx|ty|much\s+appreciated|appreciate\s+it)(?:\s+(?:so|very)\s+much|\s+a\s+lot|\s+again)?[\s!.]*$/i;
/** The customer will come back on their own: "ok thanks, I'll think about it", "let me check with my wife". */
const DEFER =
  /^(?:(?:ok(?:ay)?|great|perfect|cool|got\s+it|thanks?|thank\s+you|thx|ty)[\s,.!]*)*(?:i'?ll|i\s+will|let\s+me|will)\s+(?:talk|speak|check|discuss|think|get\s+back|come\s+back|let\s+you\s+know|be\s+in\s+touch|look\s+into|have\s+a\s+think)\b/i;
const AFFIRM =
  /^(?:y|ya|yes+|yeah|yep|yup|sure|ok(?:ay)?|correct|right|that'?s\s+(?:right|correct|it)|looks\s+(?:good|right|correct)|sounds\s+good|perfect|absolutely|of\s+course|please\s+do|go\s+ahead|yes\s+please|all\s+good|affirmative|confirmed?)\b[^?]*$/i;
const DENY =
  /^(?:n|no+|nope|nah|not\s+(?:really|quite|right|correct)|that'?s\s+(?:wrong|not\s+right|incorrect)|wrong|incorrect|negative|no\s+thanks?)\b/i;

/** Words a request for a person has: who, or the talking itself. Without one, "I need …" is a need, not a person. */
const PERSON_WORDS =
  /\b(?:person|people|human|someone|somebody|anyone|anybody|agent|rep|representative|manager|supervisor|staff|operator|customer\s+service|talk|speak|call|transfer|connect|put\s+me\s+through)\b/i;
/** The customer's own plan to talk to their people: "I'll talk to my husband first", "let me check with my boss". */
const OWN_PEOPLE =
  /\bi'?ll\s+(?:talk|speak|check|discuss|think)|\b(?:talk|speak|check|discuss\s+it)\s+(?:it\s+over\s+)?(?:with|to)\s+my\b/i;

/**
 * The customer saying the chat is failing them: "this isn't helping", "you're not listening",
 * "that's not what I asked", "useless bot". Only a person can help from there.
 */
const CHAT_FAILS =
  /\b(?:this|that|you|bot|chat)(?:'re|'s|\s+is|\s+are)?\s+(?:not|isn't|aren't|wasn't)\s+(?:\w+\s+)?(?:help(?:ing|ful)|listening|understanding)\b|\bthat'?s\s+not\s+what\s+i\s+(?:asked|said|meant|want(?:ed)?)\b|\byou\s+(?:don'?t|do\s+not|dont)\s+(?:understand|get\s+it)\b|\b(?:useless|stupid|dumb|pointless)\s+(?:bot|chat(?:bot)?|robot|machine)\b|\bgoing\s+(?:around\s+)?in\s+circles\b/i;

export function saysChatFails(text: string): boolean {
  return CHAT_FAILS.test(plainApostrophes(text));
}

/**
 * The customer asking to be booked in their own words: "I'd like to schedule one", "sign me up",
 * "let's book it", "can you fit me in". The engine's intent may miss these after an answered question.
 */
const BOOKING_REQUEST =
  /\b(?:book|schedule)\s+(?:me|us|it|one|that|this|him|her|them|a|an|in)\b|\b(?:i'?d|i\s+would|we'?d|i\s+want|we\s+want)\s+(?:like\s+)?to\s+(?:book|schedule|sign\s+up|set\s+(?:up|one\s+up))\b|\bsign\s+(?:me|us|him|her|them)\s+up\b|\blet'?s\s+(?:book|schedule|set\s+(?:it|that|one)\s+up)\b|\b(?:fit|squeeze|get)\s+(?:me|us)\s+in\b|\b(?:can|could|may)\s+(?:i|we)\s+(?:just\s+)?(?:book|schedule|make\s+an?\s+appointment)\b/i;

export function requestsBooking(text: string): boolean {
  return BOOKING_REQUEST.test(plainApostrophes(text));
}

/** Asking whether a time is open: "is Thursday morning free?", "any openings Saturday?", "can you do Friday at 3?". */
const ASKS_AVAILABILITY =
  /\b(?:free|available|availability|openings?|slots?|spots?\s+(?:open|left)|anything\s+(?:on|for|this|next|open|left)|can\s+(?:you|u|we)\s+(?:do|fit|squeeze|make)|(?:does|would|will)\s+\w+(?:\s+\w+)?\s+work)\b/i;

export function asksAvailability(text: string): boolean {
  return ASKS_AVAILABILITY.test(plainApostrophes(text));
}

/** Whether the words of a message can carry the engine's reading that a person is wanted. */
export function mayAskForPerson(text: string): boolean {
  const t = plainApostrophes(text);
  return PERSON_WORDS.test(t) && !OWN_PEOPLE.test(t);
}

/** Quick-reply payloads name their act directly. */
const PAYLOAD_ACTS: Record<string, DialogAct> = { yes: 'affirm', no: 'deny', human: 'human' };

/** The conversational act a message performs, if it is one of the few the dialog handles itself. */
export function recogniseAct(text: string, payload?: string): DialogAct | null {
  if (payload && PAYLOAD_ACTS[payload]) return PAYLOAD_ACTS[payload];
  const t = plainApostrophes(text.trim());
  if (!t) return null;
  // A refusal counts in its own clause: "get Dana on the phone? I don't want to do this over chat" and "I don't
  // want to type this to a bot, can I talk to a lawyer" still ask for a person.
  const unrefused = (part: string) => HUMAN.test(part) && !REFUSED.test(part) && !COST_OF.test(part);
  const asked = t
    .split(/(?<=[.!?;])\s+/)
    .some((sentence) => unrefused(sentence) || sentence.split(/,|\bbut\b/).some(unrefused));
  if (ROLE_ALONE.test(t) || ANYONE_THERE.test(t) || asked) return 'human';
  if (GOODBYE.test(t)) return 'goodbye';
  if (THANKS.test(t) || DEFER.test(t)) return 'thanks';
  if (GREETING.test(t)) return 'greeting';
  if (DENY.test(t)) return 'deny';
  if (AFFIRM.test(t)) return 'affirm';
  return null;
}

/** Intents the engine is sure of that still say nothing the dialog can act on. */
const NOTHING_TO_ACT_ON = new Set(['unknown', 'spam', 'wrong_number']);

/** What an engine intent asks of the conversation. */
export function goalFor(intent: string): Goal {
  if (intent === 'business_hours' || intent === 'location') return 'knowledge';
  if (NOTHING_TO_ACT_ON.has(intent)) return intent === 'unknown' ? 'unknown' : 'junk';
  switch (intentInfo(intent).kind) {
    case 'project':
    case 'purchase':
    case 'prospect':
    case 'engagement':
      return 'collect';
    case 'support':
      return 'support';
    case 'chat':
      return 'chat';
    case 'junk':
    case 'job':
      return 'junk';
    case 'unknown':
      return 'unknown';
  }
}

/** A message asking something, which the knowledge base may answer. */
export function isQuestion(text: string): boolean {
  const t = text.trim();
  const asked = t.replace(LEAD_IN, '');
  // "how long til we get the pics back? want them for a card": a question mark asks, wherever it stands.
  return /\?(?:\s|$)/.test(t) || DIRECT_QUESTION.test(asked) || INDIRECT_QUESTION.test(asked);
}

/** A message that opens with its question ("how much for a 2,500 sq ft house"), whatever details it names after. */
export function opensWithQuestion(text: string): boolean {
  const asked = text.trim().replace(LEAD_IN, '');
  return DIRECT_QUESTION.test(asked) || INDIRECT_QUESTION.test(asked);
}

/**
 * An auxiliary before its subject, wherever it stands: "come october do you …", "so can we …"; or
 * a judgement asked of what was just said: "10 of us is that too many", "is that enough notice".
 */
const INVERTED =
  /\b(?:do|does|did|can|could|will|would|should|are|is)\s+(?:you|u|y'?all|we|i|there)\b|\b(?:is|would|will)\s+(?:that|it|this)\s+(?:be\s+)?(?:too|enough|ok|okay|possible|allowed|fine|a\s+problem)\b/i;

/** A message whose question is put in words ("are you open Saturday?"), not only marked ("Saturday 8am?"). */
export function asksInWords(text: string): boolean {
  return (
    INVERTED.test(text) ||
    text.split(/[.?!]\s*/).some((sentence) => sentence.split(CLAUSE_BREAK).some(opensWithQuestion))
  );
}

/**
 * A message that leads with something else and then asks: "before I give my number, do you charge
 * for estimates?" asks only from "do you". Null when it opens with its question or asks none.
 */
export function splitAtQuestion(text: string): { lead: string; question: string } | null {
  const clauses = text.split(CLAUSE_BREAK).map((clause) => clause.trim());
  if (clauses.length < 2 || isQuestion((clauses[0] ?? '').replace(/\?\s*$/, ''))) return null;
  const at = clauses.findIndex((clause, i) => i > 0 && DIRECT_QUESTION.test(clause.trim().replace(LEAD_IN, '')));
  if (at <= 0) return null;
  return { lead: clauses.slice(0, at).join(', '), question: clauses.slice(at).join(', ').trim().replace(LEAD_IN, '') };
}

/** The question a message asks, without what it leads with. */
export function questionClause(text: string): string {
  return splitAtQuestion(text)?.question ?? text;
}

/**
 * The questions one message asks, each on its own: "is the consult free? and do you take Delta"
 * and "how long does it take and when do I get the report" ask two. A message asking one gives one.
 */
export function questionsIn(text: string): string[] {
  return text
    .split(QUESTION_BREAK)
    .map((part) => part.trim().replace(LEAD_IN, ''))
    .filter((part) => part.length > 0 && isQuestion(part));
}

/** After a question mark, or before "and"/"also"/"plus" opening a second question. */
const QUESTION_BREAK =
  /(?<=\?)|[,;]?\s(?:and|also|plus)\s(?=(?:what|when|where|how|who|which|do|does|is|are|can|could|will|would|should)\b)/i;

/** A comma, semicolon, colon or dash between clauses; the clauses are trimmed after, so no pattern runs over spaces twice. */
const CLAUSE_BREAK = /[,;:—–]|\s-+\s/;

/** Words a question is put after mid-conversation: "btw do you…", "oh also, are you…", "quick question - can you…". */
const LEAD_IN =
  /^(?:(?:hi|hey|hello|yo|btw|by\s+the\s+way|oh|also|and|but|actually|wait|sorry|um+|hmm+|so|one\s+more\s+thing|quick\s+question|before\s+(?:that|i\s+forget))[\s,:;.!-]+)+/i;

/** Question words, with the chat spellings customers type them in ("hw much", "wat time", "r u open"). */
const DIRECT_QUESTION =
  /^(?:(?:what|wat|wut|wht|when|wen|whn|where|why|how|hw|who|which)(?:'?s)?|do|does|did|can|could|is|are|am|was|were|will|would|should|must|shall|any|r\s+(?:u|you|ya))\b/i;
/** A question asked as a statement: "I was wondering if you offer financing", "I'd like to know whether …". */
const INDIRECT_QUESTION =
  /^(?:(?:hi|hello|hey)[\s,!.]+)?(?:i\s+(?:was|am|'m)\s+wondering|i\s+wonder|wondering|i'?d\s+like\s+to\s+know|i\s+want\s+to\s+know|just\s+curious|curious)\s+(?:if|whether|what|when|where|how|who|which|about)\b/i;

/** A request for something done in the chat itself ("tell me a joke", "write my essay"), rather than for the business. */
export function isChatRequest(text: string): boolean {
  return CHAT_REQUEST.test(text.trim());
}

/** "tell me a joke", "hey can u help me write a cover letter": after a greeting, a polite frame or "help me". */
const CHAT_REQUEST =
  /^(?:(?:hi|hey|hello)[\s,!.]+)?(?:please\s+|pls\s+|(?:can|could|would)\s+(?:you|u)\s+(?:please\s+|pls\s+)?)?(?:help\s+me\s+(?:to\s+)?)?(?:tell|write|give|show|explain|translate|sing|recommend|draw|calculate|solve)\s+(?:me\s+)?(?:a|an|my|the|some|this)\b/i;

/** Intents for which the message is about the dialog's own mechanics rather than a need. */
export const CONVERSATIONAL_INTENTS = new Set(['greeting', 'thanks', 'goodbye', 'affirm', 'deny', 'human_agent']);
