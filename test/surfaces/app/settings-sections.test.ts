import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { browserRequests, signedInUser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe.each(dialects)('web app settings sections on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const send = browserRequests(() => t.app);
  let visitors = 0;
  const chat = async (apiKey: string, text: string) => {
    visitors += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/chat/message',
      headers: { 'x-api-key': apiKey },
      payload: { user_id: `visitor_${visitors}`, channel: 'web', content: { type: 'text', text } },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Body>().data.response.text as string;
  };
  const owner = async (name: string) => {
    const tenant = await t.createTenant({ name });
    const { browser } = await signedInUser(t, tenant.id, {
      email: `owner@${name.toLowerCase()}.example`,
      role: 'owner',
    });
    return { tenant, browser };
  };

  it.skipIf(skip)('keeps holidays with the hours, and the bot answers a holiday like a closed day', async () => {
    const { tenant, browser } = await owner('Holiday');
    const settings = (await send(browser, 'GET', '/app/api/settings')).body.data;
    const allDay = settings.hours.map((h: Body) => ({ day: h.day, open: '00:00', close: '00:00' }));
    const business = { ...settings.business, timezone: 'UTC' };
    expect((await send(browser, 'PATCH', '/app/api/settings', { business, hours: allDay })).status).toBe(200);
    expect(await chat(tenant.apiKey, 'What are your opening hours?')).toContain("We're open now");

    // Yesterday, today and tomorrow in UTC: today is a holiday whenever the test runs.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const holidays = [1, -1, 0].map((offset) => ({ date: day(offset), name: offset === 0 ? 'Founders Day' : null }));
    const saved = await send(browser, 'PATCH', '/app/api/settings', { business, hours: [], holidays });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data.holidays.map((h: Body) => h.date)).toEqual([day(-1), day(0), day(1)]);
    expect(saved.body.data.holidays[1]).toEqual({ date: day(0), name: 'Founders Day' });
    expect(saved.body.data.hours[0]).toEqual({ day: 'mon', open: '00:00', close: '00:00' });
    expect(await chat(tenant.apiKey, 'What are your opening hours?')).toContain("We're closed today for Founders Day");

    const twice = { business, hours: [], holidays: [holidays[0], holidays[0]] };
    expect((await send(browser, 'PATCH', '/app/api/settings', twice)).status).toBe(400);
  });

  it.skipIf(skip)('adds, edits and removes knowledge entries, and the bot answers from a new one at once', async () => {
    const { tenant, browser } = await owner('Knowing');
    const question = 'Do you have bike parking?';
    expect(await chat(tenant.apiKey, question)).not.toContain('racks by the front door');
    const added = await send(browser, 'POST', '/app/api/settings/knowledge', {
      question,
      answer: 'Yes, there are bike racks by the front door.',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.data).toMatchObject({ id: 'faq_1', question });
    expect(await chat(tenant.apiKey, question)).toContain('racks by the front door');

    const second = await send(browser, 'POST', '/app/api/settings/knowledge', { question: 'Q2?', answer: 'A2.' });
    expect(second.body.data.id).toBe('faq_2');
    const edited = await send(browser, 'PATCH', '/app/api/settings/knowledge/faq_1', {
      question,
      answer: 'Yes, bike racks sit behind the building.',
    });
    expect(edited.body.data.answer).toBe('Yes, bike racks sit behind the building.');
    expect((await send(browser, 'DELETE', '/app/api/settings/knowledge/faq_1')).status).toBe(204);
    const list = await send(browser, 'GET', '/app/api/settings/knowledge');
    expect(list.body.data).toEqual([{ id: 'faq_1', question: 'Q2?', answer: 'A2.' }]);
    expect((await send(browser, 'DELETE', '/app/api/settings/knowledge/faq_9')).status).toBe(404);
    expect((await send(browser, 'POST', '/app/api/settings/knowledge', { question: '', answer: 'x' })).status).toBe(
      400,
    );
  });

  it.skipIf(skip)('replaces the services with prices, and the bot quotes a price', async () => {
    const { tenant, browser } = await owner('Priced');
    const saved = await send(browser, 'PUT', '/app/api/settings/services', {
      services: [
        { name: 'Teeth whitening', price: 'from $300', keywords: ['whitening'] },
        { id: 'cleaning', name: 'Cleaning', price: null, keywords: [] },
      ],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data.services).toEqual([
      { id: 'teeth_whitening', name: 'Teeth whitening', price: 'from $300', keywords: ['whitening'] },
      { id: 'cleaning', name: 'Cleaning', price: null, keywords: [] },
    ]);
    expect((await send(browser, 'GET', '/app/api/settings/services')).body.data).toEqual(saved.body.data);
    expect(await chat(tenant.apiKey, 'How much does teeth whitening cost?')).toContain('from $300');
  });

  it.skipIf(skip)('shows channels with secrets write-only, and changes their plain settings and on/off', async () => {
    const { browser } = await owner('Channels');
    const before = (await send(browser, 'GET', '/app/api/settings/channels')).body.data as Body[];
    expect(before.map((c) => c.channel)).toEqual(['whatsapp', 'messenger', 'slack', 'teams', 'telegram', 'twilio']);
    expect(before.every((c) => c.status === 'not_connected')).toBe(true);

    const saved = await send(browser, 'PATCH', '/app/api/settings/channels/messenger', {
      fields: { page_id: '104728391' },
      secrets: { app_secret: 'meta-app-secret-value' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data).toMatchObject({
      status: 'connected',
      enabled: true,
      fields: { page_id: '104728391' },
      secrets: { app_secret: true, access_token: false },
    });
    const read = JSON.stringify((await send(browser, 'GET', '/app/api/settings/channels')).body);
    expect(read).not.toContain('meta-app-secret-value');

    const off = await send(browser, 'PATCH', '/app/api/settings/channels/messenger', { enabled: false });
    expect(off.body.data).toMatchObject({ status: 'off', enabled: false, secrets: { app_secret: true } });
    const foreign = await send(browser, 'PATCH', '/app/api/settings/channels/teams', { fields: { page_id: '1' } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields[0].field).toBe('fields.page_id');
  });

  it.skipIf(skip)('changes the notification rules and shows the Slack webhook masked', async () => {
    const { browser } = await owner('Notify');
    const before = (await send(browser, 'GET', '/app/api/settings/notifications')).body.data;
    expect(before).toMatchObject({
      wait_limit_minutes: 10,
      email_enabled: true,
      sms_enabled: false,
      owner_phone: null,
    });
    const url = 'https://hooks.slack.com/services/T000/B000/abcdWXYZ';
    const saved = await send(browser, 'PATCH', '/app/api/settings/notifications', {
      wait_limit_minutes: 15,
      email_enabled: false,
      slack_webhook_url: url,
      owner_email: 'boss@notify.example',
      sms_enabled: true,
      owner_phone: '+14155550123',
      events: { webhook_disabled: false },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data).toEqual({
      wait_limit_minutes: 15,
      answer_within_minutes: 60,
      email_enabled: false,
      sms_enabled: true,
      slack_webhook_url: 'https://hooks.slack.com/…WXYZ',
      owner_email: 'boss@notify.example',
      owner_phone: '+14155550123',
      events: { hot_lead: true, pipeline_failed: true, webhook_disabled: false },
    });
    const plain = { slack_webhook_url: 'http://hooks.slack.com/services/x' };
    const refused = await send(browser, 'PATCH', '/app/api/settings/notifications', plain);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].field).toContain('slack_webhook_url');
    const local = await send(browser, 'PATCH', '/app/api/settings/notifications', { owner_phone: '555 0100' });
    expect(local.status).toBe(400);
    expect(local.body.error.fields[0].field).toContain('owner_phone');
    const cleared = await send(browser, 'PATCH', '/app/api/settings/notifications', { slack_webhook_url: null });
    expect(cleared.body.data.slack_webhook_url).toBeNull();
  });

  it.skipIf(skip)('refuses agents and viewers every write, and keeps each tenant to its own settings', async () => {
    const { tenant, browser: mine } = await owner('Mine');
    const { browser: theirs } = await owner('Theirs');
    const writes: [Method, string, object | undefined][] = [
      ['PUT', '/app/api/settings/services', { services: [] }],
      ['POST', '/app/api/settings/knowledge', { question: 'Q?', answer: 'A.' }],
      ['PATCH', '/app/api/settings/knowledge/faq_1', { question: 'Q?', answer: 'A.' }],
      ['DELETE', '/app/api/settings/knowledge/faq_1', undefined],
      ['PATCH', '/app/api/settings/channels/slack', { enabled: false }],
      ['PATCH', '/app/api/settings/notifications', { wait_limit_minutes: 5 }],
    ];
    for (const role of ['agent', 'viewer']) {
      const { browser } = await signedInUser(t, tenant.id, { email: `${role}@mine.example`, role });
      for (const [method, url, payload] of writes)
        expect((await send(browser, method, url, payload)).status, `${role} ${method} ${url}`).toBe(403);
    }

    await send(mine, 'POST', '/app/api/settings/knowledge', { question: 'Mine?', answer: 'Yes, mine.' });
    await send(mine, 'PATCH', '/app/api/settings/channels/slack', { fields: { team_id: 'T_MINE' } });
    await send(mine, 'PUT', '/app/api/settings/services', { services: [{ name: 'Mine', price: '$1', keywords: [] }] });
    await send(mine, 'PATCH', '/app/api/settings/notifications', { owner_email: 'me@mine.example' });
    expect((await send(theirs, 'GET', '/app/api/settings/knowledge')).body.data).toEqual([]);
    expect(
      (await send(theirs, 'PATCH', '/app/api/settings/knowledge/faq_1', { question: 'Q?', answer: 'A.' })).status,
    ).toBe(404);
    expect((await send(theirs, 'DELETE', '/app/api/settings/knowledge/faq_1')).status).toBe(404);
    const channels = (await send(theirs, 'GET', '/app/api/settings/channels')).body.data as Body[];
    expect(channels.find((c) => c.channel === 'slack')?.fields.team_id).toBeNull();
    expect((await send(theirs, 'GET', '/app/api/settings/services')).body.data.services).toEqual([]);
    expect((await send(theirs, 'GET', '/app/api/settings/notifications')).body.data.owner_email).toBeNull();
    expect((await send(mine, 'GET', '/app/api/settings/knowledge')).body.data).toHaveLength(1);
  });
});
