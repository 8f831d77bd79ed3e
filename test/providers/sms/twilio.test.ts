import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { MessagingError } from '../../../src/providers/messaging/messaging.js';
import { createTwilioSmsSender } from '../../../src/providers/sms/twilio.js';
import { startTwilioFake, twilioError, type TwilioFake } from '../../fakes/twilio.fake.js';

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-0123456789';

describe('Twilio SMS sender', () => {
  let fake: TwilioFake;
  const creds = () => ({ accountSid: ACCOUNT, authToken: TOKEN, baseUrl: fake.url });
  const sender = createTwilioSmsSender(createSafeHttp({ allowPrivate: true }));
  beforeAll(async () => {
    fake = await startTwilioFake({ accountSid: ACCOUNT, authToken: TOKEN });
  });
  afterAll(() => fake.close());

  it('creates the message through the SDK with To, From and Body as a form and returns its SM sid', async () => {
    const sent = await sender.send(creds(), { to: '+15551230000', from: '+15557654321', body: 'See you at 9' });
    expect(sent.externalMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(req.body).toEqual({ To: '+15551230000', From: '+15557654321', Body: 'See you at 9' });
    expect(fake.violations).toEqual([]);
  });

  it('reports wrong credentials as a non-retryable auth error', async () => {
    const err = await sender
      .send({ ...creds(), authToken: 'wrong' }, { to: '+15551230000', from: '+15557654321', body: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessagingError);
    expect((err as MessagingError).kind).toBe('auth');
    expect((err as MessagingError).retryable).toBe(false);
  });

  it('reports Twilio throttling as retryable', async () => {
    fake.replyNext(twilioError(429, 20429, 'Too Many Requests'));
    const err = await sender
      .send(creds(), { to: '+15551230000', from: '+15557654321', body: 'x' })
      .catch((e: unknown) => e);
    expect((err as MessagingError).kind).toBe('rate_limited');
    expect((err as MessagingError).retryable).toBe(true);
  });

  it('refuses a loopback base URL when private addresses are not allowed', async () => {
    const guarded = createTwilioSmsSender(createSafeHttp({ allowPrivate: false }));
    const err = await guarded
      .send(creds(), { to: '+15551230000', from: '+15557654321', body: 'x' })
      .catch((e: unknown) => e);
    expect((err as MessagingError).kind).toBe('refused');
  });
});
