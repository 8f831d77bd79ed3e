import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';

/**
 * The XML answers of spec B's call webhooks. Exotel's ExoML is TwiML-shaped (`<Response>`,
 * `<Say>`, `<Gather>`, `<Dial>`, `<Hangup>`), so Twilio's builder writes both vendors' answers
 * with one escaping.
 */

/** The query the next turn posts back with, so it names the business (and the campaign call) again. */
export const queryOf = (request: FastifyRequest) =>
  request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';

/** A campaign call's turn: words, then listening for the callee's answer at `action`. */
export function listen(say: string, action: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.gather({ input: ['speech'], action, method: 'POST', speechTimeout: 'auto' }).say(say);
  return response.toString();
}

/** An empty `<Response/>`: the acknowledgement of a status callback. */
export const emptyResponse = () => new twilio.twiml.VoiceResponse().toString();
