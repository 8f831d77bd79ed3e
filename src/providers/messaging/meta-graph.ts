import { withoutTrailingSlashes } from '../../lib/text.js';
import { obj } from './messaging.js';

/*
 * Meta's Graph API, which Messenger and WhatsApp Cloud both speak: one host and version (each
 * overridable per tenant) and one error shape, `{error:{message, code, error_subcode, …}}`.
 */

export const GRAPH_BASE_URL = 'https://graph.facebook.com';
export const GRAPH_API_VERSION = 'v21.0';

/** `{base}/{version}/{path}`, the path already encoded. */
export function graphUrl(creds: { baseUrl?: string; apiVersion?: string }, path: string): string {
  return `${withoutTrailingSlashes(creds.baseUrl ?? GRAPH_BASE_URL)}/${creds.apiVersion ?? GRAPH_API_VERSION}/${path}`;
}

export interface GraphError {
  code: number | undefined;
  subcode: unknown;
  /** Meta's message with its code, else the HTTP status. */
  said: string;
}

/** What a refused Graph call's answer says about why. */
export function graphError(vendor: string, answer: Record<string, unknown>, status: number): GraphError {
  const error = obj(answer.error);
  const code = typeof error.code === 'number' ? error.code : undefined;
  const said =
    typeof error.message === 'string'
      ? `${error.message}${code ? ` (code ${code})` : ''}`
      : `${vendor} answered HTTP ${status}`;
  return { code, subcode: error.error_subcode, said };
}
