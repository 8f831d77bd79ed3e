import twilio from 'twilio';
import { HttpRequestError, UrlRefusedError, type SafeHttp } from '../http/safe-fetch.js';
import { MessagingError, kindForStatus, type SendResult } from '../messaging/messaging.js';

/*
 * Twilio Programmable Messaging through the official SDK (`client.messages.create`, which posts
 * `To`, `From`/`MessagingServiceSid`, `Body` as a form to `/2010-04-01/Accounts/{AccountSid}/Messages.json`).
 * The SDK's HTTP client is replaced by one that sends through SafeHttp: the base URL is tenant
 * input (a proxy, a test fake), so every call is checked like any other vendor call.
 */

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  baseUrl?: string;
}

const TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];
type SdkResponse<T> = Awaited<ReturnType<InstanceType<typeof twilio.RequestClient>['request']>> & { body: T };

function formOf(data: unknown): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? (v as unknown[]) : [v]) form.append(k, String(one));
  }
  return form.toString();
}

function transportError(err: unknown): MessagingError {
  if (err instanceof UrlRefusedError)
    return new MessagingError('Twilio', 'refused', `Twilio URL refused: it ${err.message}`, undefined, { cause: err });
  if (err instanceof HttpRequestError && err.kind === 'timeout')
    return new MessagingError('Twilio', 'timeout', `Twilio did not answer within ${TIMEOUT_MS} ms`, undefined, {
      cause: err,
    });
  const said = err instanceof Error ? err.message : String(err);
  return new MessagingError('Twilio', 'unavailable', `could not reach Twilio: ${said}`, undefined, { cause: err });
}

/** The SDK's request client, sending to `baseUrl` through SafeHttp instead of axios (voice calls use it too). */
export class GuardedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly http: SafeHttp,
    private readonly baseUrl: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
  }

  override async request<TData>(opts: RequestOptions): Promise<SdkResponse<TData>> {
    const target = new URL(opts.uri);
    const url = new URL(`${target.pathname}${target.search}`, this.baseUrl).toString();
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) };
    if (opts.username && opts.password)
      headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    try {
      const res = await this.http.request(url, {
        method: opts.method.toUpperCase() as 'GET' | 'POST',
        headers,
        ...(opts.data ? { body: formOf(opts.data) } : {}),
        timeoutMs: TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        ...(this.signal ? { signal: this.signal } : {}),
      });
      const body = res.body.toString('utf8') as TData;
      return { statusCode: res.status, body, headers: res.headers, toString: () => `HTTP ${res.status}` };
    } catch (err) {
      throw transportError(err);
    }
  }
}

/** Twilio's refusal as a MessagingError: its own code and message, retryable only where waiting helps. */
function vendorError(err: unknown): unknown {
  if (err instanceof twilio.RestException)
    return new MessagingError(
      'Twilio',
      kindForStatus(err.status),
      `Twilio refused the message (${err.code ?? err.status}): ${err.message}`,
      err.status,
      { cause: err },
    );
  return err;
}

export interface SmsMessage {
  to: string;
  body: string;
  /** Our number the message comes from. */
  from: string;
}

export function createTwilioSmsSender(http: SafeHttp) {
  return {
    async send(creds: TwilioCredentials, message: SmsMessage, signal?: AbortSignal): Promise<SendResult> {
      const client = twilio(creds.accountSid, creds.authToken, {
        httpClient: new GuardedRequestClient(http, creds.baseUrl ?? TWILIO_BASE_URL, signal),
      });
      try {
        const sent = await client.messages.create({ to: message.to, from: message.from, body: message.body });
        return { externalMessageId: sent.sid };
      } catch (err) {
        throw vendorError(err);
      }
    },
  };
}
export type TwilioSmsSender = ReturnType<typeof createTwilioSmsSender>;
