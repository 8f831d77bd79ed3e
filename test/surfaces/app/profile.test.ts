import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { browserOf, nextAddress, signedInUser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

describe.each(dialects)('PATCH /app/api/me on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const patch = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'PATCH', url: '/app/api/me', headers, payload });
  const phoneOf = async (userId: string) =>
    (await t.deps.database.db.selectFrom('users').select('phone').where('id', '=', userId).executeTakeFirstOrThrow())
      .phone;

  it.skipIf(skip)('sets and clears the signed-in person’s own mobile, in E.164 only', async () => {
    const tenant = await t.createTenant();
    const { userId, browser } = await signedInUser(t, tenant.id, { email: 'ann@desk.example', role: 'viewer' });
    const set = await patch(browser.write, { phone: ' +14155550123 ' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<Body>().data.user).toMatchObject({ id: userId, phone: '+14155550123' });
    expect(await phoneOf(userId)).toBe('+14155550123');
    const me = await t.app.inject({ method: 'GET', url: '/app/api/me', headers: browser.read });
    expect(me.json<Body>().data.user.phone).toBe('+14155550123');

    const bad = await patch(browser.write, { phone: '415 555 0123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Body>().error.code).toBe('VALIDATION_ERROR');
    expect(await phoneOf(userId)).toBe('+14155550123');

    const cleared = await patch(browser.write, { phone: null });
    expect(cleared.json<Body>().data.user.phone).toBeNull();
    expect(await phoneOf(userId)).toBeNull();
  });

  it.skipIf(skip)('needs the CSRF echo, and refuses the platform admin, who has no person to change', async () => {
    const tenant = await t.createTenant();
    const { browser } = await signedInUser(t, tenant.id, { email: 'csrf@desk.example' });
    expect((await patch(browser.read, { phone: '+14155550123' })).statusCode).toBe(403);
    const admin = await t.app.inject({
      method: 'POST',
      url: '/app/api/admin-session',
      remoteAddress: nextAddress(),
      payload: { key: ADMIN_KEY },
    });
    const refused = await patch(browserOf(admin).write, { phone: '+14155550123' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<Body>().error.code).toBe('FORBIDDEN');
  });

  it.skipIf(skip)('changes only the tenant the person is signed in to, not their namesake in another', async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    const inA = await signedInUser(t, a.id, { email: 'same@person.example' });
    const inB = await signedInUser(t, b.id, { email: 'same@person.example' });
    expect((await patch(inA.browser.write, { phone: '+14155550123' })).statusCode).toBe(200);
    expect(await phoneOf(inA.userId)).toBe('+14155550123');
    expect(await phoneOf(inB.userId)).toBeNull();
    const seenByB = await t.app.inject({ method: 'GET', url: '/app/api/me', headers: inB.browser.read });
    expect(seenByB.json<Body>().data.user.phone).toBeNull();
  });
});
