import type { FastifyInstance } from 'fastify';
import { twilioVoiceSchema } from '../../domain/inbound/index.js';
import { todayOf, tomorrowOf } from './owner-day.js';
import { scheduleSpeech, todaySummarySpeech } from './owner-speech.js';
import type { TelephonyDeps } from './services.js';
import { businessQuery, registerTwilioScope, twilioHook, twilioTags, twimlResponses } from './twilio-hook.js';
import { ownerVoiceTwiml } from './twiml.js';

const example = {
  CallSid: 'CA0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: '+12125550100',
  To: '+13125550188',
};

/** Spec C's `POST /twilio/owner-voice`: the owner calls in and hears today's summary and tomorrow's schedule. */
export function registerTwilioOwnerVoiceRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const { twilioVoice } = deps.services;
  registerTwilioScope(scope, (app) =>
    app.post(
      '/twilio/owner-voice',
      {
        schema: {
          tags: twilioTags,
          summary: "Twilio owner line: today's and tomorrow's schedule (TwiML answer)",
          description:
            "Point the owner's Twilio number here. The business and signature are checked as for `/twilio/voice`; the answer reads `GET /v1/owner/summary/today` and `GET /v1/owner/schedule/tomorrow` aloud, then hangs up.",
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: businessQuery,
          body: twilioVoiceSchema.meta({ examples: [example] }),
          response: twimlResponses("TwiML: `<Say>` today's summary, `<Say>` tomorrow's schedule, then `<Hangup>`."),
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        deps.metrics.increment('twilio_voice_requests');
        try {
          const tenantId = await twilioVoice.owner(twilioHook(request, deps.config.http.publicBaseUrl));
          const [today, tomorrow] = await Promise.all([
            todayOf(deps.services, tenantId),
            tomorrowOf(deps.services, tenantId),
          ]);
          return reply.type('text/xml').send(ownerVoiceTwiml(todaySummarySpeech(today), scheduleSpeech(tomorrow)));
        } catch (err) {
          deps.metrics.increment('twilio_voice_errors');
          throw err;
        }
      },
    ),
  );
}
