import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { twilioCallEnd } from '../../domain/campaigns/index.js';
import { registerTwilioScope, twilioHook } from '../telephony/twilio-hook.js';
import { voiceTwiml } from '../telephony/twiml.js';
import { emptyResponse, listen, queryOf } from './call-twiml.js';
import type { LeadgenDeps } from './services.js';

const PATH = '/api/webhooks/twilio/incoming';
const tags = ['leadgen: webhooks'];

const incomingQuery = z.looseObject({
  business_id: z.string().min(1).max(64).optional(),
  /** Set on the URLs we give Twilio for a campaign call. */
  target: z.string().min(1).max(64).optional(),
  /** `status` on the status callback of a campaign call. */
  event: z.literal('status').optional(),
});

const incomingForm = z.looseObject({
  CallSid: z.string(),
  AccountSid: z.string(),
  From: z.string().optional(),
  To: z.string().optional(),
  CallStatus: z.string().optional(),
  AnsweredBy: z.string().optional(),
  SpeechResult: z.string().optional(),
});

/** Spec B's `POST /api/webhooks/twilio/incoming`: inbound calls, campaign call turns, and campaign call status callbacks. */
export function registerCallWebhookRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const { campaigns, twilioCalls, twilioVoice } = deps.services;
  const base = deps.config.http.publicBaseUrl;
  registerTwilioScope(scope, (app) =>
    app.post(
      PATH,
      {
        schema: {
          tags,
          summary: 'Twilio call webhook (spec B)',
          description:
            "An inbound call (no `target`) is the same voice conversation as spec C's `/twilio/voice`. A campaign call (`target` set on the URL we gave Twilio) opens with the campaign's script and hears each `SpeechResult` through the conversation core. With `event=status` it is the call's status callback: `CallStatus` and `AnsweredBy` become the campaign outcome (docs/campaigns.md). The business is `?business_id=`; the signature is checked with the tenant's `channels.twilio.auth_token`.",
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: incomingQuery,
          body: incomingForm,
          docs: {
            example: {
              CallSid: 'CA0123456789abcdef0123456789abcdef',
              AccountSid: 'AC0123456789abcdef0123456789abcdef',
              From: '+912240000000',
              To: '+919876543215',
              CallStatus: 'completed',
              AnsweredBy: 'human',
            },
            ok: { 200: 'TwiML' },
            errors: ['INVALID_SIGNATURE', 'NOT_FOUND:tenant'],
          },
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        const hook = twilioHook(request, base);
        const query = request.query;
        const action = `${PATH}${queryOf(request)}`;
        if (query.event === 'status') {
          const s = await twilioCalls.status(hook);
          const end = twilioCallEnd(s.callStatus, s.answeredBy);
          if (end) await campaigns.callEnded(s.tenantId, s.callSid, end);
          return reply.type('text/xml').send(emptyResponse());
        }
        if (query.target !== undefined) {
          const turn = await twilioCalls.turn(hook);
          const say =
            turn.speech === undefined
              ? await campaigns.callOpening(turn.tenantId, turn.callSid)
              : await campaigns.calleeSaid(turn.tenantId, turn.callSid, turn.speech);
          return reply.type('text/xml').send(listen(say ?? 'Thank you, goodbye.', action));
        }
        return reply.type('text/xml').send(voiceTwiml(await twilioVoice.receive(hook), PATH, query));
      },
    ),
  );
}
