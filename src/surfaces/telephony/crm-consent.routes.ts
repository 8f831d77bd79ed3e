import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { tenantOf } from '../../http/auth.js';
import { CRM_AUTH, consentHistoryView, customerParams } from './crm.schemas.js';
import { consentHistoryViewOf } from './crm.views.js';
import { errorResponses } from './errors.schemas.js';
import type { TelephonyDeps } from './services.js';

/** Spec C's CRM shows a customer's consent beside the customer: every opt-out and opt-in kept, oldest first. */
export function registerCrmConsentRoutes(scope: FastifyInstance, deps: TelephonyDeps): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { contacts, compliance } = deps.services;

  app.get(
    '/v1/crm/customers/:customer_id/consent',
    {
      schema: {
        tags: ['telephony: crm'],
        summary: "A customer's consent history",
        description:
          'Every change of the customer\'s consent to be messaged, oldest first: `opt_out` or `opt_in`, when, on which channel, and its source (`keyword` such as STOP or START, `phrase` such as "stop texting me", or `operator`). `opted_out` says whether the latest SMS change is an opt-out. Consent is kept per phone number, so a customer without a phone has no history. Another tenant\'s id answers 404.',
        params: customerParams,
        response: { 200: consentHistoryView, ...errorResponses(401, 403, 404, 422) },
      },
      config: { auth: CRM_AUTH },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const customer = await contacts.get(tenantId, request.params.customer_id);
      const history = customer.phone ? await compliance.history(tenantId, customer.phone) : [];
      return consentHistoryViewOf(customer.id, customer.phone, history);
    },
  );
}
