import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asksForPerson } from '../../../src/domain/inbound/index.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';

const BASE = 'https://frontdesk.example.com';
const TOKEN_A = 'voice-auth-token-a-0123456789';
const TOKEN_B = 'voice-auth-token-b-0123456789';
const CALL = `CA${'c'.repeat(32)}`;

const call = (fields: Record<string, string> = {}) => ({
  CallSid: CALL,
  AccountSid: `AC${'a'.repeat(32)}`,
  From: '+12125550100',
  To: '+13125550199',
  ...fields,
});

describe.each(dialects)('POST /twilio/voice on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let a: string;
  let b: string;

  const signed = (path: string, fields: Record<string, string>, token = TOKEN_A) =>
    t.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${BASE}${path}`, fields),
      },
      payload: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, env: { PUBLIC_BASE_URL: BASE } });
    a = (
      await t.createTenant({
        configuration: {
          channels: { twilio: { auth_token: TOKEN_A, transfer_number: '+13125550000' } },
          chatbot: { default_greeting: 'Thanks for calling Acme Heating.' },
        },
      })
    ).id;
    b = (await t.createTenant({ configuration: { channels: { twilio: { auth_token: TOKEN_B } } } })).id;
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  it.skipIf(skip)('greets a new call and gathers speech, posting back with the same business_id', async () => {
    const path = `/twilio/voice?business_id=${a}`;
    const res = await signed(path, call());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="speech" action="/twilio/voice?business_id=${a}&amp;gathered=1" method="POST" speechTimeout="auto" actionOnEmptyResult="true"><Say>Thanks for calling Acme Heating.</Say></Gather></Response>`,
    );
  });

  it.skipIf(skip)("takes SpeechResult as the caller's words through the conversation core", async () => {
    const path = `/twilio/voice?business_id=${a}`;
    const res = await signed(path, call({ SpeechResult: 'My furnace stopped working last night' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<Gather input="speech"[^>]*><Say>.+<\/Say><\/Gather>/s);
    const rows = await t.db.database.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.text', 'messages.direction', 'conversations.channel'])
      .where('messages.tenant_id', '=', a)
      .execute();
    expect(rows).toContainEqual({
      text: 'My furnace stopped working last night',
      direction: 'inbound',
      channel: 'voice',
    });
  });

  it.skipIf(skip)("dials a caller who asks for a person through to the tenant's transfer number", async () => {
    const res = await signed(`/twilio/voice?business_id=${a}`, call({ SpeechResult: 'Can I speak to a real person?' }));
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Connecting you now.</Say><Dial>+13125550000</Dial></Response>',
    );
  });

  it.skipIf(skip)('asks once more after a silent turn, then says goodbye and hangs up after a second', async () => {
    const first = await signed(`/twilio/voice?business_id=${a}&gathered=1`, call());
    expect(first.statusCode).toBe(200);
    expect(first.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="speech" action="/twilio/voice?business_id=${a}&amp;gathered=1&amp;silences=1" method="POST" speechTimeout="auto" actionOnEmptyResult="true"><Say>Sorry, I didn't hear anything. Are you still there? Please tell me how I can help.</Say></Gather></Response>`,
    );
    const second = await signed(`/twilio/voice?business_id=${a}&gathered=1&silences=1`, call({ SpeechResult: '' }));
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Say>I still can't hear you, so I'll end the call now. Please call back any time. Goodbye!</Say><Hangup/></Response>`,
    );
  });

  it.skipIf(skip)('listens normally again once the caller speaks after a silence', async () => {
    const res = await signed(
      `/twilio/voice?business_id=${a}&gathered=1&silences=1`,
      call({ SpeechResult: 'Sorry, my water heater is leaking' }),
    );
    expect(res.body).toContain(`action="/twilio/voice?business_id=${a}&amp;gathered=1"`);
    expect(res.body).not.toContain('<Hangup/>');
  });

  it.skipIf(skip)('refuses a silence mark under a wrong signature', async () => {
    const path = `/twilio/voice?business_id=${a}&gathered=1&silences=1`;
    const res = await signed(path, call(), TOKEN_B);
    expect(res.statusCode).toBe(401);
  });

  it.skipIf(skip)("refuses tenant B's business_id under tenant A's signature, storing nothing", async () => {
    const path = `/twilio/voice?business_id=${b}`;
    const res = await signed(path, call({ SpeechResult: 'hello' }), TOKEN_A);
    expect(res.statusCode).toBe(401);
    const stored = await t.db.database.db.selectFrom('messages').select('id').where('tenant_id', '=', b).execute();
    expect(stored).toEqual([]);
  });
});

describe('asksForPerson', () => {
  it.each([
    ['operator', true],
    ['representative please', true],
    ['Can I speak to a real person?', true],
    ['I want to talk to someone', true],
    ['put me through to an agent', true],
    ['my furnace is making a noise', false],
    ['someone broke my window', false],
    ['the person who came last time was great', false],
  ])('reads %j as %s', (speech, expected) => {
    expect(asksForPerson(speech)).toBe(expected);
  });
});
