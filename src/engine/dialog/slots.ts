import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AnalysisResult } from '../analysis.schema.js';
import { defaultService } from '../entities/catalogue.js';
import { extractEmails } from '../entities/emails.js';
import { extractPhones } from '../entities/phones.js';
import { plainApostrophes, trimEndMatching } from '../../lib/text.js';
import { recogniseAct, requestsBooking } from './acts.js';
import type { CollectField, ConversationState, DialogConfig } from './dialog.js';

/**
 * Goal-directed slot filling: which field to ask next, what a message gives for each field (the
 * engine's entities, and the answer to the question just asked), and whether an answer is usable.
 */

/** Asked as one question when a tenant collects both: either way of reaching the customer will do. */
export const CONTACT = 'contact';
export type Slot = CollectField | typeof CONTACT;

export type Collected = ConversationState['collected'];

export type SlotReading =
  { ok: true; field: CollectField; value: string } | { ok: false; reason: string } | { ok: 'declined' };

const QUESTIONS: Record<Slot, string> = {
  name: 'May I have your name?',
  contact: "What's the best phone number or e-mail to reach you?",
  phone: "What's the best phone number to reach you?",
  email: "What's your e-mail address?",
  service: 'Which service are you interested in?',
  address: "What's the address where the work would be done?",
  preferred_time: 'When would suit you for us to come out or call? (a day or time of day is fine)',
};

export const FIELD_LABELS: Record<CollectField, string> = {
  name: 'name',
  phone: 'phone',
  email: 'e-mail',
  service: 'service',
  address: 'address',
  preferred_time: 'preferred time',
};

export function questionFor(slot: Slot): string {
  return QUESTIONS[slot];
}

/** Fields that may be left out when the customer says so ("no preference", "rather not say"). */
const OPTIONAL: ReadonlySet<CollectField> = new Set(['address', 'preferred_time']);
const DECLINE_PHRASE =
  /^(?:no\s+preference|nah|nope|no|not\s+really|any\s*time|whenever|(?:it\s+)?doesn'?t\s+matter|(?:i\s+)?don'?t\s+mind|i'?m\s+flexible|flexible|skip(?:\s+(?:it|that))?|pass|(?:i'?d\s+)?rather\s+not(?:\s+say)?|n\/?a|none|not\s+sure(?:\s+yet)?)(?:[\s,]+(?:is\s+fine|works|really|for\s+me|thanks?|honestly))*[\s.!]*$/i;

/** An answer made only of no-preference phrases: "whenever, I'm flexible", "any time and no preference". */
function declines(text: string): boolean {
  const pieces = text
    .split(/[,;.!]+|\band\b/)
    .map((piece) => piece.trim())
    .filter(Boolean);
  return pieces.length > 0 && pieces.every((piece) => DECLINE_PHRASE.test(piece));
}

/** The next thing to ask, in the tenant's order; phone and e-mail together are one question, or the other one when one is declined. */
export function nextSlot(
  fields: readonly CollectField[],
  collected: Collected,
  declined: readonly CollectField[],
): Slot | null {
  const wantsBoth = fields.includes('phone') && fields.includes('email');
  for (const field of fields) {
    if (collected[field] || declined.includes(field)) continue;
    if (wantsBoth && (field === 'phone' || field === 'email')) {
      if (collected.phone || collected.email) continue;
      if (declined.includes('phone')) return 'email';
      if (declined.includes('email')) return 'phone';
      return CONTACT;
    }
    return field;
  }
  return null;
}

function validPhone(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, 'US');
  return parsed?.isPossible() ? parsed.number : null;
}

const EMAIL_SHAPE = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

export function validEmail(raw: string): boolean {
  return EMAIL_SHAPE.test(raw.trim());
}

/** Words of a name as people type them: "maria lopez" → "Maria Lopez". */
function titleCase(text: string): string {
  return text.replace(/(?<![\p{L}'’])\p{L}+/gu, (word) =>
    ['and', 'de', 'la', 'van', 'von', 'der'].includes(word.toLowerCase())
      ? word.toLowerCase()
      : word.charAt(0).toUpperCase() + word.slice(1),
  );
}

const NAME_LEAD_IN =
  /^(?:(?:hi|hello|hey|sure|ok(?:ay)?|yes)[\s,!.]+)?(?:my\s+name\s+is|my\s+name'?s|name'?s|name\s+is|it'?s|it\s+is|i'?m|i\s+am|this\s+is|call\s+me|you\s+can\s+call\s+me)\s+/i;
const NAME_WORDS = /^\p{L}[\p{L}'’.-]*(?:\s+\p{L}[\p{L}'’.-]*){0,3}$/u;

/** Words of a time, which a name never has: "today evening if possible" answers the wrong question. */
const TIME_PHRASE =
  /\b(?:today|tonight|tomorrow|morning|afternoon|evening|weekend|asap|next\s+week|if\s+possible|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/i;

/** "I'm her mom", "I'm the owner": who they are to someone, not their name, which follows if anywhere. */
const ROLE = /^(?:her|his|their|our|my|your|the|a|an)\s/i;

export function readName(text: string): string | null {
  // "ok", "yes", "sure", "thanks" answer the question without being a name.
  // Nor is "cool, sign me up" or "ok book it".
  if (recogniseAct(text) !== null || TIME_PHRASE.test(text) || requestsBooking(text)) return null;
  const introduced = plainApostrophes(text.trim()).replace(NAME_LEAD_IN, '');
  const cleaned = trimEndMatching(introduced, /[.!,]/).trim();
  if (!NAME_WORDS.test(cleaned) || cleaned.length > 60 || ROLE.test(cleaned)) return null;
  return titleCase(cleaned);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2 && !['and', 'the', 'for', 'service', 'services', 'repair', 'new'].includes(w))
    .map((w) =>
      w.length > 5 && w.endsWith('ing') ? w.slice(0, -3) : w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w,
    );
}

/** The catalogue service a text or an engine project type names, by shared words. */
export function matchService(text: string, services: readonly string[]): string | null {
  const said = new Set(words(text));
  let best: { name: string; overlap: number } | null = null;
  for (const name of services) {
    const overlap = words(name).filter(
      (w) => said.has(w) || [...said].some((s) => s.length > 4 && (s.startsWith(w) || w.startsWith(s))),
    ).length;
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { name, overlap };
  }
  return best?.name ?? null;
}

/** The service an engine id (project type or intent) stands for, in the tenant's words when it has a catalogue. */
export function serviceFromEngineId(
  id: string | null,
  cfg: Pick<DialogConfig, 'services' | 'serviceAliases'>,
): string | null {
  if (!id) return null;
  const alias = cfg.serviceAliases?.[id];
  if (alias) return alias;
  const label = defaultService(id)?.label;
  if (cfg.services.length === 0) return label ? label.charAt(0).toUpperCase() + label.slice(1) : null;
  return matchService(`${id.replace(/_/g, ' ')} ${label ?? ''}`, cfg.services);
}

/** Words of a time; a habit ("weekdays after 4", "evenings") answers the question as well as a date does. */
const TIME_WORDS =
  /\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:after|before|around|by)\s+\d{1,2}(?::\d{2})?\b|\b(?:today|tonight|tomorrow|(?:morning|afternoon|evening|night|weekend|weekday)s?|next\s+week|this\s+week|asap|as\s+soon\s+as\s+possible|noon|midday|after\s+work|lunch(?:time)?)\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)\b|\b\d{1,2}:\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\/\d{1,2}\b/i;

/** What people put before an answer: "ok cool 1186 Ponce de Leon Ave", "great. weekday evenings", "np. next tuesday". */
const ACKNOWLEDGEMENT = String.raw`(?:ok(?:ay)?|k|kk|great|fine|cool|perfect|awesome|good(?!\s+(?:morning|afternoon|evening|night))|got\s+it|np|no\s+problem|sure|yes|yeah|yep|yup|alright|oh|ah|ugh|thanks?|thank\s+you|sounds\s+good)`;
export const ACKNOWLEDGEMENT_LEAD_IN = new RegExp(String.raw`^(?:${ACKNOWLEDGEMENT}\b[\s,.!-]*)+`, 'i');
const TIME_LEAD_IN = new RegExp(
  String.raw`^(?:(?:${ACKNOWLEDGEMENT}|no(?![\s,]+(?:rush|hurry))|nope|actually|sorry|hmm)\b[\s,.!-]*)*(?:(?:can\s+we\s+|could\s+you\s+|please\s+)?(?:make\s+it|make\s+that|change\s+(?:it|that|the\s+time)\s+to|let'?s\s+(?:do|say)|how\s+about|instead)\s+)?`,
  'i',
);
const TIME_TAIL_WORD = /\b(?:instead|please|if\s+(?:that'?s|it'?s)\s+ok(?:ay)?)$/i;

/** The time as the customer put it, without the "no, make it … instead" around it. */
export function timePhrase(text: string): string {
  const untailed = trimEndMatching(text.trim().replace(TIME_LEAD_IN, ''), /[\s.!?]/).replace(TIME_TAIL_WORD, '');
  const phrase = trimEndMatching(untailed, /[\s,]/).trim();
  return (phrase || text.trim()).slice(0, 120);
}

/** Values the message volunteers for any field, from the engine's entities. */
export function volunteered(analysis: AnalysisResult, cfg: DialogConfig): Partial<Record<CollectField, string>> {
  const e = analysis.entities;
  const found: Partial<Record<CollectField, string>> = {};
  const email = e.emails.find(validEmail);
  if (email) found.email = email;
  if (e.phones[0]) found.phone = e.phones[0];
  if (e.person_name) found.name = titleCase(e.person_name);
  if (e.address) found.address = e.address;
  const service =
    serviceFromEngineId(e.project_type, cfg) ??
    (analysis.intent_confidence >= cfg.confidenceThreshold ? serviceFromEngineId(analysis.intent, cfg) : null);
  if (service) found.service = service;
  return found;
}

/** Reads the customer's answer to the question just asked. */
export function readAnswer(slot: Slot, text: string, analysis: AnalysisResult, cfg: DialogConfig): SlotReading {
  const t = text.trim();
  if (slot !== CONTACT && OPTIONAL.has(slot) && declines(t)) return { ok: 'declined' };
  switch (slot) {
    case 'name': {
      const name =
        analysis.entities.person_name && recogniseAct(t) === null
          ? titleCase(analysis.entities.person_name)
          : readName(t);
      return name
        ? { ok: true, field: 'name', value: name }
        : { ok: false, reason: "Sorry, I didn't catch your name." };
    }
    case 'email':
    case 'phone':
    case CONTACT: {
      const email = analysis.entities.emails.find(validEmail) ?? extractEmails(t).find(validEmail);
      if (email && slot !== 'phone') return { ok: true, field: 'email', value: email };
      const phone = analysis.entities.phones[0] ?? (/\d{3}/.test(t) ? validPhone(t.replace(/^[^+\d(]+/, '')) : null);
      if (phone && slot !== 'email') return { ok: true, field: 'phone', value: phone };
      if (t.includes('@') && slot !== 'phone')
        return {
          ok: false,
          reason: "That e-mail address doesn't look complete — could you check it? (something like name@example.com)",
        };
      if (/\d{3}/.test(t) && slot !== 'email')
        return { ok: false, reason: "I couldn't read that as a phone number — could you type it with the area code?" };
      return {
        ok: false,
        reason:
          slot === 'phone'
            ? "I didn't catch a phone number."
            : slot === 'email'
              ? "I didn't catch an e-mail address."
              : "I didn't catch a phone number or e-mail.",
      };
    }
    case 'service': {
      const service =
        matchService(t, cfg.services) ??
        serviceFromEngineId(analysis.entities.project_type, cfg) ??
        (cfg.services.length === 0 && t.length >= 3 ? t : null);
      return service
        ? { ok: true, field: 'service', value: service }
        : { ok: false, reason: `Sorry, I couldn't match that to one of our services (${cfg.services.join(', ')}).` };
    }
    case 'address': {
      const address =
        analysis.entities.address ??
        // A number and words, but not an e-mail or a phone number given instead ("wrong number, use …").
        (/\d/.test(t) &&
        /\p{L}{3,}/u.test(t) &&
        t.split(/\s+/).length >= 2 &&
        !t.includes('@') &&
        extractPhones(t, 'US').length === 0
          ? trimEndMatching(t.replace(ACKNOWLEDGEMENT_LEAD_IN, ''), /[.!]/)
          : null);
      return address
        ? { ok: true, field: 'address', value: address }
        : { ok: false, reason: "I couldn't read that as an address — a street and number is what we need." };
    }
    case 'preferred_time':
      return TIME_WORDS.test(t) || analysis.entities.dates.length > 0
        ? { ok: true, field: 'preferred_time', value: timePhrase(t) }
        : { ok: false, reason: 'Could you give me a day or a time of day?' };
  }
}

/** Whether a failed answer was still an attempt at the field (a mistyped e-mail), not something else entirely. */
export function looksLikeAttempt(slot: Slot, text: string): boolean {
  if (slot === CONTACT || slot === 'email' || slot === 'phone') return text.includes('@') || /\d{3}/.test(text);
  if (slot === 'address') return /\d/.test(text);
  return false;
}
