import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TelephonyDeps } from './services.js';
import type { PrincipalKind } from '../../domain/auth/index.js';
import type { SessionChannel } from '../../domain/voice/index.js';
import { modeOf, tenantOf } from '../../http/auth.js';
import { countVoiceSessionCall } from './voice-metrics.js';
import { endedSessionView, sessionTurnView } from './views.js';
import {
  audioErrors,
  endedResponse,
  sessionErrors,
  sessionInputBody,
  sessionParams,
  startedResponse,
  startSessionBody,
  startSessionExample,
  turnResponse,
} from './voice-sessions.schemas.js';

export interface SessionApi {
  /** `/v1/voice/session` or `/v1/widget/session`. */
  prefix: string;
  channel: SessionChannel;
  allow: readonly PrincipalKind[];
  /** What the routes are called in the docs: `voice`, `widget`. */
  label: string;
  /** Counted in spec C's `voice_session_*` metrics (the voice API, not the widget). */
  counted: boolean;
}

/**
 * Spec C's start / input / end trio, which the voice and widget APIs share ("these mirror the
 * voice session API"): the same stored sessions and conversation core, on their own channel.
 */
export function registerSessionApi(scope: FastifyInstance, deps: TelephonyDeps, api: SessionApi): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { voiceSessions } = deps.services;
  const tags = [`telephony: ${api.label} sessions`];
  const config = { auth: { allow: api.allow } };
  const hooks = api.counted ? { onResponse: countVoiceSessionCall(deps.metrics) } : {};

  app.post(
    `${api.prefix}/start`,
    {
      schema: {
        tags,
        summary: `Start a ${api.label} session`,
        description: `Opens a stored ${api.label} session (channel \`${api.channel}\`) that any process can continue. With \`caller_phone\` the person becomes one contact of the tenant across channels.`,
        body: startSessionBody,
        response: { 200: startedResponse },
        docs: { example: startSessionExample, errors: sessionErrors },
      },
      config,
      ...hooks,
    },
    async (request) => {
      const body = request.body ?? {};
      const { sessionId } = await voiceSessions.start(tenantOf(request), {
        channel: api.channel,
        callerPhone: body.caller_phone,
        providerCallId: body.provider_call_id,
        leadSource: body.lead_source,
        mode: modeOf(request),
      });
      return { session_id: sessionId };
    },
  );

  app.post(
    `${api.prefix}/:session_id/input`,
    {
      schema: {
        tags,
        summary: `Send the next ${api.label} turn`,
        description:
          'Runs one conversation turn on `text`, or on `audio` (a base64 WAV, any sample rate) transcribed by the tenant’s speech-to-text, and answers the reply, the dialog state and the reply spoken as a base64 WAV (`audio`, null with `audio_unavailable_reason` when it cannot be spoken).',
        params: sessionParams,
        body: sessionInputBody,
        response: { 200: turnResponse },
        docs: { errors: audioErrors },
      },
      config,
      ...hooks,
    },
    async (request) => {
      const { text, audio } = request.body;
      const turn = await voiceSessions.input(tenantOf(request), api.channel, request.params.session_id, {
        text,
        audio: audio === undefined ? undefined : Buffer.from(audio, 'base64'),
      });
      return sessionTurnView(turn);
    },
  );

  app.post(
    `${api.prefix}/:session_id/end`,
    {
      schema: {
        tags,
        summary: `End a ${api.label} session`,
        description: 'Marks the session ended; later input to it answers 410.',
        params: sessionParams,
        response: { 200: endedResponse },
        docs: { errors: sessionErrors },
      },
      config,
      ...hooks,
    },
    async (request) => {
      const { sessionId } = await voiceSessions.end(tenantOf(request), api.channel, request.params.session_id);
      return endedSessionView(sessionId);
    },
  );
}
