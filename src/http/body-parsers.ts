import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors.js';

/**
 * The bodies every surface accepts: JSON and forms, each kept raw as well (signatures are checked on
 * the bytes). Anything else, or a body without a Content-Type, is refused with 415 naming the types.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  // Every surface speaks JSON or forms; Fastify's default text/plain parser would let a wrong
  // content type through to validation (400/422) instead of answering 415.
  // Fastify's own JSON parser refuses `__proto__` and `constructor.prototype` keys (prototype
  // poisoning); keeping the raw bytes must not cost that protection.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    // Fastify's parser answers through `done` and returns nothing.
    void parseJson(request, body.toString('utf8'), done);
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body: Buffer, done) => {
      request.rawBody = body;
      const text = body.toString('utf8');
      // `curl -d '{…}'` labels JSON as a form; read as one, its fields would all look missing.
      if (/^\s*[[{]/.test(text)) {
        done(
          new AppError(
            'UNSUPPORTED_MEDIA_TYPE',
            'The body is JSON but its Content-Type is application/x-www-form-urlencoded (what curl -d sends by default); send Content-Type: application/json',
          ),
        );
        return;
      }
      done(null, Object.fromEntries(new URLSearchParams(text)));
    },
  );

  // Without a Content-Type Fastify leaves a body unparsed, and the route would then report each
  // field as missing; the real mistake is the header, so say that.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['content-type'] === undefined && hasBody(request.headers)) {
      done(
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'The request has a body but no Content-Type; send Content-Type: application/json (or application/x-www-form-urlencoded where a form is accepted)',
        ),
      );
      return;
    }
    done();
  });
}

/** A request carries a body when it declares a length above zero or streams one in chunks. */
function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
}
