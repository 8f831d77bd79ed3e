/**
 * What an export leaves out unless asked: personal data (names, phone numbers, e-mails, what was
 * said) is redacted, recording links are dropped. Keys are matched wherever they sit in a record.
 */

export const REDACTED = '[redacted]';

export interface RedactionOptions {
  includePii: boolean;
  includeAudio: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Keys are matched wherever they sit (call_data, original_payload, nested enriched_data), since each
// source names the caller differently: CallRail's caller_id / customer_phone_number, the form's customer_email.
const NAME_KEY = /(^|_)(caller|customer|contact|lead|first|last|full)_?name$/i;
const PHONE_KEY = /phone|caller_id|mobile/i;
const EMAIL_KEY = /e_?mail/i;
/** Everything under these keys is what was said on the call. */
const TRANSCRIPT_KEY = /transcript|segments|utterances/i;
const AUDIO_KEY = /^(recording|audio)(_(url|uri|file|path|location))?$|_(recording|audio)_url$/i;

// Starts only where a run of local-part characters starts and reads the domain label by label, so a
// 200,000-character field is read once instead of once per starting position.
const EMAIL_TEXT = /(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
// E.164 and the usual North American forms; free text (a project description) can carry either.
const PHONE_TEXT = /\+\d[\d\s().-]{6,18}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;

function redactText(text: string): string {
  return text.replace(EMAIL_TEXT, REDACTED).replace(PHONE_TEXT, REDACTED);
}

function redactAll(value: Json): Json {
  if (Array.isArray(value)) return value.map(redactAll);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'speaker' ? v : redactAll(v)]));
  // Timings and confidences inside a transcript say nothing about the caller; the words do.
  return typeof value === 'string' ? REDACTED : value;
}

const isPersonal = (key: string) =>
  NAME_KEY.test(key) || PHONE_KEY.test(key) || EMAIL_KEY.test(key) || TRANSCRIPT_KEY.test(key);

function strip(value: Json, options: RedactionOptions): Json {
  if (Array.isArray(value)) return value.map((v) => strip(v, options));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) {
      if (!options.includeAudio && AUDIO_KEY.test(key)) continue;
      if (!options.includePii && v !== null && typeof v !== 'boolean' && isPersonal(key)) {
        out[key] = typeof v === 'object' ? redactAll(v) : REDACTED;
        continue;
      }
      out[key] = strip(v, options);
    }
    return out;
  }
  return typeof value === 'string' && !options.includePii ? redactText(value) : value;
}

/** The record as an export shows it: PII redacted and recording links dropped unless asked for. */
export function redact<T>(record: T, options: RedactionOptions): T {
  return strip(record as Json, options) as T;
}
