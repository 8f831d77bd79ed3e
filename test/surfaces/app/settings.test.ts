import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const settings = {
  business: {
    name: 'Harbour Dental',
    phone: '+1 415 555 0100',
    email: 'desk@harbourdental.example',
    timezone: 'America/Los_Angeles',
    address: '12 Quay Street, San Francisco',
  },
  hours: WEEK.map((day) =>
    day === 'sun' ? { day, open: '10:00', close: '14:00' } : { day, open: '08:00', close: '18:00' },
  ),
};

describe.each(dialects)('web app business settings on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const send = async (browser: Browser, method: 'GET' | 'PATCH', payload?: object) => {
    const res = await t.app.inject({
      method,
      url: '/app/api/settings',
      headers: method === 'GET' ? browser.read : browser.write,
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.json<Body>() };
  };

  it.skipIf(skip)('lets an owner change the profile and hours, which the configuration then holds', async () => {
    const tenant = await t.createTenant({ name: 'Harbour' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'olivia@harbour.example', role: 'owner' });
    const before = await send(browser, 'GET');
    expect(before.status).toBe(200);
    expect(before.body.data.business.name).toBe('Harbour');
    expect(before.body.data.hours.map((h: Body) => h.day)).toEqual([...WEEK]);

    const saved = await send(browser, 'PATCH', settings);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data).toEqual({ ...settings, holidays: [] });
    expect((await send(browser, 'GET')).body.data).toEqual({ ...settings, holidays: [] });
    const config = (await t.deps.services.tenants.get(tenant.id)).config as Body;
    expect(config.business_hours.sunday).toEqual({ start: '10:00', end: '14:00', closed: false });
    expect(config.general).toMatchObject({ timezone: 'America/Los_Angeles' });

    const closedSunday = { ...settings, hours: [{ day: 'sun', open: null, close: null }] };
    const closed = await send(browser, 'PATCH', closedSunday);
    expect(closed.body.data.hours.find((h: Body) => h.day === 'sun')).toEqual({ day: 'sun', open: null, close: null });
    expect(closed.body.data.hours.find((h: Body) => h.day === 'mon')).toEqual({
      day: 'mon',
      open: '08:00',
      close: '18:00',
    });
  });

  it.skipIf(skip)('saves a new tenant’s settings with the phone, e-mail and address left empty', async () => {
    const tenant = await t.createTenant({ name: 'Quayside' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'omar@quayside.example', role: 'owner' });
    const empty = {
      ...settings,
      business: { ...settings.business, name: 'Quayside', phone: '', email: '', address: '' },
    };
    const saved = await send(browser, 'PATCH', empty);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data.business).toMatchObject({ name: 'Quayside', timezone: 'America/Los_Angeles' });
    const config = (await t.deps.services.tenants.get(tenant.id)).config as Body;
    expect(config.chatbot?.on_call_phone).toBeUndefined();
    expect(config.business_hours.sunday).toEqual({ start: '10:00', end: '14:00', closed: false });
  });

  it.skipIf(skip)('refuses agents and viewers, a bad time, and reads only the session’s own tenant', async () => {
    const tenant = await t.createTenant({ name: 'Mine' });
    const other = await t.createTenant({ name: 'Theirs' });
    const { browser: agent } = await signedInUser(t, tenant.id, { email: 'sam@mine.example', role: 'agent' });
    const { browser: viewer } = await signedInUser(t, tenant.id, { email: 'vic@mine.example', role: 'viewer' });
    const { browser: admin } = await signedInUser(t, tenant.id, { email: 'ada@mine.example', role: 'admin' });
    expect((await send(agent, 'PATCH', settings)).status).toBe(403);
    expect((await send(viewer, 'PATCH', settings)).status).toBe(403);
    expect((await send(viewer, 'GET')).status).toBe(403);
    const bad = { ...settings, hours: [{ day: 'mon', open: '25:00', close: '18:00' }] };
    expect((await send(admin, 'PATCH', bad)).status).toBe(400);

    expect((await send(admin, 'PATCH', settings)).status).toBe(200);
    const theirs = (await t.deps.services.tenants.get(other.id)).config as Body;
    expect(theirs.business_hours).toBeUndefined();
    const { browser: otherOwner } = await signedInUser(t, other.id, { email: 'o@theirs.example', role: 'owner' });
    expect((await send(otherOwner, 'GET')).body.data.business.name).toBe('Theirs');
  });
});
