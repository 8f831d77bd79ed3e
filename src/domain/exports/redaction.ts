/**
 * What an export leaves out unless asked: personal data (names, phone numbers, e-mails, addresses,
 * what was said) is redacted, recording links are dropped. Keys are matched wherever they sit in a
 * record, and the values found under them are redacted again wherever they recur in free text (an
 * AI summary that reads "lead from John Smith").
 */

export const REDACTED = '[redacted]';

export interface RedactionOptions {
  includePii: boolean;
  includeAudio: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Keys are matched wherever they sit (call_data, original_payload, nested enriched_data), since each
// source names the caller differently: CallRail's caller_id / customer_phone_number, the form's customer_email.
const NAME_KEY = /^name$|(^|_)(caller|customer|contact|lead|person|first|last|full|given|family|sur)_?name$/i;
const PHONE_KEY = /phone|caller_id|mobile/i;
const EMAIL_KEY = /e_?mail/i;
const ADDRESS_KEY = /address|street|postal|zip|(^|_)location$/i;
/** Everything under these keys is what was said on the call. */
const TRANSCRIPT_KEY = /transcript|segments|utterances/i;
const AUDIO_WORDS = new Set(['recording', 'audio']);
const LINK_WORDS = new Set(['url', 'uri', 'link', 'file', 'path', 'location']);

/**
 * Any link to a recording, however a step names it (recording_url, recording_source_url, audio_uri …):
 * read word by word, since a pattern with a free middle part backtracks on long keys.
 */
function isAudioKey(key: string): boolean {
  const words = key.toLowerCase().split('_');
  if (words.length === 1) return AUDIO_WORDS.has(words[0]!);
  const at = words.findIndex((w) => AUDIO_WORDS.has(w));
  return at >= 0 && at < words.length - 1 && LINK_WORDS.has(words.at(-1)!);
}

// Starts only where a run of local-part characters starts and reads the domain label by label, so a
// 200,000-character field is read once instead of once per starting position.
const EMAIL_TEXT = /(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
// E.164 and the usual North American forms; free text (a project description) can carry either.
const PHONE_TEXT = /\+\d[\d\s().-]{6,18}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;
/** Shorter name parts ("J") would redact every word that starts a sentence. */
const MIN_PART = 2;
const MAX_KNOWN = 64;

const isContact = (key: string) =>
  NAME_KEY.test(key) || PHONE_KEY.test(key) || EMAIL_KEY.test(key) || ADDRESS_KEY.test(key);
const isPersonal = (key: string) => isContact(key) || TRANSCRIPT_KEY.test(key);

/** The spellings of one known value that free text may carry: a name's parts, a phone's digits. */
function spellings(key: string, value: string): string[] {
  const out = [value.trim()];
  if (NAME_KEY.test(key)) out.push(...value.split(/[\s,]+/));
  else if (ADDRESS_KEY.test(key)) out.push(...value.split(',').map((s) => s.trim()));
  if (PHONE_KEY.test(key)) {
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 7) out.push(digits, digits.slice(-10));
  }
  return out.filter((s) => s.length >= MIN_PART && s !== REDACTED);
}

/** The values a pass hides wherever they recur: the contact's details, the recording links. */
function isHidden(key: string, options: RedactionOptions): boolean {
  return (!options.includePii && isContact(key)) || (!options.includeAudio && isAudioKey(key));
}

/** The record's own names, phones, e-mails, addresses and recording links, as found under their keys. */
function knownValues(value: Json, options: RedactionOptions, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) knownValues(v, options, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && isHidden(key, options)) for (const s of spellings(key, v)) found.add(s);
      else knownValues(v, options, found);
    }
  return found;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern of escaped literals, longest first so a full name goes before its parts; null when none. */
function knownPattern(record: Json, options: RedactionOptions): RegExp | null {
  const known = [...knownValues(record, options, new Set())].sort((a, b) => b.length - a.length).slice(0, MAX_KNOWN);
  if (known.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${known.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

function redactAll(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactAll);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'speaker' ? v : redactAll(v)]));
  // Timings and confidences inside a transcript say nothing about the caller; the words do.
  return typeof value === 'string' ? REDACTED : value;
}

interface Pass extends RedactionOptions {
  known: RegExp | null;
}

function redactText(text: string, pass: Pass): string {
  const named = pass.known ? text.replace(pass.known, REDACTED) : text;
  return pass.includePii ? named : named.replace(EMAIL_TEXT, REDACTED).replace(PHONE_TEXT, REDACTED);
}

function strip(value: Json, pass: Pass): Json {
  if (Array.isArray(value)) return value.map((v) => strip(v, pass));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) {
      if (!pass.includeAudio && isAudioKey(key)) continue;
      if (!pass.includePii && v !== null && typeof v !== 'boolean' && isPersonal(key)) {
        out[key] = typeof v === 'object' ? redactAll(v) : REDACTED;
        continue;
      }
      out[key] = strip(v, pass);
    }
    return out;
  }
  return typeof value === 'string' ? redactText(value, pass) : value;
}

/** The record as an export shows it: PII redacted and recording links dropped unless asked for. */
export function redact<T>(record: T, options: RedactionOptions): T {
  const json = record as Json;
  const known = options.includePii && options.includeAudio ? null : knownPattern(json, options);
  return strip(json, { ...options, known }) as T;
}
