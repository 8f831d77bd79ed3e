import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { exotelCallEnd } from '../../domain/campaigns/index.js';
import type { ExotelHook } from '../../domain/inbound/index.js';
import { registerTwilioScope } from '../telephony/twilio-hook.js';
import { voiceTwiml } from '../telephony/twiml.js';
import { emptyResponse, listen, queryOf } from './call-twiml.js';
import type { LeadgenDeps } from './services.js';

const PATH = '/api/webhooks/exotel/incoming';
const tags = ['leadgen: webhooks'];

const incomingQuery = z.looseObject({
  business_id: z.string().min(1).max(64).optional(),
  /** The tenant's `campaigns.exotel.webhook_token`: Exotel does not sign, so the URL carries the proof. */
  token: z.string().max(256).optional(),
  /** Set on the URLs we give Exotel for a campaign call. */
  target: z.string().min(1).max(64).optional(),
  /** `status` on the status callback of a campaign call. */
  event: z.literal('status').optional(),
});

const incomingForm = z.looseObject({
  CallSid: z.string(),
  From: z.string().optional(),
  To: z.string().optional(),
  Status: z.string().optional(),
  DialCallStatus: z.string().optional(),
  Direction: z.string().optional(),
  SpeechResult: z.string().optional(),
});

const exotelHook = (request: FastifyRequest): ExotelHook => ({
  rawBody: request.rawBody ?? Buffer.alloc(0),
  query: (request.query ?? {}) as Record<string, unknown>,
  receivedAt: new Date(),
});

const description =
  "Exotel's call webhook, answered in ExoML. An inbound call (no `target`) is the same voice conversation as spec C's `/twilio/voice`. A campaign call (`target` on the URL we gave Exotel) opens with the campaign's script. With `event=status` it is the call's status callback: `Status` (or `DialCallStatus`) becomes the campaign outcome (docs/campaigns.md). The business is `?business_id=`; Exotel does not sign its webhooks, so `?token=` must equal the tenant's `campaigns.exotel.webhook_token`. Parameters may come form-encoded or in the query.";

/** Spec B's `POST /api/webhooks/exotel/incoming`: inbound calls, campaign calls and their status callbacks. */
export function registerExotelWebhookRoutes(scope: FastifyInstance, deps: LeadgenDeps): void {
  const { campaigns, exotelCalls } = deps.services;
  registerTwilioScope(scope, (app) =>
    app.post(
      PATH,
      {
        schema: {
          tags,
          summary: 'Exotel call webhook (spec B)',
          description,
          consumes: ['application/x-www-form-urlencoded'],
          produces: ['text/xml'],
          querystring: incomingQuery,
          body: incomingForm,
          docs: {
            example: { CallSid: 'b6c4a1f0e2d3', From: '09876543215', To: '02240000000', Status: 'completed' },
            ok: { 200: 'ExoML' },
            errors: ['UNAUTHENTICATED', 'NOT_FOUND:tenant'],
          },
        },
        config: { auth: 'public' },
        bodyLimit: deps.config.http.channelBodyLimit,
      },
      async (request, reply) => {
        const hook = exotelHook(request);
        const call = await exotelCalls.read(hook);
        const query = request.query;
        if (query.event === 'status') {
          const end = call.status === undefined ? undefined : exotelCallEnd(call.status);
          if (end) await campaigns.callEnded(call.tenantId, call.callSid, end);
          return reply.type('text/xml').send(emptyResponse());
        }
        if (query.target !== undefined) {
          const say =
            call.speech === undefined
              ? await campaigns.callOpening(call.tenantId, call.callSid)
              : await campaigns.calleeSaid(call.tenantId, call.callSid, call.speech);
          return reply.type('text/xml').send(listen(say ?? 'Thank you, goodbye.', `${PATH}${queryOf(request)}`));
        }
        return reply.type('text/xml').send(voiceTwiml(await exotelCalls.answer(call, hook), PATH, query));
      },
    ),
  );
}
