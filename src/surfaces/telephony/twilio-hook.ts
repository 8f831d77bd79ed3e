import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TwilioHook } from '../../domain/inbound/index.js';
import { bodyLeftToDomain } from '../../http/raw-body.js';

/** What Twilio's two webhook routes share: the request as the domain reads it, and their error answers. */

export const twilioTags = ['telephony: twilio'];
export const businessQuery = z.looseObject({ business_id: z.string().min(1).max(64).optional() });

const detail = z.object({ detail: z.string(), request_id: z.string() });
const validation = z.object({
  detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  request_id: z.string(),
});

/** For the OpenAPI document only: TwiML leaves as text, not through the JSON serializer. */
export function twimlResponses(description: string) {
  return { 200: z.string().describe(description), 401: detail, 403: detail, 404: detail, 422: validation };
}

/** What Twilio signed: our public base URL and the path with its query, as Twilio called it. */
export function twilioHook(request: FastifyRequest, publicBaseUrl: string): TwilioHook {
  return {
    rawBody: request.rawBody ?? Buffer.alloc(0),
    headers: request.headers,
    query: (request.query ?? {}) as Record<string, unknown>,
    url: `${publicBaseUrl}${request.url}`,
    receivedAt: new Date(),
  };
}

const zodScope = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
export type TwilioScope = ReturnType<typeof zodScope>;

/** A scope whose routes leave the body to the domain, which reads it only after the signature checks out. */
export function registerTwilioScope(scope: FastifyInstance, routes: (app: TwilioScope) => void): void {
  void scope.register((child, _options, done) => {
    child.setValidatorCompiler(bodyLeftToDomain);
    routes(zodScope(child));
    done();
  });
}
