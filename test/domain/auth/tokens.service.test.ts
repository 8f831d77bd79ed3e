import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { createAuthModule, type TokensService } from '../../../src/domain/auth/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { dialects } from '../../helpers/db.js';
import { openTenantServices, type TenantServices } from '../tenants/services.js';

const admin: Actor = { kind: 'admin', id: 'admin', tenantId: null, requestId: null, mode: 'live' };

describe.each(dialects)('tokens service on $label', ({ dialect, skip }) => {
  let s: TenantServices;
  let tokens: TokensService;
  let n = 0;
  const newTenant = async () => {
    n += 1;
    return (await s.tenants.create(admin, { name: `T${n}`, tenant_id: `t${n}-${dialect}` })).tenant.id;
  };

  beforeAll(async () => {
    if (skip) return;
    s = await openTenantServices(dialect);
    tokens = createAuthModule({ db: s.test.database.db, box: s.box, clock: systemClock }).tokens;
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  it.skipIf(skip)(
    'counts a token issued before generations existed as generation 0: valid until the first revocation',
    async () => {
      const tenantId = await newTenant();
      await tokens.jwks();
      const row = await s.test.database.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
      const now = Math.floor(Date.now() / 1000);
      const legacy = await new SignJWT({ tenant_id: tenantId, scope: 'read' })
        .setProtectedHeader({ alg: 'ES256', kid: row.kid, typ: 'JWT' })
        .setIssuer('frontdesk')
        .setAudience('frontdesk-api')
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(await importJWK(JSON.parse(s.box.open(row.private_sealed)) as JWK, 'ES256'));
      expect(await tokens.verify(legacy)).toMatchObject({ tenantId });
      await tokens.revokeTenant(tenantId);
      expect(await tokens.verify(legacy)).toBeUndefined();
    },
  );

  it.skipIf(skip)('retires the replaced keys at once with no grace, and forgets them', async () => {
    const tenantId = await newTenant();
    const before = (await tokens.issue({ tenantId, clientId: 'client_x', scopes: ['read'] })).accessToken;
    const rotated = await tokens.rotateSigningKey({ graceSeconds: 0 });
    expect(await tokens.verify(before)).toBeUndefined();
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid]);
    expect(await s.test.database.db.selectFrom('signing_keys').select('kid').execute()).toEqual([{ kid: rotated.kid }]);
    expect(
      await tokens.verify((await tokens.issue({ tenantId, clientId: 'client_x', scopes: ['read'] })).accessToken),
    ).toMatchObject({ tenantId });
  });
});
