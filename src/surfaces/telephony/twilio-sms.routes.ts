import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TelephonyDeps } from './services.js';
import { twilioSmsSchema, type TwilioHook } from '../../domain/inbound/index.js';
import { bodyLeftToDomain } from '../../http/raw-body.js';
import { messagingTwiml } from './twiml.js';

const tags = ['telephony: twilio'];
const query = z.looseObject({ business_id: z.string().min(1).max(64).optional() });
const detail = z.object({ detail: z.string(), request_id: z.string() });
const validation = z.object({
  detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  request_id: z.string(),
});
/** For the OpenAPI document only: TwiML leaves as text, not through the JSON serializer. */
const twiml = z.string().describe('TwiML: `<Response><Message>reply</Message></Response>`, or `<Response/>`.');

const example = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: '+12125550100',
  To: '+13125550199',
  Body: 'Can someone look at my water heater tomorrow?',
};

/** What Twilio signed: our public base URL and the path with its query, as Twilio called it. */
function hookOf(request: FastifyRequest, publicBaseUrl: string): TwilioHook {
  return {
    rawBody: request.rawBody ?? Buffer.alloc(0),
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    url: `${publicBaseUrl}${request.url}`,
    receivedAt: new Date(),
  };
}

/** Spec C's `POST /twilio/sms`: Twilio's form in, TwiML out; the signature is checked before the form is read. */
export function registerTwilioSmsRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const { twilioSms } = deps.services;
  void scope.register((child, _options, done) => {
    child.setValidatorCompiler(bodyLeftToDomain);
    child.withTypeProvider<ZodTypeProvider>().post(
      '/twilio/sms',
      {
        schema: {
          tags,
          summary: 'Inbound SMS from Twilio (TwiML answer)',
          description:
            'Twilio posts each inbound SMS here as a form. The business is named by `?business_id=` or an `X-API-Key` header; when it keeps `channels.twilio.auth_token`, `X-Twilio-Signature` must match. STOP/START/HELP are answered first, then CONFIRM / "cancel my appointment" / RESCHEDULE for the next appointment, else the conversation replies.',
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: query,
          body: twilioSmsSchema.meta({ examples: [example] }),
          response: { 200: twiml, 401: detail, 403: detail, 404: detail, 422: validation },
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        deps.metrics.increment('twilio_sms_requests');
        try {
          const answer = await twilioSms.receive(hookOf(request, deps.config.http.publicBaseUrl));
          deps.metrics.incrementForBusiness('twilio_by_business', answer.tenantId, 'sms_requests');
          return reply.type('text/xml').send(messagingTwiml(answer.reply));
        } catch (err) {
          deps.metrics.increment('twilio_sms_errors');
          throw err;
        }
      },
    );
    done();
  });
}
