import { z } from 'zod';

/** A base64 string whose bytes start as a WAV file does (RIFF…WAVE). */
function isBase64Wav(value: string): boolean {
  const head = Buffer.from(value.slice(0, 16), 'base64');
  return head.toString('ascii', 0, 4) === 'RIFF' && head.toString('ascii', 8, 12) === 'WAVE';
}

const audio = z
  .base64()
  .max(14_000_000)
  .refine(isBase64Wav, 'must be a base64-encoded WAV file')
  .describe('The caller’s speech as a base64 WAV file, any sample rate; transcribed when no `text` is sent');
const text = z.string().max(4000).describe('What the caller said, as text; wins over `audio` when both are sent');

export const sessionParams = z.object({ session_id: z.string().min(1).max(100) });

export const startSessionBody = z
  .object({
    caller_phone: z.string().max(64).optional().describe('The caller’s number: one contact per person per tenant'),
    provider_call_id: z.string().max(200).optional(),
    lead_source: z.string().max(200).optional(),
  })
  .meta({ examples: [{ caller_phone: '555-0000', provider_call_id: 'CA123', lead_source: 'google_ads' }] })
  // A widget may start a session with no body at all.
  .nullish();
export type StartSessionBody = z.infer<typeof startSessionBody>;

const callerWords = { text: text.optional(), audio: audio.optional() };
const needsWords = (b: { text?: string | undefined; audio?: string | undefined }) =>
  Boolean(b.text?.trim()) || b.audio !== undefined;
const wordsMissing = { message: 'send `text` or `audio`', path: ['text'] };

export const sessionInputBody = z
  .object(callerWords)
  .refine(needsWords, wordsMissing)
  .meta({
    examples: [{ text: 'John Smith' }, { audio: 'UklGRi4AAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQoAAAA=' }],
  });

export const telephonyAudioBody = z
  .object({ session_id: z.string().min(1).max(100), ...callerWords })
  .refine(needsWords, wordsMissing)
  .meta({ examples: [{ session_id: 'sess_01JEXAMPLE', text: 'I need a plumber tomorrow morning' }] });

export const telephonyEndBody = z
  .object({ session_id: z.string().min(1).max(100) })
  .meta({ examples: [{ session_id: 'sess_01JEXAMPLE' }] });

export const startedResponse = z.object({ session_id: z.string() });

export const turnResponse = z.object({
  reply_text: z.string().describe('The assistant’s answer; empty while a person has the conversation'),
  session_state: z.object({
    conversation_stage: z.string(),
    current_intent: z.string().nullable(),
    next_expected_input: z.string().nullable(),
    entities: z.record(z.string(), z.unknown()),
    collected: z.record(z.string(), z.string()),
    conversation_status: z.string(),
  }),
  audio: z.string().nullable().describe('The reply spoken, as a base64 WAV file; null when it could not be spoken'),
  audio_unavailable_reason: z
    .string()
    .nullable()
    .describe('Why `audio` is null (web sessions answer in text, no voice installed, the vendor failed); else null'),
});

export const inboundResponse = turnResponse.extend({ session_id: z.string() });

export const endedResponse = z.object({ status: z.string().describe('`ended:<session_id>`') });

/** Spec C's error body: `{detail}` (a list of field problems on 422) beside the request id. */
const errorBody = z
  .object({
    detail: z.union([
      z.string(),
      z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
    ]),
    request_id: z.string(),
  })
  .meta({ id: 'TelephonyError' });

/** The errors every session route can answer: no or a wrong credential, another tenant's or an unknown session, bad input. */
export const sessionErrors = {
  401: errorBody.describe('No credential, or one that is not valid'),
  403: errorBody.describe('A credential this route does not take, or X-Business-ID naming another tenant'),
  404: errorBody.describe('No such session in this tenant on this channel'),
  410: errorBody.describe('The session has ended or expired'),
  413: errorBody.describe('The body is larger than the server accepts'),
  415: errorBody.describe('The body is not JSON'),
  422: errorBody.describe('The body or path is not valid'),
  500: errorBody.describe('Something failed on our side'),
  503: errorBody.describe('The database cannot take writes now; try again later'),
};

/** Routes that take audio can also find a failing transcriber (502), or none at all (503). */
export const audioErrors = {
  ...sessionErrors,
  502: errorBody.describe('The speech-to-text provider failed'),
  503: errorBody.describe(
    'No speech-to-text provider is configured or installed, or the database cannot take writes now',
  ),
};
