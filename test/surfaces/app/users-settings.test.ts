import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { tenantFootprint } from '../../helpers/isolation.js';
import { browserRequests, browserOf, nextAddress, outbox, signedInUser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe.each(dialects)('web app users and invitations on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const send = browserRequests(() => t.app);
  const ownerOf = async (name: string) => {
    const tenant = await t.createTenant({ name });
    const owner = await signedInUser(t, tenant.id, { email: `owner@${name}.example`, role: 'owner' });
    return { tenant, ...owner };
  };
  /** The invitation link of the newest mail to `email`. */
  const linkTo = (email: string): string => {
    const mail = outbox(t).filter((m) => m.to.includes(email));
    const match = /\/app\/invitations\/([^\s/]+)/.exec(mail.at(-1)?.text ?? '');
    if (!match?.[1]) throw new Error(`no invitation mailed to ${email}`);
    return decodeURIComponent(match[1]);
  };
  const accept = (token: string) =>
    t.app.inject({
      method: 'POST',
      url: `/app/api/invitations/${encodeURIComponent(token)}/accept`,
      remoteAddress: nextAddress(),
      payload: { password: 'correct horse battery', first_name: 'Sam' },
    });

  it.skipIf(skip)('invites by mail with a link the accept route takes, and answers no token', async () => {
    const { browser } = await ownerOf('invite');
    const invited = await send(browser, 'POST', '/app/api/users', { email: 'Sam@Invite.example', role: 'agent' });
    expect(invited.status, invited.raw).toBe(201);
    expect(invited.body.data).toMatchObject({ email: 'sam@invite.example', role: 'agent', status: 'invited' });
    expect(invited.raw).not.toMatch(/fd_inv_/);
    const mail = outbox(t).find((m) => m.to.includes('sam@invite.example'));
    expect(mail?.subject).toContain('invited');

    const accepted = await accept(linkTo('sam@invite.example'));
    expect(accepted.statusCode, accepted.body).toBe(201);
    const sam = browserOf(accepted);
    expect((await send(sam, 'GET', '/app/api/me')).body.data.role).toBe('agent');
    const team = await send(browser, 'GET', '/app/api/users');
    expect(team.body.data.users.find((u: Body) => u.email === 'sam@invite.example').status).toBe('active');

    const twice = await send(browser, 'POST', '/app/api/users', { email: 'sam@invite.example', role: 'viewer' });
    expect(twice.status).toBe(409);
  });

  it.skipIf(skip)('resends an invitation with a fresh link, and revokes one', async () => {
    const { browser } = await ownerOf('resend');
    const invited = await send(browser, 'POST', '/app/api/users', { email: 'rae@resend.example', role: 'viewer' });
    const id = invited.body.data.id as string;
    const first = linkTo('rae@resend.example');
    expect((await send(browser, 'POST', `/app/api/users/${id}/invitation`)).status).toBe(202);
    const second = linkTo('rae@resend.example');
    expect(second).not.toBe(first);
    expect((await accept(first)).statusCode).toBe(410);

    expect((await send(browser, 'DELETE', `/app/api/users/${id}/invitation`)).status).toBe(204);
    expect((await accept(second)).statusCode).toBe(410);
    const team = await send(browser, 'GET', '/app/api/users');
    expect(team.body.data.users.map((u: Body) => u.id)).not.toContain(id);
    expect((await send(browser, 'DELETE', `/app/api/users/${id}/invitation`)).status).toBe(404);
  });

  it.skipIf(skip)('changes a role and deactivates a user, whose session then ends', async () => {
    const { tenant, browser } = await ownerOf('roles');
    const agent = await signedInUser(t, tenant.id, { email: 'ann@roles.example', role: 'agent' });
    const promoted = await send(browser, 'PATCH', `/app/api/users/${agent.userId}`, { role: 'admin' });
    expect(promoted.body.data.role).toBe('admin');
    expect((await send(agent.browser, 'GET', '/app/api/me')).body.data.permissions).toContain('users:write');
    expect((await send(agent.browser, 'GET', '/app/api/users')).status).toBe(200);

    const resend = await send(browser, 'POST', `/app/api/users/${agent.userId}/invitation`);
    expect(resend.status).toBe(409);
    const deactivated = await send(browser, 'POST', `/app/api/users/${agent.userId}/deactivate`);
    expect(deactivated.body.data.status).toBe('deactivated');
    expect((await send(agent.browser, 'GET', '/app/api/me')).status).toBe(401);
  });

  it.skipIf(skip)('refuses to demote or deactivate the last owner (409), not one of two', async () => {
    const { tenant, userId, browser } = await ownerOf('last');
    expect((await send(browser, 'PATCH', `/app/api/users/${userId}`, { role: 'admin' })).status).toBe(409);
    expect((await send(browser, 'POST', `/app/api/users/${userId}/deactivate`)).status).toBe(409);
    const second = await signedInUser(t, tenant.id, { email: 'second@last.example', role: 'owner' });
    const demoted = await send(second.browser, 'PATCH', `/app/api/users/${userId}`, { role: 'admin' });
    expect(demoted.body.data.role).toBe('admin');
    const self = await send(second.browser, 'POST', `/app/api/users/${second.userId}/deactivate`);
    expect(self.status).toBe(409);
  });

  it.skipIf(skip)('lets only an owner give or take the owner role (an admin gets 403)', async () => {
    const { tenant, userId: ownerId } = await ownerOf('ranks');
    const admin = await signedInUser(t, tenant.id, { email: 'ada@ranks.example', role: 'admin' });
    const agent = await signedInUser(t, tenant.id, { email: 'abe@ranks.example', role: 'agent' });
    const refused: [Method, string, object?][] = [
      ['PATCH', `/app/api/users/${admin.userId}`, { role: 'owner' }],
      ['PATCH', `/app/api/users/${ownerId}`, { role: 'agent' }],
      ['POST', `/app/api/users/${ownerId}/deactivate`],
      ['POST', '/app/api/users', { email: 'new-owner@ranks.example', role: 'owner' }],
    ];
    for (const [method, url, payload] of refused) {
      const res = await send(admin.browser, method, url, payload);
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    const changed = await send(admin.browser, 'PATCH', `/app/api/users/${agent.userId}`, { role: 'viewer' });
    expect(changed.body.data.role).toBe('viewer');
  });

  it.skipIf(skip)('keeps tenant B out of tenant A’s users', async () => {
    const a = await ownerOf('team-a');
    const b = await ownerOf('team-b');
    const invited = await send(a.browser, 'POST', '/app/api/users', { email: 'ivy@team-a.example', role: 'agent' });
    const invitedId = invited.body.data.id as string;
    const before = await tenantFootprint(t, a.tenant.id);

    const team = await send(b.browser, 'GET', '/app/api/users');
    expect(team.body.data.users.map((u: Body) => u.email)).toEqual(['owner@team-b.example']);
    const attempts: [Method, string, object?][] = [
      ['PATCH', `/app/api/users/${a.userId}`, { role: 'viewer' }],
      ['POST', `/app/api/users/${a.userId}/deactivate`],
      ['POST', `/app/api/users/${invitedId}/invitation`],
      ['DELETE', `/app/api/users/${invitedId}/invitation`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await send(b.browser, method, url, payload);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect(await tenantFootprint(t, a.tenant.id)).toEqual(before);
  });

  it.skipIf(skip)('refuses agents and viewers (403) on every users route', async () => {
    const { tenant, userId } = await ownerOf('refused');
    for (const role of ['agent', 'viewer']) {
      const { browser } = await signedInUser(t, tenant.id, { email: `${role}@refused.example`, role });
      const attempts: [Method, string, object?][] = [
        ['GET', '/app/api/users'],
        ['POST', '/app/api/users', { email: 'new@refused.example', role: 'agent' }],
        ['PATCH', `/app/api/users/${userId}`, { role: 'viewer' }],
        ['POST', `/app/api/users/${userId}/deactivate`],
        ['POST', `/app/api/users/${userId}/invitation`],
        ['DELETE', `/app/api/users/${userId}/invitation`],
      ];
      for (const [method, url, payload] of attempts) {
        const res = await send(browser, method, url, payload);
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
      }
    }
  });
});
