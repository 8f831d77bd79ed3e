import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestionDeps } from './services.js';
import {
  callrailNativeSchema,
  callrailWebhookSchema,
  leadWebhookSchema,
  type IntakeResult,
} from '../../domain/calls/index.js';
import { modeOf, tenantOf } from '../../http/auth.js';
import { enforceRateLimit } from '../../http/rate-limit.js';
import { keepRawJsonBodies } from '../../http/raw-body.js';

const tags = ['ingestion: webhooks'];

/** Spec A's 200 for an accepted (or already accepted) event; `request_id` names the stored request. */
function accepted(result: IntakeResult, receivedAt: number, message: string) {
  return {
    success: true,
    request_id: result.requestId,
    processing_time_ms: Math.max(0, Date.now() - receivedAt),
    message: result.duplicate ? 'Already received; returning the original request' : message,
    estimated_completion: result.estimatedCompletion,
    ...(result.duplicate ? { duplicate: true } : {}),
  };
}

function inbound(request: FastifyRequest, receivedAt: number) {
  // A CallRail body is left as bytes (read once its signature matched); a lead's is parsed by the app.
  return { rawBody: request.rawBody ?? Buffer.alloc(0), body: request.body, headers: request.headers, receivedAt };
}

/** The intake validates bodies with the schemas the routes document, so Fastify does not parse them twice. */
const validatedByIntake = () => (value: unknown) => ({ value });

/**
 * Spec A's inbound webhooks. Bodies are validated by the intake (one schema per format, so a
 * CallRail-signed native payload and spec A's payload can share the path); the event is stored
 * before the 200 goes out (the relay queues its first step).
 */
export function registerIngestionWebhookRoutes(app: FastifyInstance, deps: IngestionDeps): void {
  const { webhookIntake } = deps.services;

  void app.register((scope, _options, done) => {
    keepRawJsonBodies(scope);
    registerCallRailRoute(scope, webhookIntake);
    done();
  });

  app.post(
    '/v1/leads/webhook',
    {
      schema: {
        tags,
        summary: 'Direct lead webhook (x-api-key)',
        description:
          'A lead from a web form, landing page or another system. It is stored and queued before the 200; the same `Idempotency-Key` answers the first result again. Either `customer_phone` or `customer_email` is required.',
        body: leadWebhookSchema,
        docs: {
          example: {
            source: 'website_form',
            customer_name: 'Dana Whitfield',
            customer_phone: '+15125550142',
            customer_email: 'dana@example.com',
            project_type: 'kitchen_remodel',
            budget_range: '25000-50000',
            timeline: '1-3_months',
          },
          ok: { 200: '`{ success, request_id, processing_time_ms, message, estimated_completion }`' },
          errors: ['CONFLICT', 'NOT_FOUND:tenant'],
        },
      },
      // Spec A's table gives inbound webhooks their own budget, apart from the management API's.
      config: { auth: { allow: ['tenant-key', 'admin'] }, rateClass: 'webhooks' },
      validatorCompiler: validatedByIntake,
    },
    async (request) => {
      const receivedAt = Date.now();
      const key = request.headers['idempotency-key'];
      const result = await webhookIntake.lead(tenantOf(request), {
        ...inbound(request, receivedAt),
        idempotencyKey: Array.isArray(key) ? key[0] : key,
        mode: modeOf(request),
      });
      return accepted(result, receivedAt, 'Lead queued for processing');
    },
  );
}

/** CallRail's webhook, in a scope that keeps JSON bodies as bytes: the signature is checked before anything parses them. */
function registerCallRailRoute(app: FastifyInstance, webhookIntake: IngestionDeps['services']['webhookIntake']): void {
  app.post(
    '/v1/callrail/webhook',
    {
      // The union documents both formats; which one applies is decided by the signature header, so the intake validates.
      schema: {
        tags,
        summary: 'CallRail call webhook (x-callrail-signature or CallRail Signature)',
        description:
          "A finished call, in spec A's format (signed with `x-callrail-signature` and `x-timestamp`) or CallRail's own (signed with its `Signature` header). The signature is checked on the raw bytes with the tenant's secret before the body is read; the call is stored and queued before the 200.",
        body: callrailWebhookSchema.or(callrailNativeSchema),
        docs: {
          example: {
            call_id: 'CAL8154748ae6bd4e278a7cddd38a662f4f',
            tenant_id: 'acme_roofing',
            caller_id: '+15125550142',
            caller_name: 'Dana Whitfield',
            duration: 184,
            answered: true,
            start_time: '2025-01-06T15:04:05Z',
            recording_url: 'https://app.callrail.com/calls/CAL8154748ae6bd4e278a7cddd38a662f4f/recording',
            tracking_phone_number: '+15125550100',
          },
          ok: { 200: '`{ success, request_id, processing_time_ms, message, estimated_completion }`' },
          errors: ['INVALID_SIGNATURE', 'NOT_FOUND:tenant', 'RATE_LIMITED', 'DATABASE'],
        },
      },
      // Signed, not authenticated: the tenant's webhook budget is spent once the signature checks out.
      config: { auth: 'public', rateClass: 'webhooks' },
      validatorCompiler: validatedByIntake,
    },
    async (request, reply) => {
      const receivedAt = Date.now();
      const result = await webhookIntake.callrail({
        ...inbound(request, receivedAt),
        admit: (tenantId) => enforceRateLimit(request, reply, tenantId),
      });
      return accepted(result, receivedAt, 'Call queued for processing');
    },
  );
}
