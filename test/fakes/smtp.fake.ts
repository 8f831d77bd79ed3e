import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A plain-text SMTP server on 127.0.0.1 (RFC 5321): EHLO/HELO, AUTH PLAIN (when credentials are
 * set), MAIL FROM, RCPT TO, DATA with dot-stuffing, RSET, NOOP and QUIT, answering with
 * Postfix's reply codes and wording. It records each accepted message; recipients can be scripted
 * to fail with `550 5.1.1 … User unknown`, or all of them with a temporary `451`.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as transmitted, dot-stuffing removed, CRLF line ends. */
  raw: string;
  /** The unfolded Subject header. */
  subject: string | undefined;
  /** Everything after the header block. */
  body: string;
}

export interface SmtpFakeOptions {
  /** Require AUTH PLAIN with these credentials before MAIL. */
  auth?: { user: string; pass: string };
}

export interface SmtpFake {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Every command line received, for protocol assertions. */
  commands: string[];
  /** RCPT TO for these addresses answers 550. */
  rejectRecipients(...addresses: string[]): void;
  /** RCPT TO answers `451 4.3.0` for everyone until called with false. */
  temporarilyFail(on: boolean): void;
  close(): Promise<void>;
}

const HOSTNAME = 'mx.fake.test';
const MAX_SIZE = 10 * 1024 * 1024;

export async function startSmtpFake(opts: SmtpFakeOptions = {}): Promise<SmtpFake> {
  const messages: ReceivedMail[] = [];
  const commands: string[] = [];
  const rejected = new Set<string>();
  let tempFail = false;
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serve(socket);
  });

  function serve(socket: Socket): void {
    let greeted = false;
    let authed = !opts.auth;
    let from: string | undefined;
    let to: string[] = [];
    let dataLines: string[] | undefined;
    let buffer = '';
    let queueId = 0;
    const reply = (line: string): void => {
      socket.write(`${line}\r\n`);
    };
    const reset = (): void => {
      from = undefined;
      to = [];
    };

    reply(`220 ${HOSTNAME} ESMTP Postfix`);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let cut: number;
      while ((cut = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (dataLines) {
          if (line === '.') {
            const raw = `${dataLines.join('\r\n')}\r\n`;
            messages.push({ from: from ?? '', to, raw, ...parse(raw) });
            dataLines = undefined;
            reset();
            reply(`250 2.0.0 Ok: queued as FAKE${++queueId}`);
          } else {
            dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        commands.push(line);
        command(line);
      }
    });

    function command(line: string): void {
      const verb = line.split(' ', 1)[0]!.toUpperCase();
      const arg = line.slice(verb.length).trim();
      switch (verb) {
        case 'EHLO':
          if (!arg) return reply('501 Syntax: EHLO hostname');
          greeted = true;
          reset();
          socket.write(
            [
              `250-${HOSTNAME}`,
              `250-SIZE ${MAX_SIZE}`,
              '250-8BITMIME',
              '250-ENHANCEDSTATUSCODES',
              ...(opts.auth ? ['250-AUTH PLAIN'] : []),
              '250 SMTPUTF8',
            ]
              .map((l) => `${l}\r\n`)
              .join(''),
          );
          return;
        case 'HELO':
          if (!arg) return reply('501 Syntax: HELO hostname');
          greeted = true;
          reset();
          return reply(`250 ${HOSTNAME}`);
        case 'AUTH': {
          if (!opts.auth) return reply('503 5.5.1 Error: authentication not enabled');
          const [mechanism, initial] = arg.split(' ');
          if (mechanism?.toUpperCase() !== 'PLAIN' || !initial)
            return reply('535 5.7.8 Error: authentication failed: Invalid authentication mechanism');
          const [, user, pass] = Buffer.from(initial, 'base64').toString('utf8').split('\u0000');
          if (user !== opts.auth.user || pass !== opts.auth.pass)
            return reply('535 5.7.8 Error: authentication failed: authentication failure');
          authed = true;
          return reply('235 2.7.0 Authentication successful');
        }
        case 'MAIL': {
          if (!greeted) return reply('503 5.5.1 Error: send HELO/EHLO first');
          if (!authed) return reply('530 5.7.0 Authentication required');
          if (from !== undefined) return reply('503 5.5.1 Error: nested MAIL command');
          const address = /^FROM:\s*<([^>]*)>/i.exec(arg)?.[1];
          if (address === undefined) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          from = address;
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          if (from === undefined) return reply('503 5.5.1 Error: need MAIL command');
          const address = /^TO:\s*<([^>]+)>/i.exec(arg)?.[1];
          if (!address) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          if (tempFail) return reply(`451 4.3.0 <${address}>: Temporary lookup failure`);
          if (rejected.has(address.toLowerCase()))
            return reply(`550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table`);
          to.push(address);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (from === undefined) return reply('503 5.5.1 Error: need RCPT command');
          if (to.length === 0) return reply('554 5.5.1 Error: no valid recipients');
          dataLines = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          reset();
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return reply('502 5.5.2 Error: command not recognized');
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    messages,
    commands,
    rejectRecipients(...addresses) {
      for (const a of addresses) rejected.add(a.toLowerCase());
    },
    temporarilyFail(on) {
      tempFail = on;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function parse(raw: string): { subject: string | undefined; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(unfolded)?.[1];
  return { subject, body };
}
