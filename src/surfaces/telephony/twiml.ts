import twilio from 'twilio';
import type { VoiceStep } from '../../domain/inbound/index.js';

/** Spec C's TwiML answers, built with Twilio's SDK so escaping and shape are Twilio's own. */

/** `<Response><Message>…</Message></Response>`, or an empty `<Response/>` when nothing is to be said. */
export function messagingTwiml(reply: string | undefined): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}

/**
 * `<Say>` then `<Gather input="speech">` posting to `path` with the step's listening query added to
 * `query` (also when nothing was heard, so silence comes back to us), `<Say>` then `<Hangup>`, or
 * `<Say>` then `<Dial>` for a transfer.
 */
export function voiceTwiml(step: VoiceStep, path: string, query: Record<string, unknown>): string {
  const response = new twilio.twiml.VoiceResponse();
  switch (step.kind) {
    case 'transfer':
      response.say(step.say);
      response.dial(step.to);
      break;
    case 'hang_up':
      response.say(step.say);
      response.hangup();
      break;
    case 'say_and_listen': {
      const action = `${path}?${actionQuery(query, step.listen)}`;
      const gather = response.gather({
        input: ['speech'],
        action,
        method: 'POST',
        speechTimeout: 'auto',
        actionOnEmptyResult: true,
      });
      gather.say(step.say);
      break;
    }
  }
  return response.toString();
}

/** The query Twilio called with (the business it named), the listening marks replaced by the step's. */
function actionQuery(
  query: Record<string, unknown>,
  listen: Extract<VoiceStep, { kind: 'say_and_listen' }>['listen'],
): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'gathered' || key === 'silences') continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) if (typeof v === 'string') out.append(key, v);
  }
  out.set('gathered', listen.gathered);
  if (listen.silences !== undefined) out.set('silences', listen.silences);
  return out.toString();
}

/** The owner's line: today's summary, then tomorrow's schedule, each in its own `<Say>`, then goodbye. */
export function ownerVoiceTwiml(today: string, tomorrow: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(today);
  response.say(tomorrow);
  response.say('That is all for now. Goodbye!');
  response.hangup();
  return response.toString();
}
