import type { AnalysisResult } from '../analysis.schema.js';
import { plainApostrophes, trimEndMatching } from '../../lib/text.js';
import { extractEmails, findEmails } from '../entities/emails.js';
import { extractAddress } from '../entities/person.js';
import { extractPhones, internationalPhones, phoneSpans } from '../entities/phones.js';
import { isQuestion, recogniseAct, splitAtQuestion } from './acts.js';
import type { CollectField, DialogConfig, RequestedSlot } from './dialog.js';
import { requestedSlot } from './requested-slot.js';
import { ACKNOWLEDGEMENT_LEAD_IN, CONTACT, readName, timePhrase, validEmail, volunteered, type Slot } from './slots.js';

/**
 * What one customer message says toward the lead, read by entity type rather than by the
 * question just asked: a message may carry several details in any order ("Dave Miller,
 * 512-555-0199"), correct one given before ("sorry, it's …"), or decline one ("rather not say").
 * Channel-neutral: chat, SMS and voice transcripts read the same way.
 */

export interface MessageReading {
  fields: Partial<Record<CollectField, string>>;
  /** The preferred time as a slot in the tenant's zone, when the message names one. */
  slot: RequestedSlot | null;
  /** The customer is replacing something they said ("sorry, it's …", "no, the phone is …", "actually …"). */
  correcting: boolean;
  /** The customer declines to give what was asked. */
  refusing: boolean;
}

const CORRECTION =
  /^(?:sorry|oops|whoops|actually|no|nope|wait|correction|my\s+bad)\b|\b(?:i\s+mean[t]?|typo|wrong\s+(?:number|e-?mail|address|name)|should\s+(?:be|read)|instead|i\s+meant|not\s+\S+\s*,\s*(?:it'?s|its))\b/i;
const REFUSAL =
  /\b(?:rather\s+not|prefer\s+not|(?:don'?t|do\s+not|won'?t|will\s+not|can'?t)\s+(?:want\s+to\s+)?(?:give|share|provide|say|leave|tell)|not\s+comfortable\s+(?:giving|sharing)|none\s+of\s+your\s+business)\b/i;

/** Words a name is never made of: function words, requests and the things people type around details. */
const NOT_NAME_WORDS = new Set(
  (
    'a an the my me i im is it its at to of on in for and or but so please pls call text reach email e-mail mail ' +
    'phone number cell mobile tel telephone contact address here there this that thanks thank you ok okay yes no ' +
    'sure hi hello hey dear sir madam name is can could would will need want like just also our your we us ' +
    'what when where why how who which much many per does do did are was were have has there any not ' +
    // What people put before the answer: "great!! Mia Thornton", "fine, Nate Okoye", "oh sorry, it's Priya".
    'great fine cool perfect awesome good sorry oh ah ugh alright yeah yep yup np nope nah kk lol wow hmm um well'
  ).split(' '),
);

/** A run of one to four words that reads as a person's name; lower case is accepted only when a name was asked for. */
function nameLike(segment: string, asked: boolean, correcting = false): string | null {
  // "Priya Raman here" introduces Priya Raman; so does "please write Katarzyna Nowak" in a correction.
  const trimmed = trimEndMatching(segment, /[\s\-–—:]/)
    .replace(/^[\s\-–—:]+/, '')
    .replace(/\bhere$/i, '')
    // "Katherine with a K" spells the name out.
    .replace(/\bwith\s+an?\s\p{L}$/iu, '')
    .trimEnd();
  const cleaned = trimmed.replace(
    /^(?:(?:my\s+)?name(?:\s+is|'s)?|this\s+is|i'?m|i\s+am|it'?s|its|call\s+me|mine(?:'s|\s+is)|(?:please\s+)?(?:write|put|spell\s+it|make\s+it|change\s+it\s+to)|(?:it\s+)?should\s+be)\s+/i,
    '',
  );
  if (!cleaned || /\d/.test(cleaned) || recogniseAct(cleaned) !== null) return null;
  const words = cleaned.split(/\s+/);
  // After "my name is", a capitalised "An" or "Van" is part of the name, not a function word.
  const introduced = cleaned !== trimmed;
  const notName = (w: string, i: number) =>
    NOT_NAME_WORDS.has(w.toLowerCase().replace(/[.,!']/g, '')) && !(introduced && i > 0 && /^\p{Lu}\p{Ll}/u.test(w));
  if (words.length > 4 || words.some(notName)) return null;
  if (!asked && !words.every((w) => /^\p{Lu}/u.test(w))) return null;
  // One word is a name when asked for, or introduced in a correction ("sorry, it's Katherine").
  if (!asked && words.length < 2 && !(correcting && introduced)) return null;
  return readName(cleaned);
}

/** The name beside the contact details in a message ("Dave Miller, 512-555-0199"), or the whole answer to the name question. */
function nameFrom(message: string, contacts: string[], pending: Slot | null, correcting: boolean): string | null {
  // A question is never a name, even in answer to "May I have your name?"; one asked beside the name ("Tom Alvarez. Do you offer financing?",
  // "Dan, 720-555-0142 — oh and do you …?") is left out.
  const text = message
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => (isQuestion(sentence) ? (splitAtQuestion(sentence)?.lead ?? '') : sentence))
    .join(' ')
    .trim();
  if (!text) return null;
  const asked = pending === 'name';
  if (asked) {
    const whole = nameLike(text, true);
    if (whole) return whole;
  }
  if (contacts.length === 0 && !asked && !correcting) return null;
  let rest = text;
  for (const contact of contacts) rest = rest.split(contact).join(',');
  const segments = rest.split(/[,;!?\n]|\.(?=\s|$)|\s[-–—]\s/);
  for (const segment of segments) {
    const name = nameLike(segment, asked, correcting);
    if (name) return name;
  }
  return null;
}

/** The raw spellings of phone numbers and e-mails in the text, to cut out around a name. */
function contactSpans(text: string): string[] {
  return [...phoneSpans(text), ...findEmails(text)];
}

function addressFrom(text: string, analysis: AnalysisResult, pending: Slot | null): string | null {
  const found = analysis.entities.address ?? extractAddress(text);
  if (found) return found;
  if (pending !== 'address') return null;
  const t = trimEndMatching(
    text
      .trim()
      .replace(ACKNOWLEDGEMENT_LEAD_IN, '')
      .replace(/^(?:(?:the\s+)?(?:address|adress|addr)\s*(?:is|:)?|it'?s|we'?re\s+at|i'?m\s+at)\s+/i, ''),
    /[.!]/,
  );
  // A number and words, but not an e-mail or a phone number that came instead of the address.
  const contact = t.includes('@') || extractPhones(t, 'US').length > 0;
  return !contact && /\d/.test(t) && /\p{L}{3,}/u.test(t) && t.split(/\s+/).length >= 2 ? t : null;
}

/** Reads every detail a message gives, whatever was asked; `pending` is the question it may be answering. */
export function readMessage(
  text: string,
  analysis: AnalysisResult,
  cfg: DialogConfig,
  now: Date,
  pending: Slot | null,
): MessageReading {
  const fields: Partial<Record<CollectField, string>> = { ...volunteered(analysis, cfg) };
  const email = extractEmails(text).find(validEmail);
  if (email) fields.email = email;
  // The last number given is the one meant: "not 0198, it's 0166".
  const phone =
    extractPhones(text, 'US').at(-1) ?? analysis.entities.phones.at(-1) ?? internationalPhones(text, 'US').at(-1);
  if (phone) fields.phone = phone;
  const address = addressFrom(text, analysis, pending);
  if (address) fields.address = address;
  else delete fields.address;
  const correcting = CORRECTION.test(plainApostrophes(text.trim()));
  const name =
    // The address is cut out like a phone, so "1450 Pearl St, Boulder CO" gives no name "Boulder CO".
    nameFrom(text, [...contactSpans(text), ...(address ? [address] : [])], pending, correcting) ??
    (analysis.entities.person_name ? fields.name : null);
  if (name) fields.name = name;
  else delete fields.name;
  // House numbers, zip codes and phone digits are not times.
  let timeText = text;
  for (const span of [fields.address ?? '', ...contactSpans(text)]) if (span) timeText = timeText.split(span).join(' ');
  const slot = requestedSlot(timeText, now, cfg.timezone);
  if (slot) fields.preferred_time = timePhrase(pending === 'preferred_time' ? text : slot.text);
  return {
    fields,
    slot,
    correcting,
    refusing: REFUSAL.test(plainApostrophes(text)) && !email && !phone,
  };
}

/** Whether a pending question asks for a way to reach the customer. */
export function asksForContact(slot: Slot | null): boolean {
  return slot === CONTACT || slot === 'phone' || slot === 'email';
}
