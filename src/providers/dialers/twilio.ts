import twilio from 'twilio';
import type { SafeHttp } from '../http/safe-fetch.js';
import { MessagingError } from '../messaging/messaging.js';
import { GuardedRequestClient, TWILIO_BASE_URL, type TwilioCredentials } from '../sms/twilio.js';
import { DialError, type Dialer } from './dialer.js';

/**
 * Twilio Programmable Voice through the official SDK: `client.calls.create` posts `To`, `From`,
 * `Url` (our TwiML), `StatusCallback` with its events, and `MachineDetection` to
 * `/2010-04-01/Accounts/{AccountSid}/Calls.json`, through SafeHttp like the SMS sender.
 */

export interface TwilioVoiceAccount extends TwilioCredentials {
  /** Our number the call comes from. */
  from: string;
}

function dialError(err: unknown): DialError {
  if (err instanceof twilio.RestException) {
    const retryable = err.status === 429 || err.status >= 500;
    return new DialError(`Twilio refused the call (${err.code ?? err.status}): ${err.message}`, retryable, {
      cause: err,
    });
  }
  if (err instanceof MessagingError) return new DialError(err.message, err.retryable, { cause: err });
  return new DialError(err instanceof Error ? err.message : String(err), true, { cause: err });
}

export function createTwilioDialer(http: SafeHttp, account: TwilioVoiceAccount): Dialer {
  return {
    name: 'twilio',
    async dial(request, signal) {
      const client = twilio(account.accountSid, account.authToken, {
        httpClient: new GuardedRequestClient(http, account.baseUrl ?? TWILIO_BASE_URL, signal),
      });
      try {
        const call = await client.calls.create({
          to: request.to,
          from: account.from,
          url: request.answerUrl,
          method: 'POST',
          statusCallback: request.statusUrl,
          statusCallbackMethod: 'POST',
          statusCallbackEvent: ['completed'],
          machineDetection: 'Enable',
        });
        return { callRef: call.sid };
      } catch (err) {
        throw dialError(err);
      }
    },
  };
}
