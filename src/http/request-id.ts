import type { IncomingMessage } from 'node:http';
import { newId } from '../lib/ids.js';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Uses the caller's X-Request-ID when it is a sane token, otherwise makes one. */
export function requestIdFrom(req: IncomingMessage): string {
  const raw = req.headers['x-request-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && ACCEPTABLE.test(value) ? value : newId('req');
}
