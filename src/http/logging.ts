import type { FastifyServerOptions } from 'fastify';

/** Paths pino must never write: credentials in any header form, and secrets in bodies. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-admin-api-key"]',
  'req.headers["x-owner-token"]',
  'req.headers["x-widget-token"]',
  'req.headers["x-callrail-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-admin-api-key"]',
  '*.client_secret',
  '*.api_key',
  '*.access_token',
  '*.password',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Query strings can carry tokens (signed download links); log the path only.
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?', 1)[0], request_id: req.id }),
    },
  };
}
