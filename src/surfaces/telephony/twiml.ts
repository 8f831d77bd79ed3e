import twilio from 'twilio';
import type { VoiceStep } from '../../domain/inbound/index.js';

/** Spec C's TwiML answers, built with Twilio's SDK so escaping and shape are Twilio's own. */

/** `<Response><Message>…</Message></Response>`, or an empty `<Response/>` when nothing is to be said. */
export function messagingTwiml(reply: string | undefined): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}

/** `<Say>` then `<Gather input="speech">` posting to `action`, or `<Say>` then `<Dial>` for a transfer. */
export function voiceTwiml(step: VoiceStep, action: string): string {
  const response = new twilio.twiml.VoiceResponse();
  if (step.kind === 'transfer') {
    response.say(step.say);
    response.dial(step.to);
    return response.toString();
  }
  const gather = response.gather({ input: ['speech'], action, method: 'POST', speechTimeout: 'auto' });
  gather.say(step.say);
  return response.toString();
}
