import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';

/**
 * For inbound channel webhooks, in the scope that registers them: JSON bodies are kept as raw
 * bytes and not parsed, so the channel's signature is checked before anything reads them (a
 * forged request whose body is not even JSON answers 401, not 400). The routes keep their body
 * schema for the OpenAPI document; the domain decodes and validates once the signature matched.
 * Form bodies keep the app's parser, which records their raw bytes as well.
 */
export function keepRawJsonBodies(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    done(null, undefined);
  });
}

/** Validates params and query as usual; the body is left to the domain, after the signature check. */
export const bodyLeftToDomain: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? (value: unknown) => ({ value }) : validatorCompiler(route as never);
