import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/lib/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

/**
 * A clock that stands still until the test moves it: everything between two moves happens in one
 * second, so a token minted right after a rotation has the same `iat` as one minted right before.
 */
function frozenClock(): Clock & { advance(seconds: number): void } {
  let at = Date.now();
  return {
    now: () => new Date(at),
    advance: (seconds) => {
      at += seconds * 1000;
    },
  };
}

describe.each(dialects)('JWTs across credential and signing-key rotation on $label', ({ dialect, skip }) => {
  const clock = frozenClock();
  let t: TestApp;
  /** A second process on the same database, with its own caches. */
  let other: TestApp;

  const mint = async (app: TestApp, client: { client_id: string; client_secret: string }) => {
    const res = await app.app.inject({ method: 'POST', url: '/v1/auth/token', payload: client });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().access_token as string;
  };
  const mintFor = (tenant: Tenant, app: TestApp = t) => mint(app, tenant.credentials);
  const statusWith = async (tenant: Tenant, jwt: string, app: TestApp = t) =>
    (
      await app.app.inject({
        method: 'GET',
        url: `/api/v2/tenants/${tenant.id}/config`,
        headers: { authorization: `Bearer ${jwt}` },
      })
    ).statusCode;
  const rotate = async (tenant: Tenant, credential: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v2/tenants/${tenant.id}/credentials/rotate`,
      headers: t.adminHeaders,
      payload: { credential },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as { value: string; client_id?: string };
  };
  const jwksKids = async () =>
    (await t.app.inject({ url: '/.well-known/jwks.json' })).json<{ keys: JWK[] }>().keys.map((k) => k.kid);
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp({ dialect, clock });
    other = await startTestApp({ sharedDatabase: t.db, clock });
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  describe.skipIf(skip)('credential rotation', () => {
    it('revokes the JWTs minted with the OAuth client when the client is rotated, and only those of its tenant', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const jwtA = await mintFor(a);
      const jwtB = await mintFor(b);
      expect(await statusWith(a, jwtA)).toBe(200);

      const rotated = await rotate(a, 'oauth_client');
      expect(await statusWith(a, jwtA)).toBe(401);
      expect(await statusWith(b, jwtB)).toBe(200);
      // Minted in the same second as the revoked one: still valid.
      const fresh = await mint(t, { client_id: rotated.client_id!, client_secret: rotated.value });
      expect(await statusWith(a, fresh)).toBe(200);
    });

    it('revokes the JWTs of a tenant whose API key is rotated; one minted afterwards works', async () => {
      const a = await t.createTenant();
      const b = await t.createTenant();
      const jwtA = await mintFor(a);
      const jwtB = await mintFor(b);

      await rotate(a, 'api_key');
      expect(await statusWith(a, jwtA)).toBe(401);
      expect(await statusWith(b, jwtB)).toBe(200);
      expect(await statusWith(a, await mintFor(a))).toBe(200);
    });

    it('keeps JWTs working when a credential they do not stand for is rotated', async () => {
      const a = await t.createTenant();
      const jwtA = await mintFor(a);
      await rotate(a, 'widget_token');
      expect(await statusWith(a, jwtA)).toBe(200);
    });

    it('revokes in another process within seconds, and that process accepts tokens minted after the rotation at once', async () => {
      const a = await t.createTenant();
      const jwtA = await mintFor(a);
      expect(await statusWith(a, jwtA, other)).toBe(200);

      await rotate(a, 'api_key');
      const fresh = await mintFor(a);
      expect(await statusWith(a, fresh, other)).toBe(200);
      clock.advance(6);
      expect(await statusWith(a, jwtA, other)).toBe(401);
      expect(await statusWith(a, await mintFor(a, other))).toBe(200);
    });
  });

  describe.skipIf(skip)('signing-key rotation', () => {
    it('signs with the new key at once, keeps the old one verifying and listed for the grace, then retires it', async () => {
      const a = await t.createTenant();
      const before = await mintFor(a);
      const oldKid = kidOf(before);

      const rotated = await t.deps.services.tokens.rotateSigningKey();
      expect(rotated.kid).not.toBe(oldKid);
      const after = await mintFor(a);
      expect(kidOf(after)).toBe(rotated.kid);
      expect(await jwksKids()).toEqual([rotated.kid, oldKid]);
      expect(await statusWith(a, before)).toBe(200);
      expect(await statusWith(a, after)).toBe(200);
      // Another process verifies the new key's tokens at once.
      expect(await statusWith(a, after, other)).toBe(200);

      // The grace covers the old key's last token until it expires.
      clock.advance(3599);
      expect(await statusWith(a, before)).toBe(200);
      clock.advance(32);
      expect(await jwksKids()).toEqual([rotated.kid]);
      expect(await statusWith(a, await mintFor(a))).toBe(200);
    });

    it('refuses a retired key’s tokens even before they expire', async () => {
      const a = await t.createTenant();
      const before = await mintFor(a);
      const rotated = await t.deps.services.tokens.rotateSigningKey({ graceSeconds: 60 });
      clock.advance(30);
      expect(await statusWith(a, before)).toBe(200);
      expect(await statusWith(a, before, other)).toBe(200);
      clock.advance(31);
      expect(await statusWith(a, before)).toBe(401);
      expect(await statusWith(a, before, other)).toBe(401);
      expect(await jwksKids()).toEqual([rotated.kid]);
    });

    it('moves another process that read the old key list to the new key within half a minute', async () => {
      const a = await t.createTenant();
      const oldKid = kidOf(await mintFor(a, other));
      const rotated = await t.deps.services.tokens.rotateSigningKey();
      expect([oldKid, rotated.kid]).toContain(kidOf(await mintFor(a, other)));
      clock.advance(31);
      const later = await mintFor(a, other);
      expect(kidOf(later)).toBe(rotated.kid);
      expect(await statusWith(a, later)).toBe(200);
    });
  });
});
