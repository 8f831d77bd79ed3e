import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';

const INDEX = fs.readFileSync('web/app/dist/index.html', 'utf8');
const SCRIPT = /src="\/app\/(assets\/[^"]+\.js)"/.exec(INDEX)?.[1] ?? '';

describe('the web app’s static files at /app/', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends a visitor of / to the app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/app/');
  });

  /** The session cookie of the tenant's owner, signed in through the owner link. */
  async function ownerCookie(): Promise<string> {
    const tenant = await t.createTenant();
    const res = await t.app.inject({
      method: 'GET',
      url: `/app/login/owner?token=${encodeURIComponent(tenant.credentials.owner_token)}`,
    });
    expect(res.statusCode, res.body).toBe(303);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    return cookies.map((c) => c.split(';')[0]).join('; ');
  }

  it('sends a signed-out visitor of a page to the log-in page, remembering where it was going', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/app/inbox/conv_1?status=closed' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/app/login?next=${encodeURIComponent('/app/inbox/conv_1?status=closed')}`);
  });

  it('answers every page path with the page, uncached, behind a strict content policy', async () => {
    const cookie = await ownerCookie();
    for (const [url, signedIn] of [
      ['/app/', false],
      ['/app/login?next=%2Fapp%2Fleads', false],
      ['/app/invitations/inv_token_1', false],
      ['/app/inbox', true],
      ['/app/inbox/conv_1?status=closed', true],
      ['/app/leads/lead_1', true],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: signedIn ? { cookie } : {} });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).toBe(INDEX);
    }
  });

  it('serves the built scripts, cached for good and revalidated by ETag', async () => {
    expect(SCRIPT).not.toBe('');
    const res = await t.app.inject({ method: 'GET', url: `/app/${SCRIPT}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const again = await t.app.inject({
      method: 'GET',
      url: `/app/${SCRIPT}`,
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers a missing file and an unknown API path with a 404, never the page', async () => {
    for (const url of ['/app/assets/gone-1234.js', '/app/favicon.ico', '/app/api/nothing-here', '/app/api']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/json/);
    }
  });
});
