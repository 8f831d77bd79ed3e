import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tenantOf } from '../../http/auth.js';
import { CRM_AUTH } from './crm.schemas.js';
import { ownerRouteSchema } from './owner-analytics.routes.js';
import type { TelephonyDeps } from './services.js';
import { businessTwilioOf, businessTwilioView } from './twilio-health.views.js';

const SMS_FIELDS = [
  'sms_sent_total',
  'sms_sent_customer',
  'sms_sent_owner',
  'lead_followups_sent',
  'retention_messages_sent',
] as const;

const smsMetricsView = z.object({
  business_id: z.string(),
  ...(Object.fromEntries(SMS_FIELDS.map((f) => [f, z.number()])) as Record<(typeof SMS_FIELDS)[number], z.ZodNumber>),
});

/** Spec C's owner metrics: this business's entries of `/metrics`' per-business maps, since the process started. */
export function registerOwnerMetricsRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const config = { auth: CRM_AUTH };

  app.get(
    '/v1/owner/sms-metrics',
    {
      schema: ownerRouteSchema(
        "The business's SMS counters",
        "This business's `sms_by_business` entry since the process started: SMS sent in all, to customers, to the owner, follow-ups and retention messages (0 until counted).",
        smsMetricsView,
      ),
      config,
    },
    (request) => {
      const tenantId = tenantOf(request);
      const mine = deps.metrics.totals().sms_by_business[tenantId] ?? {};
      return { business_id: tenantId, ...Object.fromEntries(SMS_FIELDS.map((f) => [f, mine[f] ?? 0])) };
    },
  );

  app.get(
    '/v1/owner/twilio-metrics',
    {
      schema: ownerRouteSchema(
        "The business's Twilio webhook counters",
        "This business's `twilio_by_business` entry since the process started: voice and SMS webhook requests, errors and error rates.",
        businessTwilioView,
      ),
      config,
    },
    (request) => {
      const tenantId = tenantOf(request);
      return businessTwilioOf(tenantId, deps.metrics.totals().twilio_by_business[tenantId]);
    },
  );
}
