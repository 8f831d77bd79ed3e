import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeHttp } from '../../../src/providers/http/safe-fetch.js';
import { MessagingError } from '../../../src/providers/messaging/messaging.js';
import { createMessengerSender } from '../../../src/providers/messaging/messenger.js';
import { createSlackWebSender } from '../../../src/providers/messaging/slack-web.js';
import { teamsReplyActivity } from '../../../src/providers/messaging/teams.js';
import { createTelegramSender } from '../../../src/providers/messaging/telegram.js';
import { createWhatsAppSender } from '../../../src/providers/messaging/whatsapp.js';
import { startMessengerFake, type MessengerFake } from '../../fakes/messenger.fake.js';
import { startSlackWebFake, type SlackWebFake } from '../../fakes/slack-web.fake.js';
import { startTelegramFake, type TelegramFake } from '../../fakes/telegram.fake.js';
import { startWhatsAppFake, type WhatsAppFake } from '../../fakes/whatsapp.fake.js';

const http = createSafeHttp({ allowPrivate: true });
const quick = [
  { title: 'Book a visit', payload: 'book' },
  { title: 'Get a quote', payload: 'quote' },
];

describe('WhatsApp Cloud API sender', () => {
  let fake: WhatsAppFake;
  const creds = () => ({ phoneNumberId: 'PN1', accessToken: 'EAAG-token', baseUrl: fake.url });
  beforeAll(async () => {
    fake = await startWhatsAppFake({ accessToken: 'EAAG-token', phoneNumberId: 'PN1' });
  });
  afterAll(() => fake.close());

  it('posts text to /{version}/{phone_number_id}/messages with the bearer token and returns the wamid', async () => {
    const sent = await createWhatsAppSender(http).sendText(creds(), '+15551230000', 'Hello there', []);
    expect(sent.externalMessageId).toMatch(/^wamid\./);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/v21.0/PN1/messages');
    expect(req.headers.authorization).toBe('Bearer EAAG-token');
    expect(req.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551230000',
      type: 'text',
      text: { body: 'Hello there', preview_url: false },
    });
  });

  it('sends quick replies as interactive reply buttons', async () => {
    await createWhatsAppSender(http).sendText(creds(), '15551230000', 'What next?', quick);
    expect(fake.requests.at(-1)!.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'What next?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'book', title: 'Book a visit' } },
            { type: 'reply', reply: { id: 'quote', title: 'Get a quote' } },
          ],
        },
      },
    });
  });

  it('sends a template with its language and body parameters', async () => {
    await createWhatsAppSender(http).sendTemplate(creds(), '15551230000', {
      name: 'follow_up',
      languageCode: 'en_US',
      bodyParameters: ['Your quote is ready'],
    });
    expect(fake.requests.at(-1)!.body).toMatchObject({
      type: 'template',
      template: {
        name: 'follow_up',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your quote is ready' }] }],
      },
    });
  });

  it('reports code 131047 as outside the window, and a bad token as auth (not retryable)', async () => {
    fake.closeWindow('15550000001');
    const outside = await createWhatsAppSender(http)
      .sendText(creds(), '15550000001', 'late', [])
      .catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(MessagingError);
    expect((outside as MessagingError).kind).toBe('outside_window');
    const auth = await createWhatsAppSender(http)
      .sendText({ ...creds(), accessToken: 'wrong' }, '1555', 'x', [])
      .catch((e: unknown) => e);
    expect((auth as MessagingError).kind).toBe('auth');
    expect((auth as MessagingError).retryable).toBe(false);
  });

  it('treats a 5xx as retryable', async () => {
    fake.replyNext({ status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } });
    const err = await createWhatsAppSender(http)
      .sendText(creds(), '1555', 'x', [])
      .catch((e: unknown) => e);
    expect((err as MessagingError).retryable).toBe(true);
  });
});

describe('Messenger Send API sender', () => {
  let fake: MessengerFake;
  beforeAll(async () => {
    fake = await startMessengerFake({ pageAccessToken: 'PAGE-TOKEN' });
  });
  afterAll(() => fake.close());

  it('posts to /me/messages?access_token= with recipient, messaging_type and quick replies', async () => {
    const sent = await createMessengerSender(http).sendText(
      { pageAccessToken: 'PAGE-TOKEN', baseUrl: fake.url },
      'PSID1',
      'Hi!',
      quick,
    );
    expect(sent.externalMessageId).toMatch(/^m_/);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/v21.0/me/messages?access_token=PAGE-TOKEN');
    expect(req.body).toEqual({
      recipient: { id: 'PSID1' },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Hi!',
        quick_replies: [
          { content_type: 'text', title: 'Book a visit', payload: 'book' },
          { content_type: 'text', title: 'Get a quote', payload: 'quote' },
        ],
      },
    });
  });

  it('reports a bad page token as auth', async () => {
    const err = await createMessengerSender(http)
      .sendText({ pageAccessToken: 'nope', baseUrl: fake.url }, 'PSID1', 'Hi', [])
      .catch((e: unknown) => e);
    expect((err as MessagingError).kind).toBe('auth');
  });
});

describe('Slack Web API sender', () => {
  let fake: SlackWebFake;
  beforeAll(async () => {
    fake = await startSlackWebFake({ botToken: 'xoxb-123' });
  });
  afterAll(() => fake.close());

  it('posts chat.postMessage with the bot token, text and button blocks', async () => {
    const sent = await createSlackWebSender(http).postMessage(
      { botToken: 'xoxb-123', baseUrl: fake.url },
      'C1',
      'Hello <world>',
      quick,
      '1700000000.000100',
    );
    expect(sent.externalMessageId).toMatch(/^C1:\d+\.000100$/);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/api/chat.postMessage');
    expect(req.headers.authorization).toBe('Bearer xoxb-123');
    expect(req.body).toMatchObject({
      channel: 'C1',
      text: 'Hello <world>',
      thread_ts: '1700000000.000100',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Hello &lt;world&gt;' } },
        {
          type: 'actions',
          elements: [
            { type: 'button', value: 'book' },
            { type: 'button', value: 'quote' },
          ],
        },
      ],
    });
  });

  it('reports ok:false invalid_auth as auth', async () => {
    const err = await createSlackWebSender(http)
      .postMessage({ botToken: 'xoxb-wrong', baseUrl: fake.url }, 'C1', 'x', [])
      .catch((e: unknown) => e);
    expect((err as MessagingError).kind).toBe('auth');
  });

  it("posts a late slash-command answer to its response_url in spec D's shape", async () => {
    await createSlackWebSender(http).respond(fake.responseUrl('abc'), 'Here you go', quick);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/commands/T0001/abc/secret');
    expect(req.body).toMatchObject({
      response_type: 'in_channel',
      text: 'Here you go',
      attachments: [
        {
          callback_id: 'quick_replies',
          actions: [
            { type: 'button', text: 'Book a visit', value: 'book' },
            { type: 'button', value: 'quote' },
          ],
        },
      ],
    });
  });
});

describe('Telegram sender', () => {
  let fake: TelegramFake;
  beforeAll(async () => {
    fake = await startTelegramFake({ botToken: '123456:ABC-DEF' });
  });
  afterAll(() => fake.close());

  it('calls sendMessage with an inline keyboard for quick replies', async () => {
    const sent = await createTelegramSender(http).sendMessage(
      { botToken: '123456:ABC-DEF', baseUrl: fake.url },
      '1111111',
      'Pick one',
      quick,
    );
    expect(sent.externalMessageId).toMatch(/^1111111:\d+$/);
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe('/bot123456:ABC-DEF/sendMessage');
    expect(req.body).toEqual({
      chat_id: '1111111',
      text: 'Pick one',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Book a visit', callback_data: 'book' }],
          [{ text: 'Get a quote', callback_data: 'quote' }],
        ],
      },
    });
  });

  it('reports a wrong bot token as auth', async () => {
    const err = await createTelegramSender(http)
      .sendMessage({ botToken: 'wrong', baseUrl: fake.url }, '1', 'x', [])
      .catch((e: unknown) => e);
    expect((err as MessagingError).kind).toBe('auth');
  });
});

describe('Teams reply activity', () => {
  it('is a Bot Framework message, with quick replies as imBack buttons', () => {
    expect(teamsReplyActivity('Hello', quick)).toEqual({
      type: 'message',
      text: 'Hello',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            buttons: [
              { type: 'imBack', title: 'Book a visit', value: 'book' },
              { type: 'imBack', title: 'Get a quote', value: 'quote' },
            ],
          },
        },
      ],
    });
  });
});
