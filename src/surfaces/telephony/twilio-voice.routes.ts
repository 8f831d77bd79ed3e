import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { twilioVoiceSchema } from '../../domain/inbound/index.js';
import { businessQuery, registerTwilioScope, twilioHook, twilioTags, twimlResponses } from './twilio-hook.js';
import { voiceTwiml } from './twiml.js';

const example = {
  CallSid: 'CA0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: '+12125550100',
  To: '+13125550199',
  SpeechResult: 'My furnace stopped working, can someone come out today?',
};

/** Spec C's `POST /twilio/voice`: each turn of a call, answered with `<Say>` and the next `<Gather>`, or a `<Dial>`. */
export function registerTwilioVoiceRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const { twilioVoice } = deps.services;
  registerTwilioScope(scope, (app) =>
    app.post(
      '/twilio/voice',
      {
        schema: {
          tags: twilioTags,
          summary: 'Twilio voice call turn (TwiML answer)',
          description:
            'Twilio posts the call here when it starts, then each `<Gather input="speech">` result (`SpeechResult`). The business and signature are checked as for `/twilio/sms`. The answer says the greeting or the conversation\'s reply and listens again, posting back to this path with the same query; a caller who asks for a person is dialled through to `channels.twilio.transfer_number`.',
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: businessQuery,
          body: twilioVoiceSchema.meta({ examples: [example] }),
          response: twimlResponses('TwiML: `<Say>` then `<Gather input="speech">`, or `<Say>` then `<Dial>`.'),
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        deps.metrics.increment('twilio_voice_requests');
        try {
          const step = await twilioVoice.receive(twilioHook(request, deps.config.http.publicBaseUrl));
          // The next turn posts back here with the query that named the business.
          return reply.type('text/xml').send(voiceTwiml(step, '/twilio/voice', request.query));
        } catch (err) {
          deps.metrics.increment('twilio_voice_errors');
          throw err;
        }
      },
    ),
  );
}
