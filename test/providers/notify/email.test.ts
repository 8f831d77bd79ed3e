import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../../src/providers/notify/email.js';
import type { Mailer, OutboxEntry, SmtpConfig } from '../../../src/providers/notify/email.js';
import { NotifyError } from '../../../src/providers/notify/notify.js';
import { startSmtpFake } from '../../fakes/smtp.fake.js';
import type { SmtpFake } from '../../fakes/smtp.fake.js';

const alertMail = {
  to: 'manager@company.com',
  subject: 'HOT lead: John Smith (92)',
  text: 'John Smith wants a kitchen remodel.\n.\nCall back today.',
};

describe('email over SMTP', () => {
  let smtp: SmtpFake;
  const mailers: Mailer[] = [];
  beforeEach(async () => {
    smtp = await startSmtpFake();
  });
  afterEach(async () => {
    for (const m of mailers.splice(0)) m.close();
    await smtp.close();
  });
  const mailer = (overrides: Partial<SmtpConfig> = {}): Mailer => {
    const m = createMailer({
      from: 'Frontdesk <alerts@frontdesk.test>',
      dataDir: os.tmpdir(),
      smtp: { host: smtp.host, port: smtp.port, secure: false, timeoutMs: 2_000, ...overrides },
    });
    mailers.push(m);
    return m;
  };

  it('delivers the message with its envelope, subject and body, dot-stuffing intact', async () => {
    const result = await mailer().send(alertMail);

    expect(result).toMatchObject({ transport: 'smtp', accepted: ['manager@company.com'], rejected: [] });
    expect(result.messageId).toMatch(/^<.+@.+>$/);
    expect(result.path).toBeUndefined();
    const [mail] = smtp.messages;
    expect(mail?.from).toBe('alerts@frontdesk.test');
    expect(mail?.to).toEqual(['manager@company.com']);
    expect(mail?.subject).toBe('HOT lead: John Smith (92)');
    expect(mail?.body).toContain('John Smith wants a kitchen remodel.\r\n.\r\nCall back today.');
    expect(mail?.raw).toContain(`Message-ID: ${result.messageId}`);
    expect(smtp.commands.slice(0, 4).map((c) => c.split(/[ :]/)[0])).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA']);
  });

  it("surfaces the server's 550 when it rejects the only recipient, as final", async () => {
    smtp.rejectRecipients('nobody@company.com');
    const err = await mailer()
      .send({ ...alertMail, to: 'nobody@company.com' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(NotifyError);
    expect(err).toMatchObject({
      channel: 'email',
      kind: 'rejected',
      status: 550,
      retryable: false,
      message: expect.stringContaining('User unknown'),
    });
    expect(smtp.messages).toHaveLength(0);
  });

  it('delivers to the recipients the server accepts and reports the one it rejected', async () => {
    smtp.rejectRecipients('nobody@company.com');
    const result = await mailer().send({ ...alertMail, to: ['manager@company.com', 'nobody@company.com'] });

    expect(result.accepted).toEqual(['manager@company.com']);
    expect(result.rejected).toEqual(['nobody@company.com']);
    expect(smtp.messages[0]?.to).toEqual(['manager@company.com']);
  });

  it('reports a temporary 451 as retryable', async () => {
    smtp.temporarilyFail(true);
    await expect(mailer().send(alertMail)).rejects.toMatchObject({ kind: 'unavailable', status: 451, retryable: true });
  });

  it('authenticates with AUTH PLAIN and reports bad credentials as an auth error', async () => {
    await smtp.close();
    smtp = await startSmtpFake({ auth: { user: 'alerts', pass: 's3cret' } });

    await expect(mailer({ auth: { user: 'alerts', pass: 's3cret' } }).send(alertMail)).resolves.toMatchObject({
      transport: 'smtp',
    });
    await expect(mailer({ auth: { user: 'alerts', pass: 'wrong' } }).send(alertMail)).rejects.toMatchObject({
      kind: 'auth',
      status: 535,
      retryable: false,
    });
    expect(smtp.messages).toHaveLength(1);
  });

  it('reports a server that cannot be reached as retryable', async () => {
    const port = smtp.port;
    await smtp.close();
    smtp = await startSmtpFake();

    await expect(mailer({ port }).send(alertMail)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
  });
});

describe('email outbox (no SMTP configured)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-outbox-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes an RFC 822 .eml with CRLF line ends and lists it in index.jsonl', async () => {
    const mailer = createMailer({ from: 'Frontdesk <alerts@frontdesk.test>', dataDir });
    const result = await mailer.send({
      ...alertMail,
      to: ['manager@company.com', 'owner@company.com'],
      html: '<p>John Smith</p>',
    });
    mailer.close();

    expect(mailer.transport).toBe('outbox');
    expect(result.transport).toBe('outbox');
    expect(result.accepted).toEqual(['manager@company.com', 'owner@company.com']);
    expect(path.dirname(result.path!)).toBe(path.join(dataDir, 'outbox'));
    expect(path.basename(result.path!)).toMatch(/^msg_[0-9a-z]{26}\.eml$/);

    const eml = fs.readFileSync(result.path!, 'utf8');
    expect(eml).toMatch(/^From: Frontdesk <alerts@frontdesk\.test>\r$/m);
    expect(eml).toMatch(/^To: manager@company\.com, owner@company\.com\r$/m);
    expect(eml).toMatch(/^Subject: HOT lead: John Smith \(92\)\r$/m);
    expect(eml).toContain(`Message-ID: ${result.messageId}\r\n`);
    expect(eml).toContain('Content-Type: multipart/alternative');
    expect(eml).toContain('John Smith wants a kitchen remodel.\r\n.\r\nCall back today.');
    expect(eml.replace(/\r\n/g, '')).not.toContain('\n');

    const lines = fs
      .readFileSync(path.join(dataDir, 'outbox', 'index.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const entry = JSON.parse(lines[0]!) as OutboxEntry;
    expect(entry).toMatchObject({
      messageId: result.messageId,
      file: path.basename(result.path!),
      from: 'alerts@frontdesk.test',
      to: ['manager@company.com', 'owner@company.com'],
      subject: 'HOT lead: John Smith (92)',
    });
    expect(Number.isNaN(Date.parse(entry.createdAt))).toBe(false);
  });

  it('appends one index line per message', async () => {
    const mailer = createMailer({ from: 'alerts@frontdesk.test', dataDir });
    await mailer.send(alertMail);
    await mailer.send({ ...alertMail, subject: 'Second' });

    const entries = fs
      .readFileSync(path.join(dataDir, 'outbox', 'index.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as OutboxEntry);
    expect(entries.map((e) => e.subject)).toEqual(['HOT lead: John Smith (92)', 'Second']);
    expect(fs.readdirSync(path.join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
  });

  it('reports an outbox it cannot write as retryable', async () => {
    const blocked = path.join(dataDir, 'file');
    fs.writeFileSync(blocked, 'not a directory');
    const mailer = createMailer({ from: 'alerts@frontdesk.test', dataDir: blocked });

    await expect(mailer.send(alertMail)).rejects.toMatchObject({
      channel: 'email',
      kind: 'unavailable',
      retryable: true,
    });
  });
});
