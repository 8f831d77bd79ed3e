import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TelephonyDeps } from './services.js';
import { modeOf, tenantOf } from '../../http/auth.js';
import { countVoiceSessionCall } from './voice-metrics.js';
import { endedSessionView, inboundCallView, sessionTurnView } from './views.js';
import {
  audioErrors,
  endedResponse,
  inboundResponse,
  sessionErrors,
  startSessionBody,
  startSessionExample,
  telephonyAudioBody,
  telephonyEndBody,
  turnResponse,
} from './voice-sessions.schemas.js';

const CALLS = { auth: { allow: ['tenant-key'] } } as const;
const tags = ['telephony: calls'];

/** Spec C's provider-agnostic call API: a new call answered with the greeting, its turns, its end; stored voice sessions. */
export function registerTelephonyCallRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { voiceSessions } = deps.services;
  const onResponse = countVoiceSessionCall(deps.metrics);

  app.post(
    '/telephony/inbound',
    {
      schema: {
        tags,
        summary: 'Answer a new call',
        description:
          'Starts a voice session for the call and answers the greeting turn, as text and as a base64 WAV. The caller becomes one contact of the tenant by `caller_phone`.',
        body: startSessionBody,
        response: { 200: inboundResponse },
        docs: { example: startSessionExample, errors: sessionErrors },
      },
      config: CALLS,
      onResponse,
    },
    async (request) => {
      const body = request.body ?? {};
      const turn = await voiceSessions.answer(tenantOf(request), {
        callerPhone: body.caller_phone,
        providerCallId: body.provider_call_id,
        leadSource: body.lead_source,
        mode: modeOf(request),
      });
      return inboundCallView(turn);
    },
  );

  app.post(
    '/telephony/audio',
    {
      schema: {
        tags,
        summary: 'Send the next turn of a call',
        description:
          'Runs one conversation turn of the call named by `session_id` on `text`, or on `audio` (a base64 WAV, any sample rate) transcribed by the tenant’s speech-to-text.',
        body: telephonyAudioBody,
        response: { 200: turnResponse },
        docs: { errors: audioErrors },
      },
      config: CALLS,
      onResponse,
    },
    async (request) => {
      const { session_id, text, audio } = request.body;
      const turn = await voiceSessions.input(tenantOf(request), 'voice', session_id, {
        text,
        audio: audio === undefined ? undefined : Buffer.from(audio, 'base64'),
      });
      return sessionTurnView(turn);
    },
  );

  app.post(
    '/telephony/end',
    {
      schema: {
        tags,
        summary: 'End a call',
        description: 'Marks the call’s session ended; later turns of it answer 410.',
        body: telephonyEndBody,
        response: { 200: endedResponse },
        docs: { errors: sessionErrors },
      },
      config: CALLS,
      onResponse,
    },
    async (request) => {
      const { sessionId } = await voiceSessions.end(tenantOf(request), 'voice', request.body.session_id);
      return endedSessionView(sessionId);
    },
  );
}
