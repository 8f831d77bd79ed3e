import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const key = (tenant: Tenant) => ({ 'x-api-key': tenant.apiKey });

async function post(t: TestApp, url: string, headers: Record<string, string>, payload?: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function startVoice(t: TestApp, tenant: Tenant, callerPhone = '+1 415 555 0100'): Promise<string> {
  const res = await post(t, '/v1/voice/session/start', key(tenant), { caller_phone: callerPhone });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ session_id: string }>().session_id;
}

/** The customer's messages of a tenant on a channel, oldest first, with their conversation's contact. */
async function inboundTexts(t: TestApp, tenantId: string, channel: string) {
  return t.deps.database.db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.text', 'c.contact_id', 'c.session_id', 'c.id'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.channel', '=', channel)
    .where('m.direction', '=', 'inbound')
    .orderBy('m.created_at')
    .execute();
}

describe.each(dialects)('spec C voice and telephony sessions on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect });
    tenant = await t.createTenant();
  });
  afterAll(async () => {
    if (!skip) await t?.close();
  });

  it.skipIf(skip)('starts a voice session, runs text turns through the conversation core and ends it', async () => {
    const id = await startVoice(t, tenant);
    expect(id).toMatch(/^sess_/);
    const turn = await post(t, `/v1/voice/session/${id}/input`, key(tenant), { text: 'my name is John Smith' });
    expect(turn.statusCode, turn.body).toBe(200);
    const body = turn.json();
    expect(Object.keys(body).sort()).toEqual(['audio', 'audio_unavailable_reason', 'reply_text', 'session_state']);
    expect(body.reply_text).not.toBe('');
    expect(body.session_state.collected.name).toBe('John Smith');
    const messages = await inboundTexts(t, tenant.id, 'voice');
    expect(messages.filter((m) => m.session_id === id).map((m) => m.text)).toEqual(['my name is John Smith']);

    const end = await post(t, `/v1/voice/session/${id}/end`, key(tenant));
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json()).toEqual({ status: `ended:${id}` });
  });

  it.skipIf(skip)(
    'answers 410 in spec C’s envelope to input or end on an ended session, and 404 to an unknown one',
    async () => {
      const id = await startVoice(t, tenant);
      await post(t, `/v1/voice/session/${id}/end`, key(tenant));
      const late = await post(t, `/v1/voice/session/${id}/input`, key(tenant), { text: 'hello?' });
      expect(late.statusCode).toBe(410);
      expect(late.json()).toEqual({ detail: `Session '${id}' has ended`, request_id: expect.any(String) });
      expect((await post(t, `/v1/voice/session/${id}/end`, key(tenant))).statusCode).toBe(410);
      const unknown = await post(t, '/v1/voice/session/sess_nope/input', key(tenant), { text: 'hi' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().detail).toEqual(expect.any(String));
    },
  );

  it.skipIf(skip)('keeps every turn of a session in one conversation and one caller in one contact', async () => {
    const first = await startVoice(t, tenant, '(415) 555-0199');
    const second = await startVoice(t, tenant, '+14155550199');
    for (const [id, text] of [
      [first, 'I need a plumber'],
      [first, 'tomorrow morning please'],
      [second, 'calling back about the plumber'],
    ] as const)
      expect((await post(t, `/v1/voice/session/${id}/input`, key(tenant), { text })).statusCode).toBe(200);
    const rows = (await inboundTexts(t, tenant.id, 'voice')).filter((m) => [first, second].includes(m.session_id!));
    expect(new Set(rows.filter((r) => r.session_id === first).map((r) => r.id)).size).toBe(1);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(1);
  });

  it.skipIf(skip)(
    'answers a new call on /telephony/inbound with its greeting, then takes its turns and its end',
    async () => {
      const inbound = await post(t, '/telephony/inbound', key(tenant), {
        caller_phone: '555-0000',
        provider_call_id: 'CA123',
        lead_source: 'google_ads',
      });
      expect(inbound.statusCode, inbound.body).toBe(200);
      const call = inbound.json();
      expect(Object.keys(call).sort()).toEqual([
        'audio',
        'audio_unavailable_reason',
        'reply_text',
        'session_id',
        'session_state',
      ]);
      expect(call.reply_text).not.toBe('');
      expect(call.session_state.conversation_stage).toBe('greeting');
      const turn = await post(t, '/telephony/audio', key(tenant), { session_id: call.session_id, text: 'John Smith' });
      expect(turn.statusCode, turn.body).toBe(200);
      expect(turn.json().reply_text).not.toBe('');
      const end = await post(t, '/telephony/end', key(tenant), { session_id: call.session_id });
      expect(end.json()).toEqual({ status: `ended:${call.session_id}` });
      expect(
        (await post(t, '/telephony/audio', key(tenant), { session_id: call.session_id, text: 'hi' })).statusCode,
      ).toBe(410);
    },
  );

  it.skipIf(skip)(
    'refuses anonymous callers, X-Business-ID alone, another tenant’s X-Business-ID and the admin key',
    async () => {
      const other = await t.createTenant();
      const attempts: [Record<string, string>, number][] = [
        [{}, 401],
        [{ 'x-business-id': tenant.id }, 401],
        [{ ...key(tenant), 'x-business-id': other.id }, 403],
        [{ 'x-api-key': t.adminHeaders['x-admin-api-key']!, 'x-business-id': tenant.id }, 403],
        [{ 'x-widget-token': tenant.credentials.widget_token }, 403],
      ];
      for (const url of ['/v1/voice/session/start', '/telephony/inbound']) {
        for (const [headers, status] of attempts) {
          const res = await post(t, url, headers, { caller_phone: '555-0000' });
          expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(status);
          expect(res.json()).toEqual({ detail: expect.any(String), request_id: expect.any(String) });
        }
      }
      const ok = await post(t, '/v1/voice/session/start', { ...key(tenant), 'x-business-id': tenant.id }, {});
      expect(ok.statusCode).toBe(200);
    },
  );

  it.skipIf(skip)(
    'answers 422 with field locations when neither text nor audio is sent, or audio is not a WAV',
    async () => {
      const id = await startVoice(t, tenant);
      const empty = await post(t, `/v1/voice/session/${id}/input`, key(tenant), {});
      expect(empty.statusCode).toBe(422);
      expect(empty.json().detail[0].loc).toEqual(['body', 'text']);
      const notWav = await post(t, `/v1/voice/session/${id}/input`, key(tenant), {
        audio: Buffer.from('not a recording').toString('base64'),
      });
      expect(notWav.statusCode).toBe(422);
      expect(notWav.json().detail[0].loc).toEqual(['body', 'audio']);
    },
  );

  it.skipIf(skip)('counts voice and telephony calls in spec C’s voice session metrics, per business', async () => {
    const counted = await t.createTenant();
    const before = (await t.app.inject({ url: '/metrics' })).json();
    const id = await startVoice(t, counted);
    await post(t, '/telephony/audio', key(counted), { session_id: id, text: 'hello' });
    await post(t, `/v1/voice/session/${id}/end`, key(counted));
    await post(t, `/v1/voice/session/${id}/end`, key(counted));
    await post(t, '/v1/widget/session/start', key(counted));
    const after = (await t.app.inject({ url: '/metrics' })).json();
    expect(after.voice_session_requests - before.voice_session_requests).toBe(4);
    expect(after.voice_session_errors - before.voice_session_errors).toBe(1);
    expect(after.voice_sessions_by_business[counted.id]).toEqual({ requests: 4, errors: 1 });
  });

  it.skipIf(skip)('answers 404 when tenant B names tenant A’s call on /telephony/audio or /telephony/end', async () => {
    const intruder = await t.createTenant();
    const call = (await post(t, '/telephony/inbound', key(tenant), { caller_phone: '555-0000' })).json();
    const feed = await post(t, '/telephony/audio', key(intruder), { session_id: call.session_id, text: 'hi' });
    expect(feed.statusCode).toBe(404);
    expect(feed.json()).toEqual({ detail: expect.any(String), request_id: expect.any(String) });
    expect((await post(t, '/telephony/end', key(intruder), { session_id: call.session_id })).statusCode).toBe(404);
    const own = await post(t, '/telephony/audio', key(tenant), { session_id: call.session_id, text: 'hi' });
    expect(own.statusCode, own.body).toBe(200);
    expect(await inboundTexts(t, intruder.id, 'voice')).toEqual([]);
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(
      () => t,
      [
        {
          method: 'POST',
          path: '/v1/voice/session/:object/input',
          payload: { text: 'hello' },
          createObject: (app, owner) => startVoice(app, owner),
        },
        { method: 'POST', path: '/v1/voice/session/:object/end', createObject: (app, owner) => startVoice(app, owner) },
      ],
    );
  });
});

describe.each(dialects)('spec C voice sessions across two app instances on $label', ({ dialect, skip }) => {
  it.skipIf(skip)('continues on one process a session another process started, and survives that process', async () => {
    const first = await startTestApp({ dialect });
    const second = await startTestApp({ dialect, sharedDatabase: first.db });
    try {
      const tenant = await first.createTenant();
      const id = await startVoice(first, tenant);
      await first.app.close();
      const turn = await post(second, `/v1/voice/session/${id}/input`, key(tenant), { text: 'my name is John Smith' });
      expect(turn.statusCode, turn.body).toBe(200);
      expect(turn.json().session_state.collected.name).toBe('John Smith');
      expect((await post(second, `/v1/voice/session/${id}/end`, key(tenant))).json()).toEqual({
        status: `ended:${id}`,
      });
    } finally {
      await second.close();
      await first.close();
    }
  });
});
