import twilio from 'twilio';

/** Spec C's TwiML answers, built with Twilio's SDK so escaping and shape are Twilio's own. */

/** `<Response><Message>…</Message></Response>`, or an empty `<Response/>` when nothing is to be said. */
export function messagingTwiml(reply: string | undefined): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}
