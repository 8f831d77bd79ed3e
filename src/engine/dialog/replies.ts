import { describeOpening, formatWeek, holidayOn, isOpen, nextOpening } from './business-hours.js';
import type { ConversationState, DialogConfig, HandoffBriefing } from './dialog.js';
import { phoneSpans } from '../entities/phones.js';
import { FIELD_LABELS } from './slots.js';
import { emergencyNotes } from './urgency.js';

/** The sentences the dialog drafts; promises about callbacks depend on whether the business is open. */

function firstName(state: ConversationState): string {
  return state.collected.name?.split(/\s+/)[0] ?? '';
}

/** When the business opens next, in words ("Monday at 9:00 AM"), or null when it is open or has no hours. */
export function reopening(cfg: DialogConfig, now: Date): string | null {
  if (isOpen(cfg.businessHours, cfg.timezone, now)) return null;
  const next = nextOpening(cfg.businessHours, cfg.timezone, now);
  return next ? describeOpening(next, cfg.timezone, now) : null;
}

/** What we promise about getting back to the customer: "shortly" when open, the next opening when closed. */
export function callbackPromise(cfg: DialogConfig, state: ConversationState, now: Date): string {
  const how = state.collected.phone ? 'call you' : state.collected.email ? 'e-mail you' : 'get back to you';
  if (isOpen(cfg.businessHours, cfg.timezone, now)) return `Someone from ${cfg.companyName} will ${how} shortly.`;
  const opens = reopening(cfg, now);
  return opens
    ? `We're closed right now; we open ${opens} and someone will ${how} then.`
    : `We're closed right now; someone will ${how} as soon as we're back.`;
}

export function greeting(cfg: DialogConfig, now: Date): string {
  if (isOpen(cfg.businessHours, cfg.timezone, now)) return cfg.greeting;
  const opens = reopening(cfg, now);
  const note =
    cfg.outOfHoursMessage ??
    (opens
      ? `We're closed right now (we open ${opens}), but I can take your details and someone will get back to you.`
      : "We're closed right now, but I can take your details.");
  return `${cfg.greeting} ${note}`;
}

export function hoursAnswer(cfg: DialogConfig, now: Date): string {
  if (!cfg.businessHours) return `${cfg.companyName} is available around the clock.`;
  const opens = reopening(cfg, now);
  const holiday = holidayOn(cfg.businessHours, cfg.timezone, now);
  const closed = holiday ? `We're closed today${holiday.name ? ` for ${holiday.name}` : ''}` : "We're closed right now";
  return `Our hours are ${formatWeek(cfg.businessHours)}. ${opens ? `${closed}; we open ${opens}.` : "We're open now."}`;
}

export function locationAnswer(cfg: DialogConfig): string {
  return cfg.address
    ? `You'll find us at ${cfg.address}.`
    : "I don't have our address to hand here, but someone from the team can tell you — would you like to talk to a person?";
}

/** A question asked mid-booking that the knowledge base has no answer for: said plainly, and left for the team. */
export function unansweredQuestion(): string {
  return "I don't have the answer to that one here; the team can answer it when they get in touch.";
}

export function summary(state: ConversationState): string {
  const lines = Object.entries(state.collected).map(
    ([field, value]) => `${FIELD_LABELS[field as keyof typeof FIELD_LABELS]}: ${value}`,
  );
  return `Here's what I have — ${lines.join('; ')}. Is that all correct?`;
}

export function completed(cfg: DialogConfig, state: ConversationState, now: Date): string {
  const name = firstName(state);
  return `Thank you${name ? `, ${name}` : ''}! You're all set. ${callbackPromise(cfg, state, now)}`;
}

const HANDOFF_OPENERS: Record<HandoffBriefing['reason'], string> = {
  requested: 'Of course.',
  low_confidence: "I'm sorry, I'm not getting this right.",
  negative_sentiment: "I'm really sorry about this.",
  escalation_trigger: 'Thanks for letting us know.',
  emergency: 'That sounds like an emergency.',
};

/** The sentence of the tenant's out-of-hours message or knowledge that gives its emergency number, if any. */
export function emergencyLine(cfg: DialogConfig): string | null {
  for (const text of emergencyNotes(cfg)) {
    const sentence = text.split(/(?<=[.!?])\s+/).find((s) => phoneSpans(s).length > 0 && !s.trim().endsWith('?'));
    if (sentence) return sentence.trim();
  }
  return null;
}

/**
 * The problem cannot wait: the tenant's emergency number and an alert to its team, never "tomorrow".
 * Open, the team on duty takes it; a life in danger is also pointed to the emergency services.
 */
export function emergencyHandoff(cfg: DialogConfig, open: boolean, lifeAtRisk: boolean): string {
  const line = emergencyLine(cfg);
  const call = cfg.onCallPhone
    ? ` Please call our on-call line now on ${cfg.onCallPhone}.`
    : line
      ? ` ${line.replace(/^yes[.,]?\s*/i, '')} Please call that number now.`
      : '';
  const services = lifeAtRisk ? ' If anyone is in danger, please call your local emergency number right away.' : '';
  const team = open
    ? " I'm passing you to a member of our team right now and have flagged this as urgent."
    : " I've also flagged this as urgent for our on-call team, who will pick up this conversation as soon as they can.";
  return `${HANDOFF_OPENERS.emergency}${services}${call}${team}`;
}

export function handoff(
  cfg: DialogConfig,
  reason: HandoffBriefing['reason'],
  state: ConversationState,
  now: Date,
  lifeAtRisk = false,
): string {
  const open = isOpen(cfg.businessHours, cfg.timezone, now);
  if (reason === 'emergency') return emergencyHandoff(cfg, open, lifeAtRisk);
  const opener = HANDOFF_OPENERS[reason];
  const reachable = Boolean(state.collected.phone ?? state.collected.email);
  if (open) {
    return `${opener} I'm passing you to a member of our team, who will take over this conversation shortly.`;
  }
  const opens = reopening(cfg, now);
  const when = opens
    ? `we open ${opens}, and a member of our team will pick this up then`
    : 'a member of our team will pick this up as soon as we are back';
  return `${opener} We're closed right now; ${when}.${reachable ? '' : ' If you leave a phone number or e-mail here, they can reach you.'}`;
}
