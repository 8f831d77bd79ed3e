import type { FastifyInstance } from 'fastify';
import type { TelephonyDeps } from './services.js';
import { twilioSmsSchema } from '../../domain/inbound/index.js';
import type { Counters } from '../../domain/metrics/index.js';
import { todayOf, tomorrowOf } from './owner-day.js';
import { scheduleSpeech, todaySummarySpeech } from './owner-speech.js';
import { businessQuery, registerTwilioScope, twilioHook, twilioTags, twimlResponses } from './twilio-hook.js';
import { messagingTwiml } from './twiml.js';

const example = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: '+12125550100',
  To: '+13125550199',
  Body: 'Can someone look at my water heater tomorrow?',
};

/** The TwiML `<Message>` is an SMS Twilio sends on our behalf, to a customer or to the owner. */
function countSms(metrics: Counters, tenantId: string, to: 'sms_sent_customer' | 'sms_sent_owner'): void {
  metrics.increment('sms_sent_total');
  metrics.increment(to);
  metrics.incrementForBusiness('sms_by_business', tenantId, 'sms_sent_total');
  metrics.incrementForBusiness('sms_by_business', tenantId, to);
}

/** What the owner's text is answered with: today's summary and tomorrow's schedule, as the owner line says them. */
async function ownersDay(deps: TelephonyDeps, tenantId: string): Promise<string> {
  const [today, tomorrow] = await Promise.all([todayOf(deps.services, tenantId), tomorrowOf(deps.services, tenantId)]);
  return `${todaySummarySpeech(today)}\n\n${scheduleSpeech(tomorrow)}`;
}

/** Spec C's `POST /twilio/sms`: Twilio's form in, TwiML out; the signature is checked before the form is read. */
export function registerTwilioSmsRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const { twilioSms } = deps.services;
  registerTwilioScope(scope, (app) =>
    app.post(
      '/twilio/sms',
      {
        schema: {
          tags: twilioTags,
          summary: 'Inbound SMS from Twilio (TwiML answer)',
          description:
            'Twilio posts each inbound SMS here as a form. The business is named by `?business_id=` or an `X-API-Key` header; when it keeps `channels.twilio.auth_token`, `X-Twilio-Signature` must match. STOP/START/HELP are answered first; a text from the owner’s phone (`channels.twilio.owner_phone`) is answered with today’s summary and tomorrow’s schedule (as `/twilio/owner-voice` says them); then CONFIRM / "cancel my appointment" / RESCHEDULE for the next appointment, else the conversation replies.',
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: businessQuery,
          body: twilioSmsSchema.meta({ examples: [example] }),
          response: twimlResponses('TwiML: `<Response><Message>reply</Message></Response>`, or `<Response/>`.'),
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        deps.metrics.increment('twilio_sms_requests');
        try {
          const answer = await twilioSms.receive(twilioHook(request, deps.config.http.publicBaseUrl));
          if (answer.handledBy === 'owner') {
            const day = await ownersDay(deps, answer.tenantId);
            countSms(deps.metrics, answer.tenantId, 'sms_sent_owner');
            return reply.type('text/xml').send(messagingTwiml(day));
          }
          if (answer.reply) countSms(deps.metrics, answer.tenantId, 'sms_sent_customer');
          return reply.type('text/xml').send(messagingTwiml(answer.reply));
        } catch (err) {
          deps.metrics.increment('twilio_sms_errors');
          throw err;
        }
      },
    ),
  );
}
