import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { tenantOf } from '../../http/auth.js';
import { CRM_AUTH } from './crm.schemas.js';
import { ownerTags } from './owner-analytics.routes.js';
import { todayOf, tomorrowOf } from './owner-day.js';
import { scheduleSpeech, todaySummarySpeech } from './owner-speech.js';
import type { TelephonyDeps } from './services.js';

const SPOKEN = [
  {
    path: '/v1/owner/schedule/tomorrow/audio',
    summary: "Tomorrow's schedule, spoken",
    what: "`GET /v1/owner/schedule/tomorrow` read aloud: how many appointments tomorrow, then each one's time and service",
    text: async (deps: TelephonyDeps, tenantId: string) => scheduleSpeech(await tomorrowOf(deps.services, tenantId)),
  },
  {
    path: '/v1/owner/summary/today/audio',
    summary: "Today's summary, spoken",
    what: "`GET /v1/owner/summary/today` read aloud: today's appointments, their known value and the new conversations per channel",
    text: async (deps: TelephonyDeps, tenantId: string) => todaySummarySpeech(await todayOf(deps.services, tenantId)),
  },
];

/** Spec C's owner audio: the day views as WAV speech, through the tenant's text-to-speech (festival or espeak-ng locally). */
export function registerOwnerAudioRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  for (const { path, summary, what, text } of SPOKEN) {
    app.get(
      path,
      {
        schema: {
          tags: ownerTags,
          summary,
          description: `${what}, as a WAV file. 503 saying why when no text-to-speech voice is configured or installed, or the tenant turned spoken replies off.`,
          produces: ['audio/wav'],
          docs: { errors: ['UNAVAILABLE'], ok: { 200: 'audio/wav: the text spoken, as RIFF/WAVE' } },
        },
        config: { auth: CRM_AUTH },
      },
      async (request, reply) => {
        const tenantId = tenantOf(request);
        const wav = await deps.services.speech.audio(tenantId, await text(deps, tenantId));
        return reply.type('audio/wav').header('cache-control', 'no-store').send(wav);
      },
    );
  }
}
