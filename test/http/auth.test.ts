import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
} from 'jose';
import pino, { type LoggerOptions } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logging.js';
import type { Clock } from '../../src/lib/clock.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../helpers/app.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;
type Headers = Record<string, string>;

/** A list of header sets (typed, so sets with different names fit one array). */
const headerSets = (...sets: Headers[]): Headers[] => sets;

/** A clock the test moves by hand; tokens expire without waiting an hour. */
function manualClock(): Clock & { advance(seconds: number): void; reset(): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (seconds) => {
      offset += seconds * 1000;
    },
    reset: () => {
      offset = 0;
    },
  };
}

/** A route that accepts every principal kind and says who the caller resolved to. */
function whoami(app: FastifyInstance): void {
  app.get(
    '/api/v2/x-test/whoami',
    { config: { auth: { allow: ['admin', 'tenant-key', 'user', 'widget', 'owner'] } } },
    (request) => request.principal,
  );
}

async function tokenFor(t: TestApp, tenant: Tenant, body: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: {
      client_id: tenant.credentials.client_id,
      client_secret: tenant.credentials.client_secret,
      tenant_id: tenant.id,
      ...body,
    },
  });
}

/** Signs a token with the app's own private key, so only the claim under test is wrong. */
async function signWithAppKey(
  t: TestApp,
  claims: { aud: string; iss: string; tenant_id: string; expiresInSeconds: number },
): Promise<string> {
  const row = await t.deps.database.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
  const privateKey = await importJWK(JSON.parse(t.deps.box.open(row.private_sealed)) as JWK, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant_id: claims.tenant_id, scope: 'read write' })
    .setProtectedHeader({ alg: 'ES256', kid: row.kid, typ: 'JWT' })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setSubject('client_test')
    .setIssuedAt(now)
    .setExpirationTime(now + claims.expiresInSeconds)
    .sign(privateKey);
}

describe('auth (principals from every header form)', () => {
  const clock = manualClock();
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let jwtA: string;

  const configOf = (tenantId: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: `/api/v2/tenants/${tenantId}/config`, headers });
  const whoamiWith = async (headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v2/x-test/whoami', headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ kind: string; tenantId: string | null; live: boolean }>();
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, beforeReady: whoami });
    a = await t.createTenant();
    b = await t.createTenant();
    const res = await tokenFor(t, a);
    jwtA = res.json().access_token as string;
  });
  afterAll(async () => t.close());

  describe('header forms', () => {
    it('resolves X-API-Key to the tenant key of its tenant', async () => {
      expect(await whoamiWith({ 'x-api-key': a.apiKey })).toMatchObject({
        kind: 'tenant-key',
        tenantId: a.id,
        live: true,
      });
    });

    it('resolves Authorization: Bearer <api key>', async () => {
      expect(await whoamiWith({ authorization: `Bearer ${a.apiKey}` })).toMatchObject({
        kind: 'tenant-key',
        tenantId: a.id,
      });
    });

    it('resolves Authorization: Bearer <JWT from POST /v1/auth/token>', async () => {
      expect(await whoamiWith({ authorization: `Bearer ${jwtA}` })).toMatchObject({
        kind: 'tenant-key',
        tenantId: a.id,
      });
    });

    it('resolves Authorization: ApiKey <key>', async () => {
      expect(await whoamiWith({ authorization: `ApiKey ${a.apiKey}` })).toMatchObject({
        kind: 'tenant-key',
        tenantId: a.id,
      });
    });

    it('resolves the admin key in X-Admin-API-Key, Authorization: Bearer and X-API-Key', async () => {
      for (const headers of headerSets(
        { 'x-admin-api-key': ADMIN_KEY },
        { authorization: `Bearer ${ADMIN_KEY}` },
        { 'x-api-key': ADMIN_KEY },
        { authorization: `ApiKey ${ADMIN_KEY}` },
      )) {
        expect(await whoamiWith(headers)).toMatchObject({ kind: 'admin', tenantId: null });
      }
    });

    it('resolves X-Owner-Token and X-Widget-Token to owner and widget principals of their tenant', async () => {
      expect(await whoamiWith({ 'x-owner-token': a.credentials.owner_token })).toMatchObject({
        kind: 'owner',
        tenantId: a.id,
      });
      expect(await whoamiWith({ 'x-widget-token': a.credentials.widget_token })).toMatchObject({
        kind: 'widget',
        tenantId: a.id,
      });
    });

    it('refuses owner and widget tokens on tenant-admin routes with 403', async () => {
      for (const headers of headerSets(
        { 'x-owner-token': a.credentials.owner_token },
        { 'x-widget-token': a.credentials.widget_token },
        { authorization: `Bearer ${a.credentials.widget_token}` },
      )) {
        const res = await configOf(a.id, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
    });

    it('lets X-Tenant-ID or X-Business-ID name the tenant the admin key acts on', async () => {
      expect(await whoamiWith({ 'x-admin-api-key': ADMIN_KEY, 'x-tenant-id': b.id })).toMatchObject({
        kind: 'admin',
        tenantId: b.id,
      });
      expect(await whoamiWith({ 'x-admin-api-key': ADMIN_KEY, 'x-business-id': b.id })).toMatchObject({
        kind: 'admin',
        tenantId: b.id,
      });
    });

    it('accepts X-Tenant-ID or X-Business-ID naming the credential’s own tenant', async () => {
      expect((await configOf(a.id, { 'x-api-key': a.apiKey, 'x-tenant-id': a.id })).statusCode).toBe(200);
      expect((await configOf(a.id, { 'x-api-key': a.apiKey, 'x-business-id': a.id })).statusCode).toBe(200);
    });

    it('accepts the test key (fd_test_…) as a non-live tenant key', async () => {
      expect(a.credentials.test_key).toMatch(/^fd_test_/);
      expect(await whoamiWith({ 'x-api-key': a.credentials.test_key })).toMatchObject({
        kind: 'tenant-key',
        tenantId: a.id,
        live: false,
      });
      expect((await configOf(a.id, { 'x-api-key': a.credentials.test_key })).statusCode).toBe(200);
    });
  });

  describe('refusals', () => {
    it('answers 401 when no credential is sent', async () => {
      const res = await configOf(a.id, {});
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    });

    it('answers 401 for an unknown key in every header form', async () => {
      for (const headers of headerSets(
        { 'x-api-key': 'fd_live_nope' },
        { authorization: 'Bearer fd_live_nope' },
        { authorization: 'ApiKey fd_live_nope' },
        { 'x-admin-api-key': 'fd_admin_nope_nope_nope' },
        { 'x-owner-token': 'fd_ot_nope' },
        { 'x-widget-token': 'fd_wt_nope' },
        { authorization: 'Basic dXNlcjpwYXNz' },
      )) {
        expect((await configOf(a.id, headers)).statusCode, JSON.stringify(headers)).toBe(401);
      }
    });

    it('answers 401 when a valid key is sent beside a wrong one', async () => {
      expect((await configOf(a.id, { 'x-api-key': a.apiKey, authorization: 'Bearer fd_live_nope' })).statusCode).toBe(
        401,
      );
    });

    it('does not accept a widget token in X-API-Key', async () => {
      expect((await configOf(a.id, { 'x-api-key': a.credentials.widget_token })).statusCode).toBe(401);
    });
  });

  describe('JWT', () => {
    it('refuses an expired token with 401', async () => {
      const token = (await tokenFor(t, a)).json().access_token as string;
      expect((await configOf(a.id, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
      clock.advance(3601);
      try {
        expect((await configOf(a.id, { authorization: `Bearer ${token}` })).statusCode).toBe(401);
      } finally {
        clock.reset();
      }
    });

    it('refuses a token whose signature was tampered with', async () => {
      const [header, payload, signature] = jwtA.split('.') as [string, string, string];
      const middle = Math.floor(signature.length / 2);
      const flipped =
        signature.slice(0, middle) + (signature[middle] === 'A' ? 'B' : 'A') + signature.slice(middle + 1);
      expect((await configOf(a.id, { authorization: `Bearer ${header}.${payload}.${flipped}` })).statusCode).toBe(401);
    });

    it('refuses a token whose payload was changed to name another tenant', async () => {
      const [header, payload, signature] = jwtA.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, tenant_id: b.id })).toString('base64url');
      expect((await configOf(b.id, { authorization: `Bearer ${header}.${forged}.${signature}` })).statusCode).toBe(401);
    });

    it('refuses a token signed by another key, even under the app key’s kid', async () => {
      const { kid } = decodeProtectedHeader(jwtA);
      const other = await generateKeyPair('ES256');
      const now = Math.floor(Date.now() / 1000);
      for (const headerKid of [kid, 'key_unknown']) {
        const token = await new SignJWT({ tenant_id: a.id, scope: 'read write' })
          .setProtectedHeader({ alg: 'ES256', kid: headerKid, typ: 'JWT' })
          .setIssuer('frontdesk')
          .setAudience('frontdesk-api')
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(other.privateKey);
        expect((await configOf(a.id, { authorization: `Bearer ${token}` })).statusCode).toBe(401);
      }
    });

    it('refuses a token for another audience or issuer, though signed by the app’s own key', async () => {
      const good = await signWithAppKey(t, {
        aud: 'frontdesk-api',
        iss: 'frontdesk',
        tenant_id: a.id,
        expiresInSeconds: 600,
      });
      expect((await configOf(a.id, { authorization: `Bearer ${good}` })).statusCode).toBe(200);
      const wrongAudience = await signWithAppKey(t, {
        aud: 'another-api',
        iss: 'frontdesk',
        tenant_id: a.id,
        expiresInSeconds: 600,
      });
      expect((await configOf(a.id, { authorization: `Bearer ${wrongAudience}` })).statusCode).toBe(401);
      const wrongIssuer = await signWithAppKey(t, {
        aud: 'frontdesk-api',
        iss: 'someone-else',
        tenant_id: a.id,
        expiresInSeconds: 600,
      });
      expect((await configOf(a.id, { authorization: `Bearer ${wrongIssuer}` })).statusCode).toBe(401);
    });

    it('refuses an unsigned (alg none) token', async () => {
      const [, payload] = jwtA.split('.') as [string, string, string];
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      expect((await configOf(a.id, { authorization: `Bearer ${header}.${payload}.` })).statusCode).toBe(401);
    });
  });

  describe('POST /v1/auth/token', () => {
    it('issues a Bearer token for an hour with its scope', async () => {
      const res = await tokenFor(t, a);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read write' });
      expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('narrows the token to a requested scope, which reads but cannot change', async () => {
      const res = await tokenFor(t, a, { scope: 'read' });
      expect(res.statusCode).toBe(200);
      expect(res.json().scope).toBe('read');
      const headers = { authorization: `Bearer ${res.json().access_token as string}` };
      expect((await configOf(a.id, headers)).statusCode).toBe(200);
      const put = await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${a.id}/config`,
        headers,
        payload: { configuration: { chatbot: { default_greeting: 'read-only' } } },
      });
      expect(put.statusCode).toBe(403);
      expect(put.json().error.message).toBe("This credential lacks the 'write' scope");
      const writer = {
        authorization: `Bearer ${(await tokenFor(t, a, { scope: 'read write' })).json().access_token as string}`,
      };
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url: `/api/v2/tenants/${a.id}/config`,
            headers: writer,
            payload: { configuration: { chatbot: { default_greeting: 'rw' } } },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('answers 401 in spec A’s envelope for a wrong client secret', async () => {
      const res = await tokenFor(t, a, { client_secret: 'fd_cs_wrong' });
      expect(res.statusCode).toBe(401);
      const body = res.json();
      expect(body).toMatchObject({
        success: false,
        error: { code: 'UNAUTHORIZED' },
        request_id: res.headers['x-request-id'],
      });
      expect(body.error.trace_id).toBe(res.headers['x-request-id']);
      expect(Date.parse(body.error.timestamp)).not.toBeNaN();
    });

    it('answers 401 for an unknown client id', async () => {
      expect((await tokenFor(t, a, { client_id: 'client_unknown' })).statusCode).toBe(401);
    });

    it('answers 403 when the tenant_id is not the client’s', async () => {
      const res = await tokenFor(t, a, { tenant_id: b.id });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    });

    it('publishes keys at /.well-known/jwks.json that verify its tokens with jose', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(res.statusCode).toBe(200);
      const jwks = res.json<{ keys: JWK[] }>();
      expect(jwks.keys.length).toBeGreaterThan(0);
      for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
      const { payload } = await jwtVerify(jwtA, createLocalJWKSet(jwks), {
        issuer: 'frontdesk',
        audience: 'frontdesk-api',
      });
      expect(payload).toMatchObject({ tenant_id: a.id, sub: a.credentials.client_id });
    });
  });

  describe('tenant boundaries', () => {
    it('refuses tenant A’s credentials on tenant B’s routes with 403', async () => {
      for (const headers of headerSets(
        { 'x-api-key': a.apiKey },
        { authorization: `Bearer ${jwtA}` },
        { authorization: `ApiKey ${a.apiKey}` },
        { 'x-api-key': a.credentials.test_key },
      )) {
        const res = await configOf(b.id, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      }
    });

    it('refuses a key sent with X-Tenant-ID or X-Business-ID of another tenant with 403', async () => {
      expect((await configOf(a.id, { 'x-api-key': a.apiKey, 'x-tenant-id': b.id })).statusCode).toBe(403);
      expect((await configOf(b.id, { 'x-api-key': a.apiKey, 'x-business-id': b.id })).statusCode).toBe(403);
      expect((await configOf(a.id, { authorization: `Bearer ${jwtA}`, 'x-tenant-id': b.id })).statusCode).toBe(403);
    });

    it('refuses credentials of two tenants sent together with 403', async () => {
      expect((await configOf(a.id, { 'x-api-key': a.apiKey, authorization: `Bearer ${b.apiKey}` })).statusCode).toBe(
        403,
      );
    });

    it('lets the admin key reach every tenant', async () => {
      for (const tenant of [a, b]) {
        for (const headers of headerSets(
          { 'x-admin-api-key': ADMIN_KEY },
          { authorization: `Bearer ${ADMIN_KEY}` },
          { 'x-api-key': ADMIN_KEY },
        )) {
          expect((await configOf(tenant.id, headers)).statusCode).toBe(200);
        }
      }
    });
  });

  describe('rotation', () => {
    it('stops a rotated API key at once and accepts the new one', async () => {
      const c = await t.createTenant();
      expect((await configOf(c.id, { 'x-api-key': c.apiKey })).statusCode).toBe(200);
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${c.id}/credentials/rotate`,
        headers: { 'x-api-key': c.apiKey },
        payload: { credential: 'api_key' },
      });
      expect(res.statusCode).toBe(200);
      const fresh = res.json().data.value as string;
      expect(fresh).toMatch(/^fd_live_/);
      expect((await configOf(c.id, { 'x-api-key': c.apiKey })).statusCode).toBe(401);
      expect((await configOf(c.id, { 'x-api-key': fresh })).statusCode).toBe(200);
    });

    it('stops a rotated OAuth client from getting tokens and lets the new one', async () => {
      const c = await t.createTenant();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${c.id}/credentials/rotate`,
        headers: t.adminHeaders,
        payload: { credential: 'oauth_client' },
      });
      expect(res.statusCode).toBe(200);
      const { client_id, value } = res.json().data as { client_id: string; value: string };
      expect((await tokenFor(t, c)).statusCode).toBe(401);
      expect(
        (await t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { client_id, client_secret: value } }))
          .statusCode,
      ).toBe(200);
    });

    it('stops a rotated widget token at once', async () => {
      const c = await t.createTenant();
      expect((await whoamiWith({ 'x-widget-token': c.credentials.widget_token })).kind).toBe('widget');
      await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${c.id}/credentials/rotate`,
        headers: t.adminHeaders,
        payload: { credential: 'widget_token' },
      });
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v2/x-test/whoami',
            headers: { 'x-widget-token': c.credentials.widget_token },
          })
        ).statusCode,
      ).toBe(401);
    });

    it('stops a deleted tenant’s JWT at once, though its signature is still good', async () => {
      const c = await t.createTenant();
      const jwt = (await tokenFor(t, c)).json().access_token as string;
      expect((await whoamiWith({ authorization: `Bearer ${jwt}` })).tenantId).toBe(c.id);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v2/tenants/${c.id}`, headers: t.adminHeaders })).statusCode,
      ).toBe(200);
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v2/x-test/whoami',
            headers: { authorization: `Bearer ${jwt}` },
          })
        ).statusCode,
      ).toBe(401);
    });

    it('refuses every credential of a suspended tenant with 403 until the admin reactivates it', async () => {
      const c = await t.createTenant();
      const jwt = (await tokenFor(t, c)).json().access_token as string;
      const suspend = (status: string) =>
        t.app.inject({ method: 'PUT', url: `/api/v2/tenants/${c.id}`, headers: t.adminHeaders, payload: { status } });
      expect((await suspend('suspended')).statusCode).toBe(200);

      for (const headers of headerSets(
        { 'x-api-key': c.apiKey },
        { authorization: `Bearer ${jwt}` },
        { 'x-api-key': c.credentials.test_key },
        { 'x-owner-token': c.credentials.owner_token },
        { 'x-widget-token': c.credentials.widget_token },
      )) {
        const res = await t.app.inject({ method: 'GET', url: '/api/v2/x-test/whoami', headers });
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', message: 'This tenant is suspended' });
      }
      const token = await tokenFor(t, c);
      expect(token.statusCode).toBe(403);
      expect(token.json().error.code).toBe('FORBIDDEN');
      // The admin still manages it, naming it in the path or in X-Tenant-ID.
      expect((await configOf(c.id, t.adminHeaders)).statusCode).toBe(200);
      expect(await whoamiWith({ ...t.adminHeaders, 'x-tenant-id': c.id })).toMatchObject({
        kind: 'admin',
        tenantId: c.id,
      });

      expect((await suspend('active')).statusCode).toBe(200);
      expect((await configOf(c.id, { 'x-api-key': c.apiKey })).statusCode).toBe(200);
      expect((await tokenFor(t, c)).statusCode).toBe(200);
    });

    it('stops a deleted tenant’s keys at once', async () => {
      const c = await t.createTenant();
      expect((await whoamiWith({ 'x-api-key': c.apiKey })).tenantId).toBe(c.id);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v2/tenants/${c.id}`, headers: t.adminHeaders })).statusCode,
      ).toBe(200);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v2/x-test/whoami', headers: { 'x-api-key': c.apiKey } }))
          .statusCode,
      ).toBe(401);
    });
  });
});

/** Collects every line pino writes. */
function captureLogs(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logging of credentials', () => {
  it('never writes keys, tokens, secrets or auth headers to the log, and tags request lines with the request id', async () => {
    const logs = captureLogs();
    const t = await startTestApp({
      env: { LOG_LEVEL: 'trace' },
      logStream: logs.stream,
      beforeReady(app) {
        whoami(app);
        app.get('/api/v2/x-test/boom', { config: { auth: 'public' } }, () => {
          throw new Error('boom');
        });
      },
    });
    try {
      const a = await t.createTenant({ admin_user: { email: 'owner@example.com' } });
      const token = await tokenFor(t, a);
      const jwt = token.json().access_token as string;
      const c = a.credentials;
      const forms = headerSets(
        { 'x-api-key': a.apiKey },
        { authorization: `Bearer ${a.apiKey}` },
        { authorization: `Bearer ${jwt}` },
        { authorization: `ApiKey ${c.test_key}` },
        { 'x-admin-api-key': ADMIN_KEY },
        { 'x-owner-token': c.owner_token },
        { 'x-widget-token': c.widget_token },
        { 'x-api-key': 'fd_live_wrong_key_never_logged' },
      );
      for (const headers of forms)
        await t.app.inject({ method: 'GET', url: '/api/v2/x-test/whoami?token=query_secret_value', headers });
      await t.app.inject({
        method: 'PUT',
        url: `/api/v2/tenants/${a.id}/config`,
        headers: { 'x-api-key': a.apiKey },
        payload: { configuration: { channels: { slack: { bot_token: 'xoxb-config-secret' } } } },
      });
      const rotated = await t.app.inject({
        method: 'POST',
        url: `/api/v2/tenants/${a.id}/credentials/rotate`,
        headers: t.adminHeaders,
        payload: { credential: 'api_key' },
      });
      await t.app.inject({
        method: 'GET',
        url: '/api/v2/x-test/boom',
        headers: { 'x-request-id': 'boom-req-1', authorization: `Bearer ${jwt}` },
      });

      const secrets = [
        ADMIN_KEY,
        jwt,
        a.apiKey,
        c.test_key,
        c.webhook_secret,
        c.client_secret,
        c.widget_token,
        c.owner_token,
        'fd_live_wrong_key_never_logged',
        'query_secret_value',
        'xoxb-config-secret',
        rotated.json().data.value as string,
      ];
      const written = logs.text();
      expect(written.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(written).not.toContain(secret);

      const lines = logs.lines();
      const boom = lines.find((l) => l.msg === 'request failed');
      expect(boom?.request_id).toBe('boom-req-1');
      const completed = lines.filter((l) => l.msg === 'request completed');
      expect(completed.length).toBeGreaterThanOrEqual(forms.length);
      for (const line of completed) expect(line.request_id).toEqual(expect.any(String));
    } finally {
      await t.close();
    }
  });

  it('redacts credentials in headers and bodies whoever logs them', () => {
    const logs = captureLogs();
    const logger = pino(loggerOptions('info') as LoggerOptions, logs.stream);
    const headers = {
      authorization: 'Bearer sekrit-bearer',
      'x-api-key': 'sekrit-api-key',
      'x-admin-api-key': 'sekrit-admin',
      'x-owner-token': 'sekrit-owner',
      'x-widget-token': 'sekrit-widget',
      cookie: 'session=sekrit-cookie',
    };
    logger.info({ headers }, 'headers');
    logger.info({ req: { method: 'GET', url: '/x?api_key=sekrit-query', id: 'r1', headers } }, 'req');
    logger.info(
      {
        body: {
          client_secret: 'sekrit-client',
          api_key: 'sekrit-body-key',
          access_token: 'sekrit-access',
          password: 'sekrit-password',
          webhook_secret: 'sekrit-webhook',
          widget_token: 'sekrit-widget-body',
          owner_token: 'sekrit-owner-body',
        },
      },
      'body',
    );
    const written = logs.text();
    expect(written).not.toMatch(/sekrit/);
    expect(written).toContain('[redacted]');
  });
});
