import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/db.js';
import { signedInUser, type Browser } from './app-session.js';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are read field by field

describe.each(dialects)('web app API keys on $label', ({ dialect, skip }) => {
  let t: TestApp;

  beforeAll(async () => {
    if (!skip) t = await startTestApp({ dialect });
  });
  afterAll(async () => {
    if (!skip) await t.close();
  });

  const keys = async (browser: Browser) => {
    const res = await t.app.inject({ method: 'GET', url: '/app/api/keys', headers: browser.read });
    return { status: res.statusCode, body: res.json<Body>(), raw: res.body };
  };
  const rotate = async (browser: Browser, kind: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/app/api/keys/${kind}/rotate`, headers: browser.write });
    return { status: res.statusCode, body: res.json<Body>(), headers: res.headers };
  };
  /** A spec API route the API key opens (spec E's webhook list). */
  const specCall = (apiKey: string) =>
    t.app.inject({ method: 'GET', url: '/api/webhooks', headers: { authorization: `Bearer ${apiKey}` } });

  it.skipIf(skip)('lists every key by hint, never the secret', async () => {
    const tenant = await t.createTenant({ name: 'Keys' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'o@keys.example', role: 'owner' });
    const listed = await keys(browser);
    expect(listed.status).toBe(200);
    const kinds = listed.body.data.keys.map((k: Body) => k.kind).sort();
    expect(kinds).toEqual(['api_key', 'oauth_client', 'owner_token', 'test_key', 'webhook_secret', 'widget_token']);
    const apiKey = listed.body.data.keys.find((k: Body) => k.kind === 'api_key');
    expect(apiKey.hint).toBe(`${tenant.apiKey.slice(0, 12)}…`);
    expect(apiKey.rotated_at).toBeNull();
    const { client_id: _public, ...secrets } = tenant.credentials;
    for (const secret of Object.values(secrets)) expect(listed.raw).not.toContain(secret);
  });

  it.skipIf(skip)('rotates a key: the new value is shown once and the old one stops working', async () => {
    const tenant = await t.createTenant({ name: 'Rotate' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'o@rotate.example', role: 'owner' });
    expect((await specCall(tenant.apiKey)).statusCode).toBe(200);

    const rotated = await rotate(browser, 'api_key');
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const fresh = rotated.body.data.value as string;
    expect(fresh).toMatch(/^fd_live_/);
    expect(fresh).not.toBe(tenant.apiKey);

    expect((await specCall(tenant.apiKey)).statusCode).toBe(401);
    expect((await specCall(fresh)).statusCode).toBe(200);

    const after = await keys(browser);
    expect(after.raw).not.toContain(fresh);
    const apiKey = after.body.data.keys.find((k: Body) => k.kind === 'api_key');
    expect(apiKey.hint).toBe(`${fresh.slice(0, 12)}…`);
    expect(apiKey.rotated_at).toBe(rotated.body.data.created_at);
    expect(apiKey.created_at <= apiKey.rotated_at).toBe(true);
  });

  it.skipIf(skip)('rotates the OAuth client with its new client id', async () => {
    const tenant = await t.createTenant({ name: 'Client' });
    const { browser } = await signedInUser(t, tenant.id, { email: 'o@client.example', role: 'owner' });
    const rotated = await rotate(browser, 'oauth_client');
    expect(rotated.body.data.client_id).toMatch(/^client_/);
    expect(rotated.body.data.client_id).not.toBe(tenant.credentials.client_id);
    expect((await rotate(browser, 'no_such_kind')).status).toBe(400);
  });

  it.skipIf(skip)('refuses agents and viewers (403), and never touches another tenant’s keys', async () => {
    const a = await t.createTenant({ name: 'KeysA' });
    const b = await t.createTenant({ name: 'KeysB' });
    const owner = await signedInUser(t, a.id, { email: 'o@keys-a.example', role: 'owner' });
    for (const role of ['agent', 'viewer']) {
      const { browser } = await signedInUser(t, a.id, { email: `${role}@keys-a.example`, role });
      expect((await keys(browser)).status).toBe(403);
      expect((await rotate(browser, 'api_key')).status).toBe(403);
    }
    expect((await specCall(a.apiKey)).statusCode).toBe(200);

    await rotate(owner.browser, 'api_key');
    expect((await specCall(b.apiKey)).statusCode).toBe(200);
    const listed = await keys(owner.browser);
    expect(listed.raw).not.toContain(b.apiKey.slice(0, 12));
  });
});
