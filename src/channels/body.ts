import { header, type RawRequest } from './channel.js';

/**
 * Reading a request's bytes, which the surfaces leave unparsed for inbound channels so that the
 * signature is checked before anything trusts them. JSON (the default) or a form, by Content-Type.
 */

export type Decoded = { ok: true; body: unknown } | { ok: false };

/** The body, or `{ ok: false }` when the bytes are not what the Content-Type says. */
export function decodeBody(request: RawRequest): Decoded {
  const type = (header(request.headers, 'content-type') ?? '').toLowerCase();
  const text = request.rawBody.toString('utf8');
  if (type.startsWith('application/x-www-form-urlencoded'))
    return { ok: true, body: Object.fromEntries(new URLSearchParams(text)) };
  if (request.rawBody.length === 0) return { ok: true, body: undefined };
  return parseJson(text);
}

/** What routing reads before the signature is checked: the body when it decodes, else nothing. */
export function bodyForRouting(request: RawRequest): unknown {
  const decoded = decodeBody(request);
  return decoded.ok ? decoded.body : undefined;
}

/**
 * JSON.parse that refuses `__proto__` keys and `constructor.prototype`, as Fastify's own parser
 * does, so that a body nobody merged carelessly yet cannot poison prototypes later.
 */
function parseJson(text: string): Decoded {
  let poisoned = false;
  try {
    const body = JSON.parse(text, function (this: unknown, key: string, value: unknown) {
      if (key === '__proto__') poisoned = true;
      if (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value) poisoned = true;
      return value;
    }) as unknown;
    return poisoned ? { ok: false } : { ok: true, body };
  } catch {
    return { ok: false };
  }
}
