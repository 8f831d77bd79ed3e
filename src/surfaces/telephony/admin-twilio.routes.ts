import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN_AUTH } from './admin.schemas.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';
import { twilioHealthOf, twilioHealthView } from './twilio-health.views.js';

/** Spec C's `GET /v1/admin/twilio/health`: the Twilio webhooks' requests and errors, in total and per business. */
export function registerAdminTwilioRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/admin/twilio/health',
    {
      schema: {
        tags: ['telephony: admin'],
        summary: 'Twilio webhook health',
        description:
          "Requests and errors of `/twilio/voice` and `/twilio/sms` since this process started, in total and per business with each one's error rate. A request that named no known business counts only in the totals.",
        response: { 200: twilioHealthView, ...errorResponses(401, 403) },
        docs: { errors: [] },
      },
      config: { auth: ADMIN_AUTH },
    },
    () => twilioHealthOf(deps.metrics.totals()),
  );
}
