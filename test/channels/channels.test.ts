import { describe, expect, it } from 'vitest';
import { verifyBearerToken } from '../../src/channels/generic.js';
import { parseMessenger, verifyMessengerSignature } from '../../src/channels/messenger.js';
import { parseSlack, signSlack, verifySlackSignature } from '../../src/channels/slack.js';
import { parseTeams, signTeams, verifyTeamsSignature } from '../../src/channels/teams.js';
import { parseTelegram, verifyTelegramSecret } from '../../src/channels/telegram.js';
import { parseWhatsApp, signMeta, verifyMetaSignature } from '../../src/channels/whatsapp.js';
import { SPEC_WHATSAPP } from './fixtures.js';

const now = new Date('2026-11-23T12:00:00Z');

const waValue = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15551234567', phone_number_id: '987654321' },
            ...value,
          },
        },
      ],
    },
  ],
});

describe('WhatsApp and Messenger signatures (X-Hub-Signature-256)', () => {
  const raw = Buffer.from(JSON.stringify(SPEC_WHATSAPP));
  it('accepts sha256= HMAC of the raw body with the app secret', () => {
    expect(verifyMetaSignature(raw, { 'x-hub-signature-256': signMeta('app-secret', raw) }, ['app-secret'])).toEqual({
      ok: true,
    });
    expect(
      verifyMessengerSignature(raw, { 'x-hub-signature-256': signMeta('app-secret', raw) }, ['old', 'app-secret']),
    ).toEqual({ ok: true });
  });
  it('rejects a signature made with another secret', () => {
    expect(verifyMetaSignature(raw, { 'x-hub-signature-256': signMeta('other', raw) }, ['app-secret'])).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });
  it('rejects a body changed after signing (one byte)', () => {
    const sig = signMeta('app-secret', raw);
    const changed = Buffer.from(raw.toString().replace('ORD123456', 'ORD123457'));
    expect(verifyMetaSignature(changed, { 'x-hub-signature-256': sig }, ['app-secret']).ok).toBe(false);
  });
  it('rejects a missing or malformed header', () => {
    expect(verifyMetaSignature(raw, {}, ['app-secret'])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyMetaSignature(raw, { 'x-hub-signature-256': 'sha1=abc' }, ['app-secret'])).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
  });
});

describe('WhatsApp payloads', () => {
  it("normalises spec D's text message example", () => {
    const [batch] = parseWhatsApp(SPEC_WHATSAPP, now);
    expect(batch!.phoneNumberId).toBe('987654321');
    expect(batch!.messages).toEqual([
      {
        channel: 'whatsapp',
        externalMessageId: 'wamid.abc123def456',
        platformUserId: '1234567890',
        text: 'Hi, I need help with my order ORD123456',
        phone: '+1234567890',
        receivedAt: new Date(1672531200 * 1000),
        context: { phone_number_id: '987654321' },
      },
    ]);
  });
  it('reads interactive button and list replies as text plus payload, with the profile name', () => {
    const [batch] = parseWhatsApp(
      waValue({
        contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551181' }],
        messages: [
          {
            from: '16315551181',
            id: 'wamid.b1',
            timestamp: '1700000000',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'book_now', title: 'Book now' } },
          },
          {
            from: '16315551181',
            id: 'wamid.l1',
            timestamp: '1700000001',
            type: 'interactive',
            interactive: {
              type: 'list_reply',
              list_reply: { id: 'svc_plumbing', title: 'Plumbing', description: 'Leaks, pipes' },
            },
          },
        ],
      }),
      now,
    );
    expect(batch!.messages.map((m) => [m.text, m.payload, m.senderName])).toEqual([
      ['Book now', 'book_now', 'Kerry Fisher'],
      ['Plumbing', 'svc_plumbing', 'Kerry Fisher'],
    ]);
  });
  it('reads image, audio and document media with caption and mime type', () => {
    const [batch] = parseWhatsApp(
      waValue({
        messages: [
          {
            from: '1555',
            id: 'wamid.i',
            timestamp: '1700000000',
            type: 'image',
            image: { caption: 'the leak', mime_type: 'image/jpeg', sha256: 'x', id: 'MEDIA1' },
          },
          {
            from: '1555',
            id: 'wamid.a',
            timestamp: '1700000000',
            type: 'audio',
            audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'x', id: 'MEDIA2', voice: true },
          },
          {
            from: '1555',
            id: 'wamid.d',
            timestamp: '1700000000',
            type: 'document',
            document: {
              caption: 'quote',
              filename: 'quote.pdf',
              mime_type: 'application/pdf',
              sha256: 'x',
              id: 'MEDIA3',
            },
          },
        ],
      }),
      now,
    );
    const [image, audio, doc] = batch!.messages;
    expect(image).toMatchObject({
      text: 'the leak',
      media: [{ kind: 'image', mimeType: 'image/jpeg', caption: 'the leak' }],
      context: { media_ids: ['MEDIA1'] },
    });
    expect(audio).toMatchObject({ text: '[audio]', media: [{ kind: 'audio', mimeType: 'audio/ogg; codecs=opus' }] });
    expect(doc).toMatchObject({
      text: 'quote',
      media: [{ kind: 'file', mimeType: 'application/pdf', caption: 'quote' }],
    });
  });
  it('reads statuses: sent, delivered, read and failed with its error', () => {
    const [batch] = parseWhatsApp(
      waValue({
        statuses: [
          { id: 'wamid.out1', status: 'delivered', timestamp: '1700000100', recipient_id: '1555' },
          {
            id: 'wamid.out2',
            status: 'failed',
            timestamp: '1700000200',
            recipient_id: '1555',
            errors: [
              { code: 131026, title: 'Message undeliverable', error_data: { details: 'Receiver is incapable' } },
            ],
          },
        ],
      }),
      now,
    );
    expect(batch!.statuses).toEqual([
      { externalMessageId: 'wamid.out1', status: 'delivered', at: new Date(1700000100 * 1000) },
      {
        externalMessageId: 'wamid.out2',
        status: 'failed',
        at: new Date(1700000200 * 1000),
        error: '131026 Message undeliverable Receiver is incapable',
      },
    ]);
    expect(batch!.messages).toEqual([]);
  });
});

describe('Messenger payloads', () => {
  const page = (messaging: unknown[]) => ({
    object: 'page',
    entry: [{ id: 'PAGE_1', time: 1700000000000, messaging }],
  });
  it('reads text, quick-reply payloads, postbacks and attachments, and skips echoes', () => {
    const [batch] = parseMessenger(
      page([
        {
          sender: { id: 'PSID1' },
          recipient: { id: 'PAGE_1' },
          timestamp: 1700000000000,
          message: { mid: 'm_1', text: 'Hello' },
        },
        {
          sender: { id: 'PSID1' },
          recipient: { id: 'PAGE_1' },
          timestamp: 1700000001000,
          message: { mid: 'm_2', text: 'Yes', quick_reply: { payload: 'CONFIRM_YES' } },
        },
        {
          sender: { id: 'PSID1' },
          recipient: { id: 'PAGE_1' },
          timestamp: 1700000002000,
          postback: { mid: 'm_3', title: 'Get Started', payload: 'GET_STARTED' },
        },
        {
          sender: { id: 'PSID1' },
          recipient: { id: 'PAGE_1' },
          timestamp: 1700000003000,
          message: {
            mid: 'm_4',
            attachments: [{ type: 'image', payload: { url: 'https://scontent.example/photo.jpg' } }],
          },
        },
        {
          sender: { id: 'PAGE_1' },
          recipient: { id: 'PSID1' },
          timestamp: 1700000004000,
          message: { mid: 'm_5', text: 'our own', is_echo: true },
        },
        {
          sender: { id: 'PSID1' },
          recipient: { id: 'PAGE_1' },
          timestamp: 1700000005000,
          read: { watermark: 1700000004000 },
        },
      ]),
      now,
    );
    expect(batch!.pageId).toBe('PAGE_1');
    expect(batch!.messages.map((m) => [m.externalMessageId, m.text, m.payload ?? null])).toEqual([
      ['m_1', 'Hello', null],
      ['m_2', 'Yes', 'CONFIRM_YES'],
      ['m_3', 'Get Started', 'GET_STARTED'],
      ['m_4', '[image]', null],
    ]);
    expect(batch!.messages[3]!.media).toEqual([{ kind: 'image', url: 'https://scontent.example/photo.jpg' }]);
    expect(batch!.watermarks).toEqual([{ psid: 'PSID1', status: 'read', watermark: new Date(1700000004000) }]);
  });
});

describe('Slack signatures (v0)', () => {
  const raw = Buffer.from('token=x&team_id=T1&command=%2Fchatbot&text=hi');
  const at = Math.floor(now.getTime() / 1000);
  const headers = (sig: string, ts = at) => ({ 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) });
  it('accepts v0= HMAC of v0:{timestamp}:{raw body}', () => {
    expect(verifySlackSignature(raw, headers(signSlack('signing', at, raw)), ['signing'], now.getTime())).toEqual({
      ok: true,
    });
  });
  it('rejects another secret', () => {
    expect(verifySlackSignature(raw, headers(signSlack('other', at, raw)), ['signing'], now.getTime())).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });
  it('rejects a timestamp more than five minutes old, even correctly signed', () => {
    const old = at - 301;
    expect(verifySlackSignature(raw, headers(signSlack('signing', old, raw), old), ['signing'], now.getTime())).toEqual(
      { ok: false, reason: 'stale_timestamp' },
    );
  });
  it('rejects missing headers', () => {
    expect(verifySlackSignature(raw, {}, ['signing'], now.getTime())).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(
      verifySlackSignature(raw, { 'x-slack-signature': signSlack('signing', at, raw) }, ['signing'], now.getTime()),
    ).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe('Slack payloads', () => {
  it('answers url_verification with its challenge', () => {
    expect(
      parseSlack(
        { token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' },
        now,
      ),
    ).toEqual({ kind: 'url_verification', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });
  it('reads a message event and ignores bot messages and edits', () => {
    const base = {
      token: 'x',
      team_id: 'T123ABC456',
      api_app_id: 'A123ABC456',
      type: 'event_callback',
      event_id: 'Ev123ABC456',
      event_time: 1700000000,
    };
    const got = parseSlack(
      {
        ...base,
        event: {
          type: 'message',
          channel: 'D024BE91L',
          user: 'U2147483697',
          text: 'Hello hello can you hear me?',
          ts: '1355517523.000005',
          channel_type: 'im',
        },
      },
      now,
    );
    expect(got).toMatchObject({
      kind: 'message',
      teamId: 'T123ABC456',
      appId: 'A123ABC456',
      message: {
        externalMessageId: 'D024BE91L:1355517523.000005',
        platformUserId: 'U2147483697',
        replyTo: 'D024BE91L',
        text: 'Hello hello can you hear me?',
      },
    });
    expect(
      parseSlack({ ...base, event: { type: 'message', channel: 'D1', bot_id: 'B1', text: 'ours', ts: '1.2' } }, now),
    ).toMatchObject({ kind: 'ignored', reason: 'bot message' });
    expect(
      parseSlack({ ...base, event: { type: 'message', subtype: 'message_changed', channel: 'D1', ts: '1.2' } }, now),
    ).toMatchObject({ kind: 'ignored' });
  });
  it("reads spec D's slash command", () => {
    const form = {
      token: 'verification_token_here',
      team_id: 'T1234567',
      team_domain: 'mycompany',
      channel_id: 'C2147483705',
      channel_name: 'general',
      user_id: 'U2147483697',
      user_name: 'john.doe',
      command: '/chatbot',
      text: 'help with expense reports',
      response_url: 'https://hooks.slack.com/commands/1234/5678',
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
    };
    expect(parseSlack(form, now)).toMatchObject({
      kind: 'slash_command',
      teamId: 'T1234567',
      responseUrl: 'https://hooks.slack.com/commands/1234/5678',
      message: {
        externalMessageId: 'command:13345224609.738474920.8088930838d88f008e0',
        platformUserId: 'U2147483697',
        replyTo: 'C2147483705',
        text: 'help with expense reports',
        senderName: 'john.doe',
      },
    });
  });
  it('reads a button tap (interactive_message) as its value', () => {
    const payload = {
      type: 'interactive_message',
      actions: [{ name: 'submit_expense', type: 'button', value: 'submit_new' }],
      callback_id: 'expense_report_menu',
      team: { id: 'T1', domain: 'x' },
      channel: { id: 'C1', name: 'general' },
      user: { id: 'U1', name: 'john' },
      action_ts: '1700000000.1',
      trigger_id: '111.222',
      response_url: 'https://hooks.slack.com/actions/T1/1/abc',
    };
    expect(parseSlack({ payload: JSON.stringify(payload) }, now)).toMatchObject({
      kind: 'interaction',
      teamId: 'T1',
      message: { payload: 'submit_new', text: 'submit_expense', externalMessageId: 'action:111.222' },
    });
  });
});

describe('Teams outgoing webhook', () => {
  const token = Buffer.from('teams-security-token-bytes-0123456789').toString('base64');
  const activity = {
    type: 'message',
    id: '1485983408511',
    timestamp: '2026-11-23T11:59:58.000Z',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    channelId: 'msteams',
    from: {
      id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
      name: 'Megan Bowen',
      aadObjectId: '7faf80cb-2f8b-4a16-8fd6-7d4d2fe6b0f4',
    },
    conversation: {
      isGroup: true,
      id: '19:253b1f341670408fb6fcb9fb9a3e8e2b@thread.skype;messageid=1485983408511',
      conversationType: 'channel',
      tenantId: '72f988bf',
    },
    recipient: null,
    textFormat: 'plain',
    text: '<at>Frontdesk</at> what are your opening hours?',
    channelData: {
      teamsChannelId: '19:253b1f341670408fb6fcb9fb9a3e8e2b@thread.skype',
      teamsTeamId: '19:712a5b5d',
      tenant: { id: '72f988bf' },
    },
  };
  const raw = Buffer.from(JSON.stringify(activity));
  it('accepts HMAC of the raw body keyed by the base64-decoded security token', () => {
    expect(verifyTeamsSignature(raw, { authorization: signTeams(token, raw) }, [token])).toEqual({ ok: true });
  });
  it('rejects another token, and a missing or malformed header', () => {
    const other = Buffer.from('another-token').toString('base64');
    expect(verifyTeamsSignature(raw, { authorization: signTeams(other, raw) }, [token])).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(verifyTeamsSignature(raw, {}, [token])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyTeamsSignature(raw, { authorization: 'Bearer abc' }, [token])).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
  });
  it('normalises the activity without the @mention', () => {
    expect(parseTeams(activity, now)).toMatchObject({
      channel: 'teams',
      externalMessageId: '1485983408511',
      platformUserId: '7faf80cb-2f8b-4a16-8fd6-7d4d2fe6b0f4',
      text: 'what are your opening hours?',
      senderName: 'Megan Bowen',
      context: { ms_tenant_id: '72f988bf' },
    });
  });
});

describe('Telegram', () => {
  it('compares X-Telegram-Bot-Api-Secret-Token', () => {
    expect(verifyTelegramSecret({ 'x-telegram-bot-api-secret-token': 'tg_secret_1' }, ['tg_secret_1'])).toEqual({
      ok: true,
    });
    expect(verifyTelegramSecret({ 'x-telegram-bot-api-secret-token': 'tg_secret_2' }, ['tg_secret_1'])).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(verifyTelegramSecret({}, ['tg_secret_1'])).toEqual({ ok: false, reason: 'missing_signature' });
  });
  it('reads a message and a callback_query', () => {
    const message = {
      update_id: 10000,
      message: {
        date: 1441645532,
        chat: { last_name: 'Test Lastname', id: 1111111, first_name: 'Test', username: 'Test', type: 'private' },
        message_id: 1365,
        from: { last_name: 'Test Lastname', id: 1111111, first_name: 'Test', username: 'Test', is_bot: false },
        text: '/start',
      },
    };
    expect(parseTelegram(message, now)).toMatchObject({
      channel: 'telegram',
      externalMessageId: '10000',
      platformUserId: '1111111',
      replyTo: '1111111',
      text: '/start',
      senderName: 'Test Test Lastname',
      receivedAt: new Date(1441645532 * 1000),
    });
    const tap = {
      update_id: 10001,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: { id: 1111111, first_name: 'Test', is_bot: false },
        message: {
          message_id: 1366,
          chat: { id: 1111111, type: 'private' },
          text: 'Pick one',
          reply_markup: { inline_keyboard: [[{ text: 'Book a visit', callback_data: 'book' }]] },
        },
        data: 'book',
      },
    };
    expect(parseTelegram(tap, now)).toMatchObject({
      externalMessageId: '10001',
      text: 'Book a visit',
      payload: 'book',
      context: { callback_query_id: '4382bfdwdsb323b2d9' },
    });
  });
});

describe('generic webhook bearer token', () => {
  it('accepts the integration token and rejects others', () => {
    expect(verifyBearerToken({ authorization: 'Bearer webhook_token_abc123' }, ['webhook_token_abc123'])).toEqual({
      ok: true,
    });
    expect(verifyBearerToken({ authorization: 'Bearer nope' }, ['webhook_token_abc123'])).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    expect(verifyBearerToken({}, ['webhook_token_abc123'])).toEqual({ ok: false, reason: 'missing_signature' });
  });
});
