import twilio from 'twilio';
import { z } from 'zod';
import { header, type Headers, type SignatureCheck } from './channel.js';

/**
 * Twilio's webhooks (SMS and voice): a form body signed in `X-Twilio-Signature` with the account's
 * auth token over the URL Twilio called and the sorted form fields. The check is the SDK's own
 * `validateRequest`, which also tries the URL with and without its port as Twilio may sign either.
 */

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The form fields as Twilio sent them (read for the signature, nothing trusted yet). */
export function twilioForm(rawBody: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
}

export function verifyTwilioSignature(
  authToken: string,
  headers: Headers,
  url: string,
  form: Record<string, string>,
): SignatureCheck {
  const signature = header(headers, TWILIO_SIGNATURE_HEADER);
  if (!signature) return { ok: false, reason: 'missing_signature' };
  return twilio.validateRequest(authToken, signature, url, form)
    ? { ok: true }
    : { ok: false, reason: 'signature_mismatch' };
}

const sid = (pattern: RegExp, what: string) => z.string().regex(pattern, `must be a Twilio ${what} SID`);

/** An inbound SMS as Twilio posts it (the fields we act on; Twilio sends more). */
export const twilioSmsSchema = z.looseObject({
  MessageSid: sid(/^(SM|MM)[0-9a-fA-F]{32}$/, 'message (SM… or MM…)'),
  AccountSid: sid(/^AC[0-9a-fA-F]{32}$/, 'account (AC…)'),
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().max(1600).default(''),
});
export type TwilioSms = z.infer<typeof twilioSmsSchema>;

/** A voice webhook as Twilio posts it: the call's first request, then each `<Gather>` result. */
export const twilioVoiceSchema = z.looseObject({
  CallSid: sid(/^CA[0-9a-fA-F]{32}$/, 'call (CA…)'),
  AccountSid: sid(/^AC[0-9a-fA-F]{32}$/, 'account (AC…)'),
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  /** What the caller said, when a `<Gather input="speech">` posts back. */
  SpeechResult: z.string().max(4000).optional(),
});
export type TwilioVoice = z.infer<typeof twilioVoiceSchema>;
