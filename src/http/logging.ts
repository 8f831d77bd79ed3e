import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

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
  'headers["x-owner-token"]',
  'headers["x-widget-token"]',
  'headers.cookie',
  '*.client_secret',
  '*.api_key',
  '*.access_token',
  '*.password',
];

const CENSOR = '[redacted]';

/** Names whose values are credentials wherever they sit in a logged object (`x-owner-token`, `webhook_secret`, …). */
const SECRET_NAME =
  /(secret|token|password|passwd|api[-_]?key|authorization|cookie|signature(-256)?|private[-_]?key|access[-_]?key|credentials?)$/i;

/**
 * Path lists only cover the shapes someone thought of; this walks every plain object a log
 * call passes and censors secret-named keys at any depth. Requests, replies and errors are
 * left to their serializers.
 */
function censorSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => censorSecrets(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      v !== null && v !== undefined && SECRET_NAME.test(k) ? CENSOR : censorSecrets(v, depth + 1),
    ]),
  );
}

export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: { log: (object: Record<string, unknown>) => censorSecrets(object) as Record<string, unknown> },
    serializers: {
      // Query strings can carry tokens (signed download links); log the path only.
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        path: req.url.split('?', 1)[0],
        request_id: req.id,
      }),
    },
  };
}
