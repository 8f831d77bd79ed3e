import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { itIsolatesTenants } from '../../helpers/isolation.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

const widget = (tenant: Tenant) => ({ 'x-widget-token': tenant.credentials.widget_token });

async function post(t: TestApp, url: string, headers: Record<string, string>, payload?: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function startWidget(t: TestApp, headers: Record<string, string>): Promise<string> {
  const res = await post(t, '/v1/widget/session/start', headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ session_id: string }>().session_id;
}

describe.each(dialects)('spec C widget sessions on $label', ({ dialect, skip }) => {
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

  it.skipIf(skip)('runs a web chat with the widget token: start, turns on channel web, end', async () => {
    const id = await startWidget(t, widget(tenant));
    const turn = await post(t, `/v1/widget/session/${id}/input`, widget(tenant), { text: 'my name is Jane Doe' });
    expect(turn.statusCode, turn.body).toBe(200);
    const body = turn.json();
    expect(body.reply_text).not.toBe('');
    expect(body.session_state.collected.name).toBe('Jane Doe');
    expect(body.audio).toBeNull();
    expect(body.audio_unavailable_reason).toBe('web sessions answer in text');
    const rows = await t.deps.database.db
      .selectFrom('conversations')
      .select(['channel'])
      .where('tenant_id', '=', tenant.id)
      .where('session_id', '=', id)
      .execute();
    expect(rows).toEqual([{ channel: 'web' }]);
    const end = await post(t, `/v1/widget/session/${id}/end`, widget(tenant));
    expect(end.json()).toEqual({ status: `ended:${id}` });
    expect((await post(t, `/v1/widget/session/${id}/input`, widget(tenant), { text: 'hi' })).statusCode).toBe(410);
  });

  it.skipIf(skip)('takes the API key too, and keeps voice and widget sessions apart', async () => {
    const id = await startWidget(t, { 'x-api-key': tenant.apiKey });
    const asVoice = await post(t, `/v1/voice/session/${id}/input`, { 'x-api-key': tenant.apiKey }, { text: 'hi' });
    expect(asVoice.statusCode).toBe(404);
    const voice = await post(t, '/v1/voice/session/start', { 'x-api-key': tenant.apiKey }, {});
    const asWidget = await post(t, `/v1/widget/session/${voice.json().session_id}/end`, widget(tenant));
    expect(asWidget.statusCode).toBe(404);
  });

  it.skipIf(skip)('refuses anonymous callers and X-Business-ID alone in spec C’s envelope', async () => {
    for (const headers of [{}, { 'x-business-id': tenant.id }] as Record<string, string>[]) {
      const res = await post(t, '/v1/widget/session/start', headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ detail: expect.any(String), request_id: expect.any(String) });
    }
  });

  describe.skipIf(skip)('tenant isolation', () => {
    itIsolatesTenants(
      () => t,
      [
        {
          method: 'POST',
          path: '/v1/widget/session/:object/input',
          payload: { text: 'hello' },
          createObject: (app, owner) => startWidget(app, widget(owner)),
        },
        {
          method: 'POST',
          path: '/v1/widget/session/:object/end',
          createObject: (app, owner) => startWidget(app, widget(owner)),
        },
      ],
    );
  });

  it.skipIf(skip)('keeps another tenant’s widget token out of a session', async () => {
    const other = await t.createTenant();
    const id = await startWidget(t, widget(tenant));
    expect((await post(t, `/v1/widget/session/${id}/input`, widget(other), { text: 'hi' })).statusCode).toBe(404);
    expect((await post(t, `/v1/widget/session/${id}/end`, widget(other))).statusCode).toBe(404);
  });
});
