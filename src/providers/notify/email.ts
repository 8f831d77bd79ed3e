import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { newId } from '../../lib/ids.js';
import { NotifyError } from './notify.js';

/**
 * Email alerts. With SMTP configured, messages go to that server through nodemailer; without it,
 * the local default is an outbox: each message is rendered to a real RFC 5322 `.eml` file under
 * `{dataDir}/outbox/` and listed in `{dataDir}/outbox/index.jsonl`, so `npm start` works offline
 * and an operator can open exactly what would have been sent.
 */

export interface SmtpConfig {
  /** The relay's host name (the operator's, not a tenant's, so no SSRF guard applies). */
  host: string;
  /** 587 (submission, STARTTLS), 465 (TLS) or 25. */
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Refuse to send when the server does not offer STARTTLS (for servers reached over untrusted networks). */
  requireTls?: boolean;
  /** For connecting, the greeting and each reply. */
  timeoutMs?: number;
}

export interface MailerConfig {
  /** The sender when a message names none, e.g. `Frontdesk <alerts@example.com>`. */
  from: string;
  /** Absent: messages go to the outbox. */
  smtp?: SmtpConfig;
  /** The outbox lives in `{dataDir}/outbox`. */
  dataDir: string;
}

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  from?: string;
  replyTo?: string;
}

export interface MailResult {
  /** The Message-ID header value. */
  messageId: string;
  transport: 'smtp' | 'outbox';
  /** The `.eml` file, for the outbox. */
  path?: string;
  /** Recipients the server took; the outbox takes all. */
  accepted: string[];
  /** Recipients the server refused while accepting others (a refusal of all of them rejects instead). */
  rejected: string[];
}

export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  /** Sends or files one message; rejects with `NotifyError` (channel `email`). */
  send(message: MailMessage): Promise<MailResult>;
  close(): void;
}

/** One line of `{dataDir}/outbox/index.jsonl`. */
export interface OutboxEntry {
  messageId: string;
  /** The `.eml` file name, relative to the outbox directory. */
  file: string;
  from: string;
  to: string[];
  subject: string;
  createdAt: string;
}

const DEFAULT_SMTP_TIMEOUT_MS = 15_000;

export function createMailer(config: MailerConfig): Mailer {
  return config.smtp
    ? smtpMailer(config.from, config.smtp)
    : outboxMailer(config.from, path.join(config.dataDir, 'outbox'));
}

function smtpMailer(defaultFrom: string, smtp: SmtpConfig): Mailer {
  const timeout = smtp.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
    requireTLS: smtp.requireTls ?? false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    transport: 'smtp',
    async send(message) {
      try {
        const info = await transporter.sendMail(toNodemailer(message, defaultFrom));
        return {
          messageId: info.messageId,
          transport: 'smtp',
          accepted: addresses(info.accepted),
          rejected: addresses(info.rejected),
        };
      } catch (err) {
        throw smtpError(err);
      }
    },
    close: () => transporter.close(),
  };
}

function outboxMailer(defaultFrom: string, dir: string): Mailer {
  // CRLF line ends: the file is the message as it would travel over SMTP, which mail clients open as is.
  const renderer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    transport: 'outbox',
    async send(message) {
      try {
        const info = await renderer.sendMail(toNodemailer(message, defaultFrom));
        // `buffer: true` makes the rendered message a Buffer rather than a stream.
        const raw = info.message as Buffer;
        const file = `${newId('msg')}.eml`;
        const full = path.join(dir, file);
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(full, raw);
        const entry: OutboxEntry = {
          messageId: info.messageId,
          file,
          from: info.envelope.from || defaultFrom,
          to: info.envelope.to,
          subject: message.subject,
          createdAt: new Date().toISOString(),
        };
        await fs.appendFile(path.join(dir, 'index.jsonl'), `${JSON.stringify(entry)}\n`);
        return { messageId: info.messageId, transport: 'outbox', path: full, accepted: info.envelope.to, rejected: [] };
      } catch (err) {
        if (err instanceof NotifyError) throw err;
        throw new NotifyError(
          'email',
          'unavailable',
          `could not write to the outbox: ${err instanceof Error ? err.message : String(err)}`,
          undefined,
          { cause: err },
        );
      }
    },
    close: () => renderer.close(),
  };
}

function toNodemailer(message: MailMessage, defaultFrom: string): SendMailOptions {
  return {
    from: message.from ?? defaultFrom,
    to: message.to,
    subject: message.subject,
    // nodemailer passes 7-bit bodies through as given; bare LFs would make the outbox file invalid RFC 5322.
    text: crlf(message.text),
    ...(message.html === undefined ? {} : { html: crlf(message.html) }),
    ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
  };
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

function addresses(list: (string | { address: string })[]): string[] {
  return list.map((a) => (typeof a === 'string' ? a : a.address));
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Reply codes decide: 5xx is the server's final word (unknown mailbox, policy), 4xx a temporary
 * refusal (greylisting, full queue) worth another try. Without a reply, nodemailer's error code
 * says what broke on the way.
 */
function smtpError(err: unknown): NotifyError {
  const failure: SmtpFailure = typeof err === 'object' && err !== null ? err : {};
  const message = failure.response?.trim() || (err instanceof Error ? err.message : String(err));
  const status = failure.responseCode;
  if (failure.code === 'EAUTH') return new NotifyError('email', 'auth', message, status, { cause: err });
  if (status !== undefined && status >= 500)
    return new NotifyError('email', 'rejected', message, status, { cause: err });
  if (status !== undefined && status >= 400)
    return new NotifyError('email', 'unavailable', message, status, { cause: err });
  if (failure.code === 'ETIMEDOUT') return new NotifyError('email', 'timeout', message, status, { cause: err });
  if (failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE')
    return new NotifyError('email', 'rejected', message, status, { cause: err });
  return new NotifyError('email', 'unavailable', message, status, { cause: err });
}
