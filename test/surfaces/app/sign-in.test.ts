import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { browserOf, invite, nextAddress, outbox, signedInUser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

describe.each(dialects)('web app sign-in on $label', ({ dialect, skip }) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect, clock, env: { PUBLIC_BASE_URL: 'https://desk.example.com' } });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const me = async (headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: '/app/api/me', headers });
    return { status: res.statusCode, body: res.json<Body>() };
  };

  describe.skipIf(skip)('invitations and passwords', () => {
    it('accepts an invitation, sets a Secure HttpOnly Lax session cookie and tells who is signed in', async () => {
      const tenant = await t.createTenant();
      const { userId, token } = await invite(t, tenant.id, { email: 'dana@example.com', role: 'agent' });
      const res = await t.app.inject({
        method: 'POST',
        url: `/app/api/invitations/${token}/accept`,
        remoteAddress: nextAddress(),
        payload: { password: 'correct horse battery', first_name: 'Dana', last_name: 'Reyes' },
      });
      expect(res.statusCode, res.body).toBe(201);
      const session = res.cookies.find((c) => c.name === 'fd_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/app' });
      const csrf = res.cookies.find((c) => c.name === 'fd_csrf');
      expect(csrf?.httpOnly).toBeUndefined();
      const who = await me(browserOf(res).read);
      expect(who.status).toBe(200);
      expect(who.body.data).toMatchObject({
        kind: 'user',
        tenant: { id: tenant.id },
        user: { id: userId, email: 'dana@example.com', first_name: 'Dana', last_name: 'Reyes' },
        role: 'agent',
        permissions: ['conversations:read', 'conversations:write', 'leads:read'],
      });

      const again = await t.app.inject({
        method: 'POST',
        url: `/app/api/invitations/${token}/accept`,
        remoteAddress: nextAddress(),
        payload: { password: 'another long password', first_name: 'Eve' },
      });
      expect(again.statusCode).toBe(410);
      expect(again.json<Body>().error).toMatchObject({ code: 'GONE', request_id: expect.any(String) });
    });

    it('signs in with e-mail and password, refuses a wrong password plainly, and stores only a hash', async () => {
      const tenant = await t.createTenant();
      const { userId } = await signedInUser(t, tenant.id, { email: 'lee@example.com', password: 'a good long secret' });
      const ok = await t.app.inject({
        method: 'POST',
        url: '/app/api/session',
        remoteAddress: nextAddress(),
        payload: { email: 'LEE@example.com', password: 'a good long secret' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<Body>().data.user.id).toBe(userId);

      const wrong = await t.app.inject({
        method: 'POST',
        url: '/app/api/session',
        remoteAddress: nextAddress(),
        payload: { email: 'lee@example.com', password: 'not the secret' },
      });
      expect(wrong.statusCode, wrong.body).toBe(401);
      expect(wrong.json<Body>().error).toMatchObject({
        code: 'UNAUTHORIZED',
        message: 'The e-mail or password is wrong',
      });
      const stored = await t.deps.database.db
        .selectFrom('user_passwords')
        .selectAll()
        .where('user_id', '=', userId)
        .execute();
      expect(stored[0]?.password_hash).toMatch(/^\$argon2id\$/);
      const sessions = await t.deps.database.db.selectFrom('app_sessions').select('id_hash').execute();
      const cookie = browserOf(ok).cookie;
      for (const s of sessions) expect(cookie).not.toContain(s.id_hash);
    });

    it('rate-limits repeated sign-in attempts with a 429 in the app envelope', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/app/api/session',
          remoteAddress: `10.0.0.${i}`,
          payload: { email: 'target@example.com', password: `guess number ${i}` },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json<Body>().error.code).toBe('RATE_LIMITED');
          expect(res.headers['retry-after']).toBeDefined();
        }
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
    });
  });

  describe.skipIf(skip)('links, owner and admin', () => {
    it('mails a one-time link through the outbox that signs in once and redirects to /app/', async () => {
      const tenant = await t.createTenant({ name: 'Acme Plumbing' });
      const { userId } = await signedInUser(t, tenant.id, { email: 'sam@example.com' });
      const sent = await t.app.inject({
        method: 'POST',
        url: '/app/api/magic-link',
        remoteAddress: nextAddress(),
        payload: { email: 'sam@example.com' },
      });
      expect(sent.statusCode).toBe(202);
      const nobody = await t.app.inject({
        method: 'POST',
        url: '/app/api/magic-link',
        remoteAddress: nextAddress(),
        payload: { email: 'nobody@example.com' },
      });
      expect(nobody.statusCode).toBe(202);
      const mail = outbox(t).filter((m) => m.to.includes('sam@example.com'));
      expect(mail).toHaveLength(1);
      expect(mail[0]?.subject).toBe('Your sign-in link for Acme Plumbing');
      const link = /https:\/\/desk\.example\.com(\/app\/api\/magic-link\/[A-Za-z0-9_-]+)/.exec(
        mail[0]?.text ?? '',
      )?.[1];
      expect(link).toBeDefined();

      const follow = await t.app.inject({ method: 'GET', url: link!, remoteAddress: nextAddress() });
      expect(follow.statusCode).toBe(303);
      expect(follow.headers.location).toBe('/app/');
      expect((await me(browserOf(follow).read)).body.data.user.id).toBe(userId);
      const reuse = await t.app.inject({ method: 'GET', url: link!, remoteAddress: nextAddress() });
      expect(reuse.statusCode).toBe(410);
      expect(reuse.json<Body>().error.message).toContain('expired or was already used');
    });

    it('refuses a sign-in link after its 15 minutes', async () => {
      const tenant = await t.createTenant();
      await signedInUser(t, tenant.id, { email: 'late@example.com' });
      await t.app.inject({
        method: 'POST',
        url: '/app/api/magic-link',
        remoteAddress: nextAddress(),
        payload: { email: 'late@example.com' },
      });
      const mail = outbox(t).find((m) => m.to.includes('late@example.com'));
      const link = /(\/app\/api\/magic-link\/[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
      offsetMs += 16 * 60_000;
      const res = await t.app.inject({ method: 'GET', url: link!, remoteAddress: nextAddress() });
      expect(res.statusCode).toBe(410);
    });

    it('turns the owner token into a one-click owner session, and refuses a wrong one', async () => {
      const tenant = await t.createTenant();
      const res = await t.app.inject({
        method: 'GET',
        url: `/app/login/owner?token=${encodeURIComponent(tenant.credentials.owner_token)}`,
        remoteAddress: nextAddress(),
      });
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toBe('/app/');
      const who = await me(browserOf(res).read);
      expect(who.body.data).toMatchObject({ kind: 'owner', tenant: { id: tenant.id }, user: null, role: 'owner' });
      expect(who.body.data.permissions).toContain('conversations:write');
      const wrong = await t.app.inject({
        method: 'GET',
        url: '/app/login/owner?token=fd_ot_not_a_real_token',
        remoteAddress: nextAddress(),
      });
      expect(wrong.statusCode, wrong.body).toBe(401);
    });

    it('signs the platform admin in with the admin key to the platform view, which tenant people may not see', async () => {
      const tenant = await t.createTenant({ name: 'Visible Co' });
      const bad = await t.app.inject({
        method: 'POST',
        url: '/app/api/admin-session',
        remoteAddress: nextAddress(),
        payload: { key: 'wrong-key' },
      });
      expect(bad.statusCode).toBe(401);
      const res = await t.app.inject({
        method: 'POST',
        url: '/app/api/admin-session',
        remoteAddress: nextAddress(),
        payload: { key: ADMIN_KEY },
      });
      expect(res.statusCode, res.body).toBe(200);
      const platform = await t.app.inject({ method: 'GET', url: '/app/api/platform', headers: browserOf(res).read });
      expect(platform.statusCode, platform.body).toBe(200);
      const data = platform.json<Body>().data;
      expect(data.tenants).toContainEqual(
        expect.objectContaining({ id: tenant.id, name: 'Visible Co', usage: expect.any(Object) }),
      );
      expect(data.health.status).toEqual(expect.any(String));

      const { browser } = await signedInUser(t, tenant.id, { email: 'boss@example.com', role: 'admin' });
      const refused = await t.app.inject({ method: 'GET', url: '/app/api/platform', headers: browser.read });
      expect(refused.statusCode).toBe(403);
      const noTenant = await t.app.inject({
        method: 'GET',
        url: '/app/api/conversations',
        headers: browserOf(res).read,
      });
      expect(noTenant.statusCode).toBe(403);
    });
  });

  describe.skipIf(skip)('sessions', () => {
    it('refuses an unsafe request without the CSRF echo, and logs out with it', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'csrf@example.com' });
      const noEcho = await t.app.inject({ method: 'DELETE', url: '/app/api/session', headers: browser.read });
      expect(noEcho.statusCode).toBe(403);
      expect(noEcho.json<Body>().error.message).toContain('CSRF');
      const wrongEcho = await t.app.inject({
        method: 'DELETE',
        url: '/app/api/session',
        headers: { ...browser.read, 'x-csrf-token': 'forged' },
      });
      expect(wrongEcho.statusCode).toBe(403);
      expect((await me(browser.read)).status).toBe(200);

      const out = await t.app.inject({ method: 'DELETE', url: '/app/api/session', headers: browser.write });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((c) => c.name === 'fd_session')?.value).toBe('');
      expect((await me(browser.read)).status).toBe(401);
    });

    it('ends a session 12 hours after sign-in', async () => {
      const tenant = await t.createTenant();
      const { browser } = await signedInUser(t, tenant.id, { email: 'expiry@example.com' });
      offsetMs += 11 * 3_600_000;
      expect((await me(browser.read)).status).toBe(200);
      offsetMs += 1 * 3_600_000 + 1000;
      const expired = await me(browser.read);
      expect(expired.status).toBe(401);
      expect(expired.body.error).toMatchObject({ code: 'UNAUTHORIZED', request_id: expect.any(String) });
    });

    it('sends a visitor without a session from an app page to the log-in page with where they were going', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/app/conversations/conv_123' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/app/login?next=${encodeURIComponent('/app/conversations/conv_123')}`);
      const api = await t.app.inject({ method: 'GET', url: '/app/api/me' });
      expect(api.statusCode).toBe(401);
    });
  });
});
