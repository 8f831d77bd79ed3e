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

/**
 * Twilio's voice webhook (spec C `POST /twilio/voice`): the call's first request is greeted, then
 * each `<Gather input="speech">` result is the caller's words through the conversation core on
 * channel `voice`. A caller who asks for a person is put through to the tenant's transfer number
 * (`channels.twilio.transfer_number`) when it has one.
 */

/** What the call hears next: words, then another turn of listening, or a transfer. */
export type VoiceStep =
  | { kind: 'say_and_listen'; tenantId: string; say: string }
  | { kind: 'transfer'; tenantId: string; say: string; to: string };

export interface TwilioVoicePorts extends TwilioRequestPorts {
  tenants: Pick<TenantsService, 'getConfigWithSecrets' | 'statusOf' | 'get'>;
  inbox: ConversationInbox;
}

export interface TwilioVoiceService {
  receive(hook: TwilioHook): Promise<VoiceStep>;
}

const DEFAULT_GREETING = 'Hello! How can I help you today?';
const NOT_HEARD = "Sorry, I didn't catch that. Could you say it again?";
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

async function answerCall(
  ports: TwilioVoicePorts,
  hook: TwilioHook,
  { tenantId, settings, form }: VerifiedTwilioRequest<z.infer<typeof twilioVoiceSchema>>,
): Promise<VoiceStep> {
  const speech = form.SpeechResult?.trim();
  if (speech === undefined) {
    const tenant = await ports.tenants.get(tenantId);
    return { kind: 'say_and_listen', tenantId, say: tenant.config.chatbot?.default_greeting ?? DEFAULT_GREETING };
  }
  if (speech === '') return { kind: 'say_and_listen', tenantId, say: NOT_HEARD };
  if (settings?.transfer_number && asksForPerson(speech))
    return { kind: 'transfer', tenantId, say: 'Connecting you now.', to: settings.transfer_number };
  const phone = normalisePhone(form.From) ?? form.From;
  const result = await ports.inbox.receive(tenantId, {
    channel: 'voice',
    externalMessageId: turnId(form.CallSid, speech),
    platformUserId: phone,
    phone,
    text: speech,
    receivedAt: hook.receivedAt,
    context: { call_sid: form.CallSid, to: form.To },
  });
  return { kind: 'say_and_listen', tenantId, say: result.reply?.text ?? NOT_HEARD };
}

export function createTwilioVoiceService(ports: TwilioVoicePorts): TwilioVoiceService {
  return {
    receive: (hook) =>
      handleTwilioRequest(ports, hook, twilioVoiceSchema, 'voice', (request) => answerCall(ports, hook, request)),
  };
}
