import type { DataMode } from '../actor.js';
import type { ConversationState } from '../../engine/dialog/dialog.js';
import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Channel, InboxService } from '../conversations/index.js';
import { AppError, notFound } from '../errors.js';
import { normalisePhone } from '../identity/index.js';
import type { Session, SessionsService } from '../sessions/index.js';
import type { Heard, SpokenReply, VoiceSpeech } from './speech.js';

/** Voice calls and the site's widget: the two channels that talk in sessions a caller starts, feeds and ends. */
export type SessionChannel = Extract<Channel, 'voice' | 'web'>;

export interface StartSessionInput {
  channel: SessionChannel;
  /** `test` under a test key: the session's conversation, messages and lead are test rows. */
  mode: DataMode;
  callerPhone?: string | undefined;
  providerCallId?: string | undefined;
  leadSource?: string | undefined;
}

/** What the caller said: text, or a WAV recording turned into text when no text came with it. */
export interface CallerInput {
  text?: string | undefined;
  audio?: Buffer | undefined;
}

export interface SessionTurn {
  sessionId: string;
  replyText: string;
  state: ConversationState;
  /** The conversation's status (`active`, `waiting_agent`, …). */
  conversationStatus: string;
  /** Spoken on voice sessions; web sessions answer in text. */
  speech: SpokenReply;
}

/** The greeting a new call opens with, in the tenant's dialog settings. */
export type Greeter = (tenantId: string) => Promise<{ text: string; state: ConversationState }>;

export interface VoiceSessionsService {
  start(tenantId: string, input: StartSessionInput): Promise<{ sessionId: string }>;
  /** Starts a call and answers its greeting (spec C's provider-agnostic inbound call). */
  answer(tenantId: string, input: Omit<StartSessionInput, 'channel'>): Promise<SessionTurn>;
  /** One turn of the caller's: the same conversation core chat uses, in the session's one conversation. */
  input(tenantId: string, channel: SessionChannel, sessionId: string, input: CallerInput): Promise<SessionTurn>;
  end(tenantId: string, channel: SessionChannel, sessionId: string): Promise<{ sessionId: string }>;
}

export interface VoiceSessionsDeps {
  clock: Clock;
  sessions: Pick<SessionsService, 'create' | 'get' | 'requireActive' | 'end'>;
  inbox: Pick<InboxService, 'chat'>;
  speech: VoiceSpeech;
  greet: Greeter;
}

/** Calls rarely pause for long, but a widget visitor reads; both end explicitly when they can. */
const TIMEOUT_MINUTES: Record<SessionChannel, number> = { voice: 60, web: 30 };

const TEXT_ONLY: SpokenReply = { wav: null, unavailable: 'web sessions answer in text' };

const stored = (s: Session, key: string): string | undefined =>
  typeof s.context[key] === 'string' ? s.context[key] : undefined;

/** A session of another channel is not one this caller can reach: it answers as unknown. */
function onChannel(s: Session, channel: SessionChannel): Session {
  if (s.channel !== channel) throw notFound('session', s.id);
  return s;
}

/** The caller's words: their text, else what the tenant's speech-to-text heard in their recording. */
async function heard(
  deps: VoiceSessionsDeps,
  tenantId: string,
  input: CallerInput,
): Promise<{ text: string; transcript?: Heard }> {
  const text = input.text?.trim();
  if (text) return { text };
  if (!input.audio)
    throw new AppError('VALIDATION', 'Send the caller’s words as text or audio', {
      fields: [{ field: 'text', issue: 'text or audio is required', type: 'missing' }],
    });
  const transcript = await deps.speech.transcribe(tenantId, input.audio);
  if (!transcript.text)
    throw new AppError('VALIDATION', 'No speech was recognised in the audio', {
      fields: [{ field: 'audio', issue: 'no speech was recognised', type: 'value_error' }],
    });
  return { text: transcript.text, transcript };
}

async function start(deps: VoiceSessionsDeps, tenantId: string, input: StartSessionInput) {
  const phone = input.callerPhone?.trim() || undefined;
  const { session } = await deps.sessions.create(tenantId, {
    channel: input.channel,
    userId: phone ? (normalisePhone(phone) ?? phone) : undefined,
    timeoutMinutes: TIMEOUT_MINUTES[input.channel],
    enableContextPersistence: true,
    mode: input.mode,
    // The conversation is named now, so every turn of the session lands in it, whichever process serves it.
    initialContext: {
      conversation_id: newId('conv'),
      ...(phone ? { caller_phone: phone } : {}),
      ...(input.providerCallId ? { provider_call_id: input.providerCallId } : {}),
      ...(input.leadSource ? { lead_source: input.leadSource } : {}),
    },
  });
  return { sessionId: session.id };
}

async function input(
  deps: VoiceSessionsDeps,
  tenantId: string,
  channel: SessionChannel,
  sessionId: string,
  caller: CallerInput,
): Promise<SessionTurn> {
  const session = onChannel(await deps.sessions.requireActive(tenantId, sessionId), channel);
  const { text, transcript } = await heard(deps, tenantId, caller);
  const phone = stored(session, 'caller_phone');
  // One contact per person: a caller is known by their phone, a widget visitor by the session.
  const platformUserId = phone ? (normalisePhone(phone) ?? phone) : session.id;
  const turn = await deps.inbox.chat(
    tenantId,
    {
      channel,
      externalMessageId: newId('msg'),
      platformUserId,
      text,
      ...(phone ? { phone } : {}),
      receivedAt: deps.clock.now(),
      context: { session_id: session.id, ...(transcript ? { transcript } : {}) },
    },
    {
      conversationId: stored(session, 'conversation_id'),
      sessionId: session.id,
      userId: platformUserId,
      contentType: transcript ? 'audio' : 'text',
      mode: session.mode,
    },
  );
  const replyText = turn.reply?.text ?? '';
  return {
    sessionId: session.id,
    replyText,
    state: turn.state,
    conversationStatus: turn.conversationStatus,
    speech: channel === 'voice' ? await deps.speech.speak(tenantId, replyText) : TEXT_ONLY,
  };
}

/** Voice and widget sessions over the chat sessions store and the conversation core. */
export function createVoiceSessionsService(deps: VoiceSessionsDeps): VoiceSessionsService {
  return {
    start: (tenantId, startInput) => start(deps, tenantId, startInput),

    async answer(tenantId, call) {
      const { sessionId } = await start(deps, tenantId, { ...call, channel: 'voice' });
      const greeting = await deps.greet(tenantId);
      return {
        sessionId,
        replyText: greeting.text,
        state: greeting.state,
        conversationStatus: 'active',
        speech: await deps.speech.speak(tenantId, greeting.text),
      };
    },

    input: (tenantId, channel, sessionId, caller) => input(deps, tenantId, channel, sessionId, caller),

    async end(tenantId, channel, sessionId) {
      onChannel(await deps.sessions.get(tenantId, sessionId), channel);
      await deps.sessions.end(tenantId, sessionId);
      return { sessionId };
    },
  };
}
