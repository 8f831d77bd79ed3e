/**
 * Splits a text into what the customer said, sentence by sentence. Call transcripts label
 * speakers ("Agent: … Caller: …"); the agent's lines greet and offer, so only the caller's
 * lines describe the lead.
 */

const SPEAKER =
  /(?:^|\s)(agent|caller|customer|client|rep|representative|receptionist|operator|user|bot|assistant|visitor|lead|dispatcher|dispatch|advisor|coordinator|csr|staff|prospect|homeowner|patient|parent|guest)\s*:/gi;
/** Labels for the person calling in; every other label is the business answering. */
const CUSTOMER_SPEAKERS = new Set([
  'caller',
  'customer',
  'client',
  'user',
  'visitor',
  'lead',
  'prospect',
  'homeowner',
  'patient',
  'parent',
  'guest',
]);
const MAX_SENTENCES = 12;

export interface Segments {
  /** The customer's words joined; the whole text when there are no speaker labels. */
  customerText: string;
  /** The customer's sentences, each without its opening greeting or filler. */
  sentences: string[];
}

/**
 * Where an e-mail reply's quoted thread begins: "On Thu, Dec 3, 2026, Sarah <s@firm.com> wrote:",
 * Outlook's "-----Original Message-----", or its "From: … / Sent: …" header.
 */
const QUOTE_START =
  /^[ \t]*(?:On\b[^\n]{0,300}\bwrote:|-{2,}[ \t]*Original Message|From:[^\n]{0,200}\n[ \t]*(?:Sent|Date):)/im;
/** A quoted line of a reply: "> Hi Regina, Attorney Whitman can meet you Thursday". */
const QUOTED_LINE = /^[ \t]*>[^\n]*$/gm;

/**
 * The sender's own words of an e-mail reply, without the thread it quotes: that is mostly the
 * business's earlier message, whose prices, dates and offers are not the lead's. A forwarded message
 * is kept, since what was forwarded is usually the enquiry itself.
 */
export function withoutQuotedReply(text: string): string {
  const start = QUOTE_START.exec(text);
  const own = (start ? text.slice(0, start.index) : text).replace(QUOTED_LINE, '');
  return /[a-z]/i.test(own) ? own : text;
}

function customerTurns(text: string): string {
  const labels = [...text.matchAll(SPEAKER)];
  if (labels.length === 0) return text;
  const turns: string[] = [];
  labels.forEach((label, i) => {
    const speaker = (label[1] ?? '').toLowerCase();
    const start = label.index + label[0].length;
    const end = labels[i + 1]?.index ?? text.length;
    if (CUSTOMER_SPEAKERS.has(speaker)) turns.push(text.slice(start, end).trim());
  });
  return turns.length > 0 ? turns.join(' ') : text;
}

/**
 * Greetings and turn-taking words that open a sentence ("Hi Dana,", "Yeah hi,", "Okay.", "Morning."),
 * with up to two words of address after them. Ended by punctuation, so "hello is anyone there" stays.
 */
const OPENER =
  /^(?:hi|hello|hey|howdy|yeah|yes|yep|okay|ok|oh|um+|uh+|so|well|good (?:morning|afternoon|evening)|morning|afternoon|evening)\b(?:\s+[\w']+){0,2}?\s*[,.!]+\s*/i;
/** What must remain for an opener to go: a bare "Yes, please." or "Hi there!" keeps its meaning. */
const MIN_WORDS_LEFT = 3;

/**
 * The sentence without its opening greeting or filler. The classifier reads every word, and in a
 * call "Hi Priya, I need pricing for 60 seats" would otherwise lean towards a greeting.
 */
export function withoutOpeners(sentence: string): string {
  let rest = sentence.trim();
  for (let match = OPENER.exec(rest); match; match = OPENER.exec(rest)) {
    const next = rest.slice(match[0].length);
    if (next.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length < MIN_WORDS_LEFT) break;
    rest = next;
  }
  return rest;
}

/** Hesitation sounds, which carry nothing: "um", "uh,", "erm". */
const HESITATION = /\b(?:u+m+|u+h+|e+r+m+|hmm+)\b,?\s*/gi;
/** "like" and "you know" set off by commas, as talk fills a pause: "it's, like, leaking". */
const FILLER_PHRASE = /,\s*(?:like|you know|i mean|kind of|sort of),/gi;
/** "like" before a figure, as talk hedges an amount: "in like four months", "for like 20 people". */
const LIKE_BEFORE_FIGURE =
  /\blike\s+(?=(?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)\b)/gi;

/** Spoken filler taken out, so "in, um, like four months" reads as "in four months". */
function withoutFiller(text: string): string {
  return text.replace(HESITATION, '').replace(FILLER_PHRASE, ',').replace(LIKE_BEFORE_FIGURE, '');
}

/** A line this short is a line of its own (a chat message, a form field), not a wrapped sentence. */
const SHORT_LINE = 60;

/**
 * Each line that ends a thought without punctuation gets a full stop, so the lines of a chat ("not
 * applying 😅" / "we need 2 bouncy castles") stay apart once joined and one line's negation does
 * not reach into the next. A longer line is more likely a sentence wrapped by the mail program and is left.
 */
export function endedLines(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const trimmed = line.trimEnd();
      const next = lines[i + 1]?.trimStart() ?? '';
      const open = /[\p{L}\p{N}\p{Extended_Pictographic})]$/u.test(trimmed);
      return open && next !== '' && trimmed.length <= SHORT_LINE ? `${trimmed}.` : line;
    })
    .join('\n');
}

export function segmentText(text: string): Segments {
  const customerText = withoutFiller(customerTurns(endedLines(withoutQuotedReply(text))))
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = customerText
    .split(/(?<=[.!?])\s+|(?<!\s)\s+-\s+|\n+/)
    .map((s) => withoutOpeners(s))
    .filter((s) => /[a-z]/i.test(s))
    .slice(0, MAX_SENTENCES);
  return { customerText, sentences };
}
