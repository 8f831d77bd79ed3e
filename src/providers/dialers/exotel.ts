import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../http/safe-fetch.js';
import { DialError, type Dialer } from './dialer.js';

/**
 * Exotel's Connect API: `POST {base}/v1/Accounts/{sid}/Calls/connect` (`.json` for a JSON answer),
 * form-encoded `From` (the number called first), `CallerId` (our ExoPhone), `Url` (the flow that
 * plays the call), `StatusCallback`, with Basic auth of the API key and token. The answer's
 * `Call.Sid` names the call on later status callbacks.
 */

export const EXOTEL_BASE_URL = 'https://api.exotel.com';

export interface ExotelAccount {
  accountSid: string;
  apiKey: string;
  apiToken: string;
  /** Our ExoPhone, shown to the callee. */
  callerId: string;
  baseUrl?: string;
}

const TIMEOUT_MS = 15_000;

function sidOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Call?: { Sid?: unknown } };
    return typeof parsed.Call?.Sid === 'string' ? parsed.Call.Sid : undefined;
  } catch {
    return undefined;
  }
}

function transportError(err: unknown): DialError {
  if (err instanceof UrlRefusedError)
    return new DialError(`Exotel URL refused: it ${err.message}`, false, { cause: err });
  const timeout = err instanceof HttpRequestError && err.kind === 'timeout';
  const said = err instanceof Error ? err.message : String(err);
  return new DialError(timeout ? 'Exotel did not answer in time' : `could not reach Exotel: ${said}`, true, {
    cause: err,
  });
}

export function createExotelDialer(http: SafeHttp, account: ExotelAccount): Dialer {
  const base = account.baseUrl ?? EXOTEL_BASE_URL;
  const url = new URL(`/v1/Accounts/${encodeURIComponent(account.accountSid)}/Calls/connect.json`, base).toString();
  const auth = `Basic ${Buffer.from(`${account.apiKey}:${account.apiToken}`).toString('base64')}`;
  return {
    name: 'exotel',
    async dial(request, signal) {
      const form = new URLSearchParams({
        From: request.to,
        CallerId: account.callerId,
        Url: request.answerUrl,
        StatusCallback: request.statusUrl,
        'StatusCallbackEvents[0]': 'terminal',
      });
      let res;
      try {
        res = await http.request(url, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          timeoutMs: TIMEOUT_MS,
          maxResponseBytes: 64 * 1024,
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        throw transportError(err);
      }
      if (res.status >= 300)
        throw new DialError(`Exotel refused the call (HTTP ${res.status})`, res.status === 429 || res.status >= 500);
      const sid = sidOf(res.body);
      if (!sid) throw new DialError('Exotel answered without a call Sid', true);
      return { callRef: sid };
    },
  };
}
