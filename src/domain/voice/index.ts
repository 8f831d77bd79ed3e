import type { Clock } from '../../lib/clock.js';
import type { InboxService } from '../conversations/index.js';
import type { SessionsService } from '../sessions/index.js';
import { createVoiceSpeech, type SpeechPorts, type VoiceSpeech } from './speech.js';
import { createVoiceSessionsService, type Greeter, type VoiceSessionsService } from './voice-sessions.service.js';

export type { SpokenReply, VoiceSpeech } from './speech.js';
export type {
  CallerInput,
  Greeter,
  SessionChannel,
  SessionTurn,
  StartSessionInput,
  VoiceSessionsService,
} from './voice-sessions.service.js';
export { textToSpeechSection, type TextToSpeechConfig } from './voice.config.js';

export interface VoiceModule {
  voiceSessions: VoiceSessionsService;
  /** Speech in and out for a tenant, also for what is spoken outside a session (the owner's audio summaries). */
  speech: VoiceSpeech;
}

/** Voice and widget sessions: speech in and out around the conversation core (the voice concept's one door). */
export function createVoiceModule(
  ports: SpeechPorts & {
    clock: Clock;
    sessions: Pick<SessionsService, 'create' | 'get' | 'requireActive' | 'end'>;
    inbox: Pick<InboxService, 'chat'>;
    greet: Greeter;
  },
): VoiceModule {
  const speech = createVoiceSpeech(ports);
  return {
    voiceSessions: createVoiceSessionsService({
      clock: ports.clock,
      sessions: ports.sessions,
      inbox: ports.inbox,
      greet: ports.greet,
      speech,
    }),
    speech,
  };
}
