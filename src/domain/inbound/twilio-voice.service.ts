import type { z } from 'zod';
import { createHash } from 'node:crypto';
import { twilioVoiceSchema } from '../../channels/twilio.js';
import type { ConversationInbox } from '../conversations/index.js';
import { normalisePhone } from '../identity/index.js';
import type { TenantsService } from '../tenants/index.js';
import {
  handleTwilioRequest,
  type TwilioHook,
  type TwilioRequestPorts,
  type VerifiedTwilioRequest,
} from './twilio-request.js';
import { firstValue } from './receive.js';

/**
 * Twilio's voice webhook (spec C `POST /twilio/voice`): the call's first request is greeted, then
 * each `<Gather input="speech">` result is the caller's words through the conversation core on
 * channel `voice`. A caller who asks for a person is put through to the tenant's transfer number
 * (`channels.twilio.transfer_number`) when it has one.
 */

/**
 * What the call hears next: words, then another turn of listening (whose `<Gather>` posts back
 * with `listen` added to the query), a polite goodbye, or a transfer.
 */
export type VoiceStep =
  | { kind: 'say_and_listen'; tenantId: string; say: string; listen: ListenQuery }
  | { kind: 'hang_up'; tenantId: string; say: string }
  | { kind: 'transfer'; tenantId: string; say: string; to: string };

/**
 * What a `<Gather>`'s action carries back, so that a post without speech can be told apart: a new
 * call has neither; `gathered` marks an answer to our listening, `silences` how many went unanswered.
 * Twilio signs the query with the rest of the URL, so a caller cannot forge it.
 */
export interface ListenQuery {
  gathered: '1';
  silences?: string;
}

export interface TwilioVoicePorts extends TwilioRequestPorts {
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf' | 'get'>;
  inbox: ConversationInbox;
}

export interface TwilioVoiceService {
  receive(hook: TwilioHook): Promise<VoiceStep>;
  /** The owner's line (`/twilio/owner-voice`): the tenant, once named and the signature checked as for `receive`. */
  owner(hook: TwilioHook): Promise<string>;
}

const DEFAULT_GREETING = 'Hello! How can I help you today?';
const NOT_HEARD = "Sorry, I didn't catch that. Could you say it again?";
const STILL_THERE = "Sorry, I didn't hear anything. Are you still there? Please tell me how I can help.";
const GOODBYE = "I still can't hear you, so I'll end the call now. Please call back any time. Goodbye!";
/** A second silence in a row ends the call. */
const SILENCES_ALLOWED = 1;
const MAX_CHARS = 300;
const PERSON = new Set(['person', 'human', 'agent', 'representative', 'operator', 'someone', 'somebody', 'staff']);
const ASK = new Set(['speak', 'talk', 'transfer', 'connect', 'put']);

/** "Can I talk to a person?", "operator", "representative please": a request for a human, read word by word. */
export function asksForPerson(speech: string): boolean {
  if (speech.length > MAX_CHARS) return false;
  const words = speech
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  const wantsPerson = words.some((w) => PERSON.has(w) || w === 'real');
  if (words.length <= 3) return wantsPerson;
  return wantsPerson && words.some((w) => ASK.has(w));
}

/** One id per thing said in a call: a retried webhook is the same turn, a new utterance a new one. */
const turnId = (callSid: string, speech: string) =>
  `${callSid}:${createHash('sha256').update(speech).digest('hex').slice(0, 16)}`;

/** One request of a call the conversation answers, whichever vendor carried it. */
export interface CallTurn {
  callSid: string;
  from: string;
  to?: string;
  speech?: string;
  /** The query the vendor called with: our listening marks ride on it. */
  query: Record<string, unknown>;
  receivedAt: Date;
  /** Where a caller who asks for a person is put through, when the tenant has such a number. */
  transferTo?: string;
}

/** The next step of an inbound call: a greeting, a silence handled, a transfer, or the conversation's reply. */
export async function answerVoiceTurn(
  ports: Pick<TwilioVoicePorts, 'tenants' | 'inbox'>,
  tenantId: string,
  turn: CallTurn,
): Promise<VoiceStep> {
  const speech = turn.speech?.trim();
  const heard: ListenQuery = { gathered: '1' };
  if (!speech) {
    if (firstValue(turn.query.gathered) === '1') return silence(tenantId, turn.query);
    const tenant = await ports.tenants.get(tenantId);
    const greeting = tenant.config.chatbot?.default_greeting ?? DEFAULT_GREETING;
    return { kind: 'say_and_listen', tenantId, say: greeting, listen: heard };
  }
  if (turn.transferTo && asksForPerson(speech))
    return { kind: 'transfer', tenantId, say: 'Connecting you now.', to: turn.transferTo };
  const phone = normalisePhone(turn.from) ?? turn.from;
  const result = await ports.inbox.receive(tenantId, {
    channel: 'voice',
    externalMessageId: turnId(turn.callSid, speech),
    platformUserId: phone,
    phone,
    text: speech,
    receivedAt: turn.receivedAt,
    context: { call_sid: turn.callSid, to: turn.to },
  });
  return { kind: 'say_and_listen', tenantId, say: result.reply?.text ?? NOT_HEARD, listen: heard };
}

function answerCall(
  ports: TwilioVoicePorts,
  hook: TwilioHook,
  { tenantId, settings, form }: VerifiedTwilioRequest<z.infer<typeof twilioVoiceSchema>>,
): Promise<VoiceStep> {
  return answerVoiceTurn(ports, tenantId, {
    callSid: form.CallSid,
    from: form.From,
    to: form.To,
    ...(form.SpeechResult === undefined ? {} : { speech: form.SpeechResult }),
    query: hook.query,
    receivedAt: hook.receivedAt,
    ...(settings?.transfer_number ? { transferTo: settings.transfer_number } : {}),
  });
}

/** A `<Gather>` that heard nothing: ask once more, then say goodbye. */
function silence(tenantId: string, query: Record<string, unknown>): VoiceStep {
  const before = Number(firstValue(query.silences) ?? 0);
  const silences = Number.isInteger(before) && before > 0 ? before + 1 : 1;
  if (silences > SILENCES_ALLOWED) return { kind: 'hang_up', tenantId, say: GOODBYE };
  return { kind: 'say_and_listen', tenantId, say: STILL_THERE, listen: { gathered: '1', silences: String(silences) } };
}

export function createTwilioVoiceService(ports: TwilioVoicePorts): TwilioVoiceService {
  return {
    receive: (hook) =>
      handleTwilioRequest(ports, hook, twilioVoiceSchema, 'voice', (request) => answerCall(ports, hook, request)),
    owner: (hook) =>
      handleTwilioRequest(ports, hook, twilioVoiceSchema, 'voice', ({ tenantId }) => Promise.resolve(tenantId)),
  };
}
