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

/** Beyond what auth and validation imply: another tenant's or an unknown session, an ended one. */
export const sessionErrors = ['NOT_FOUND', 'GONE'] as const;
/** Routes that take audio can also find a failing transcriber, or none at all. */
export const audioErrors = [...sessionErrors, 'UPSTREAM', 'UNAVAILABLE'] as const;

/** A start body; the schema's own example is lost to `.nullish()` in the document. */
export const startSessionExample = { caller_phone: '555-0000', provider_call_id: 'CA123', lead_source: 'google_ads' };
