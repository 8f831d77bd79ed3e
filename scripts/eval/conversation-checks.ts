import { z } from 'zod';
import {
  COLLECT_FIELDS,
  type CollectField,
  type DialogAction,
  type DialogTurn,
} from '../../src/engine/dialog/dialog.js';

/**
 * The checklist a scripted conversation is judged on. Each script declares the checks that
 * apply; each check reads only the turns, the actions and the script's expectations, so the
 * checks say what a customer expects rather than how the engine gets there.
 */

export const CHECKS = [
  /** The original scripts' exact outcome: stage, action sequence and reply phrases. */
  'outcome',
  'no_repeat',
  'details',
  'urgency',
  'faq',
  'handoff',
  'booking_time',
  'no_error',
] as const;
export type Check = (typeof CHECKS)[number];

const fieldSchema = z.enum(COLLECT_FIELDS);

export const checkExpectationsSchema = {
  /** Customer turns (from 1) where asking the same question again is right (a non-answer, a correction). */
  reask: z.array(z.number().int().min(1)).default([]),
  /** The turn where a field was first said, when its delivered value is not the customer's words (a time). */
  given: z.partialRecord(fieldSchema, z.number().int().min(1)).optional(),
  /** Exact values the business receives, compared without case, spacing or punctuation (phones by digits). */
  captured: z.partialRecord(fieldSchema, z.string()).optional(),
  /** Fields the customer declined: never delivered. */
  declined: z.array(fieldSchema).optional(),
  /** The requested slot, read in the tenant's time zone: a date prefix (YYYY-MM[-DD]), a time, a part of day. */
  booking: z
    .strictObject({
      date: z
        .string()
        .regex(/^\d{4}-\d{2}(-\d{2})?$/)
        .optional(),
      time: z
        .string()
        .regex(/^\d{2}:\d{2}$/)
        .optional(),
      part: z.enum(['morning', 'afternoon', 'evening']).optional(),
      asap: z.boolean().optional(),
    })
    .optional(),
  /** Answers expected at given turns; a slot question pending before such a turn must be pending after it. */
  faq: z.array(z.strictObject({ turn: z.number().int().min(1), contains: z.string() })).optional(),
  handoff: z
    .strictObject({
      expected: z.boolean(),
      reason: z.enum(['requested', 'low_confidence', 'negative_sentiment', 'escalation_trigger']).optional(),
      /** Not a customer: the conversation ends closed, with no lead. */
      closes: z.boolean().optional(),
    })
    .optional(),
  /** An emergency takes the tenant's emergency path (a person, its on-call number), never "tomorrow". */
  urgency: z.strictObject({ emergency: z.boolean(), contains: z.string().optional() }).optional(),
};

export interface CheckExpectations {
  reask: number[];
  given?: Partial<Record<CollectField, number>> | undefined;
  captured?: Partial<Record<CollectField, string>> | undefined;
  declined?: CollectField[] | undefined;
  booking?: {
    date?: string | undefined;
    time?: string | undefined;
    part?: string | undefined;
    asap?: boolean | undefined;
  };
  faq?: { turn: number; contains: string }[] | undefined;
  handoff?: { expected: boolean; reason?: string | undefined; closes?: boolean | undefined } | undefined;
  urgency?: { emergency: boolean; contains?: string | undefined } | undefined;
}

export interface PlayedConversation {
  timezone: string;
  fallbackResponse: string;
  texts: string[];
  greeting: DialogTurn;
  turns: DialogTurn[];
  actions: DialogAction[];
  error?: string;
}

/** The slot a request_appointment carries, read structurally so a missing one fails the check rather than the build. */
interface SlotLike {
  start?: string | null;
  asap?: boolean;
}

const SLOT_QUESTIONS = new Set<string>([...COLLECT_FIELDS, 'contact']);

function normalise(field: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (field === 'phone') {
    const digits = value.replace(/\D/g, '');
    return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  }
  return value.toLowerCase().replace(/[.,!]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** What reached the business: the fields of every action in order, later ones winning; the state if nothing did. */
function delivered(run: PlayedConversation): Partial<Record<CollectField, string>> {
  if (run.actions.length === 0) return run.turns.at(-1)?.state.collected ?? {};
  const fields: Partial<Record<CollectField, string>> = {};
  for (const action of run.actions) {
    Object.assign(fields, action.type === 'handoff' ? action.briefing.customer : action.fields);
  }
  return fields;
}

function replyAt(run: PlayedConversation, turn: number): string {
  return (turn === 0 ? run.greeting : run.turns[turn - 1])?.reply ?? '';
}

/**
 * A question is repeated when it is asked for something the customer already said, or asked
 * again right after a message that gave nothing new (the answer was not understood).
 */
function checkNoRepeat(run: PlayedConversation, exp: CheckExpectations): string[] {
  const failures: string[] = [];
  const exempt = new Set([...exp.reask, ...(exp.faq ?? []).map((f) => f.turn)]);
  const givenAt = new Map<string, number>(Object.entries(exp.given ?? {}));
  for (const [field, value] of Object.entries(exp.captured ?? {})) {
    const at = run.texts.findIndex((text) => normalise(field, text).includes(normalise(field, value)));
    if (at >= 0 && !givenAt.has(field)) givenAt.set(field, at + 1);
  }
  let previous = run.greeting.state;
  run.turns.forEach((turn, i) => {
    const n = i + 1;
    const asked = turn.state.next_expected_input;
    if (asked && SLOT_QUESTIONS.has(asked) && !exempt.has(n)) {
      const learned = JSON.stringify(turn.state.collected) !== JSON.stringify(previous.collected);
      if ((givenAt.get(asked) ?? Infinity) <= n) failures.push(`turn ${n} asks for ${asked}, already given`);
      else if (asked === previous.next_expected_input && !learned) failures.push(`turn ${n} asks for ${asked} again`);
    }
    previous = turn.state;
  });
  return failures;
}

function checkDetails(run: PlayedConversation, exp: CheckExpectations): string[] {
  const failures: string[] = [];
  if (run.actions.length === 0) failures.push('nothing reached the business');
  const got = delivered(run);
  for (const [field, value] of Object.entries(exp.captured ?? {})) {
    const actual = got[field as CollectField];
    if (normalise(field, actual) !== normalise(field, value))
      failures.push(`${field} = ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
  }
  for (const field of exp.declined ?? []) {
    if (got[field]) failures.push(`${field} declined but delivered as ${JSON.stringify(got[field])}`);
  }
  return failures;
}

function localParts(iso: string, timezone: string): { date: string; time: string; hour: number } | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
    hour: Number(part('hour')),
  };
}

const PARTS_OF_DAY: Record<string, [number, number]> = { morning: [5, 12], afternoon: [12, 17], evening: [17, 23] };

function checkBookingTime(run: PlayedConversation, exp: CheckExpectations): string[] {
  const booking = exp.booking ?? {};
  const appointment = run.actions.filter((a) => a.type === 'request_appointment').at(-1);
  if (!appointment) return ['no appointment requested'];
  const slot = (appointment as { slot?: SlotLike }).slot;
  if (!slot) return ['the appointment carries no requested slot'];
  const failures: string[] = [];
  if (booking.asap !== undefined && Boolean(slot.asap) !== booking.asap)
    failures.push(`asap ${String(Boolean(slot.asap))}, expected ${String(booking.asap)}`);
  if (!booking.date && !booking.time && !booking.part) return failures;
  const local = slot.start ? localParts(slot.start, run.timezone) : null;
  if (!local) return [...failures, `slot start ${JSON.stringify(slot.start)} is not an instant`];
  if (booking.date && !local.date.startsWith(booking.date))
    failures.push(`slot on ${local.date}, expected ${booking.date}`);
  if (booking.time && local.time !== booking.time) failures.push(`slot at ${local.time}, expected ${booking.time}`);
  const range = booking.part ? PARTS_OF_DAY[booking.part] : undefined;
  if (range && (local.hour < range[0] || local.hour >= range[1]))
    failures.push(`slot at ${local.time}, expected the ${booking.part ?? ''}`);
  return failures;
}

function checkFaq(run: PlayedConversation, exp: CheckExpectations): string[] {
  const failures: string[] = [];
  for (const { turn, contains } of exp.faq ?? []) {
    const reply = replyAt(run, turn);
    if (!reply.toLowerCase().includes(contains.toLowerCase()))
      failures.push(`reply ${turn} ${JSON.stringify(reply)} lacks ${JSON.stringify(contains)}`);
    const pending = (turn === 1 ? run.greeting : run.turns[turn - 2])?.state.next_expected_input;
    const after = run.turns[turn - 1]?.state.next_expected_input;
    if (pending && SLOT_QUESTIONS.has(pending) && after !== pending)
      failures.push(`turn ${turn} drops the pending ${pending} question (now ${after ?? 'none'})`);
  }
  return failures;
}

function checkHandoff(run: PlayedConversation, exp: CheckExpectations): string[] {
  const expected = exp.handoff ?? { expected: false };
  const handoffs = run.actions.flatMap((a) => (a.type === 'handoff' ? [a] : []));
  const stage = run.turns.at(-1)?.state.conversation_stage;
  const failures: string[] = [];
  if (expected.expected) {
    if (handoffs.length === 0) failures.push('no handoff');
    else if (expected.reason && !handoffs.some((h) => h.briefing.reason === expected.reason))
      failures.push(`handoff reason ${handoffs.map((h) => h.briefing.reason).join(',')}, expected ${expected.reason}`);
  } else if (handoffs.length > 0 || stage === 'handed_off') {
    failures.push(`handed off (${handoffs.map((h) => h.briefing.reason).join(',') || stage})`);
  }
  if (expected.closes) {
    if (stage !== 'closed') failures.push(`stage ${stage ?? 'none'}, expected closed`);
    if (run.actions.some((a) => a.type !== 'handoff')) failures.push('a lead was created');
  }
  return failures;
}

const NOT_NOW = ['tomorrow', 'we open', 'next business day'];

function checkUrgency(run: PlayedConversation, exp: CheckExpectations): string[] {
  const urgency = exp.urgency ?? { emergency: false };
  const replies = run.turns.map((t) => t.reply.toLowerCase());
  const failures: string[] = [];
  const handedOff = run.actions.some((a) => a.type === 'handoff');
  if (urgency.emergency) {
    if (!handedOff) failures.push('the emergency reached no person');
    const promise = replies.find((r) => NOT_NOW.some((p) => r.includes(p)));
    if (promise) failures.push(`an emergency is told ${JSON.stringify(promise)}`);
    if (urgency.contains && !replies.some((r) => r.includes(urgency.contains!.toLowerCase())))
      failures.push(`no reply gives ${urgency.contains}`);
    return failures;
  }
  if (handedOff) failures.push('handed off as urgent');
  const appointment = run.actions.filter((a) => a.type === 'request_appointment').at(-1);
  if ((appointment as { slot?: SlotLike } | undefined)?.slot?.asap) failures.push('booked as soon as possible');
  return failures;
}

const BROKEN = /\b(undefined|null|NaN)\b|\[object /;

function checkNoError(run: PlayedConversation): string[] {
  const failures = run.error ? [`error: ${run.error}`] : [];
  run.turns.forEach((turn, i) => {
    const reply = turn.reply.trim();
    if (!reply) failures.push(`reply ${i + 1} is empty`);
    else if (BROKEN.test(reply)) failures.push(`reply ${i + 1} ${JSON.stringify(reply)} shows a broken value`);
    else if (reply.startsWith(run.fallbackResponse)) failures.push(`reply ${i + 1} is the fallback`);
  });
  return failures;
}

export const CHECK_JUDGES: Record<
  Exclude<Check, 'outcome'>,
  (run: PlayedConversation, exp: CheckExpectations) => string[]
> = {
  no_repeat: checkNoRepeat,
  details: checkDetails,
  urgency: checkUrgency,
  faq: checkFaq,
  handoff: checkHandoff,
  booking_time: checkBookingTime,
  no_error: checkNoError,
};

/** Which expectation each check needs, to reject a script that declares a check it cannot be judged on. */
export const CHECK_NEEDS: Partial<Record<Check, keyof CheckExpectations | 'stage'>> = {
  outcome: 'stage',
  details: 'captured',
  urgency: 'urgency',
  faq: 'faq',
  handoff: 'handoff',
  booking_time: 'booking',
};
