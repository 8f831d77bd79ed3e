import fs from 'node:fs/promises';
import path from 'node:path';
import type { TwilioCredentials, TwilioSmsSender } from '../sms/twilio.js';

/**
 * Notices by SMS. With the tenant's Twilio account they go through Twilio Programmable Messaging
 * (the same sender outbound customer SMS use); without one, as e-mail does without SMTP, each
 * text is filed in the outbox: one JSON line in `{dataDir}/outbox/sms.jsonl`, so `npm start`
 * works offline and an operator can read exactly what would have been sent.
 */

/** The tenant's Twilio account and the number its texts come from. */
export interface SmsAccount extends TwilioCredentials {
  from: string;
}

export interface SmsText {
  to: string;
  body: string;
}

export interface SmsResult {
  transport: 'twilio' | 'outbox';
  /** Twilio's message SID (`SM…`); null in the outbox. */
  sid: string | null;
}

/** One line of `{dataDir}/outbox/sms.jsonl`. */
export interface SmsOutboxEntry {
  to: string;
  body: string;
  createdAt: string;
}

export interface SmsNotifier {
  /** Sends through `account`, or files in the outbox when there is none; rejects with Twilio's refusal (a `MessagingError`). */
  send(account: SmsAccount | undefined, text: SmsText): Promise<SmsResult>;
}

export function createSmsNotifier(deps: { twilio: Pick<TwilioSmsSender, 'send'>; dataDir: string }): SmsNotifier {
  const outbox = path.join(deps.dataDir, 'outbox');
  return {
    async send(account, text) {
      if (account) {
        const { from, ...creds } = account;
        const sent = await deps.twilio.send(creds, { to: text.to, from, body: text.body });
        return { transport: 'twilio', sid: sent.externalMessageId ?? null };
      }
      const entry: SmsOutboxEntry = { to: text.to, body: text.body, createdAt: new Date().toISOString() };
      await fs.mkdir(outbox, { recursive: true });
      await fs.appendFile(path.join(outbox, 'sms.jsonl'), `${JSON.stringify(entry)}\n`);
      return { transport: 'outbox', sid: null };
    },
  };
}
