import { decodeProtectedHeader, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { GenerationCache } from './generation-cache.js';
import { ALG, KEY_REFRESH_MS, type KeyRing } from './key-ring.js';
import type { Principal } from './principal.js';

const ISSUER = 'frontdesk';
const AUDIENCE = 'frontdesk-api';
export const TOKEN_TTL_SECONDS = 3600;
/**
 * How long a replaced signing key keeps verifying: the lifetime of the last token signed with it,
 * which another process may still sign up to KEY_REFRESH_MS after the rotation.
 */
export const SIGNING_KEY_GRACE_SECONDS = TOKEN_TTL_SECONDS + KEY_REFRESH_MS / 1000;

/** A signed bearer token, valid for `expiresIn` seconds. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scopes: string[];
}

export interface RotatedSigningKey {
  kid: string;
  /** When the keys it replaces stop verifying and leave the JWKS. */
  previousRetireAt: string;
}

export interface TokensService {
  issue(subject: { tenantId: string; clientId: string; scopes: string[] }): Promise<IssuedToken>;
  /** The principal of a valid token; undefined for a bad signature, an unknown or retired key, an expired or revoked token. */
  verify(token: string): Promise<Principal | undefined>;
  /** The public keys that verify tokens now (during a signing-key rotation, the old ones too). */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Revokes every token issued to the tenant so far: its OAuth client or API key was rotated. */
  revokeTenant(tenantId: string): Promise<void>;
  /** A new key signs from now on; the keys it replaces verify for `graceSeconds` more, then retire. */
  rotateSigningKey(opts?: { graceSeconds?: number }): Promise<RotatedSigningKey>;
}

interface TokenPorts {
  ring: KeyRing;
  generations: GenerationCache;
  /** Retires replaced keys and forgets retired ones. */
  retire(kid: string, retiresAt: string, now: string): Promise<void>;
  clock: Clock;
}

/**
 * Signs access tokens with an ES256 key kept in the database (private half sealed with the
 * master key), so every API process of a fleet signs and verifies with the same keys.
 * Each token carries its tenant's token generation (`gen`); a credential rotation moves the
 * generation forward, so tokens issued before it stop verifying.
 */
export function createTokensService(deps: TokenPorts): TokensService {
  return {
    issue: (subject) => issue(deps, subject),
    verify: (token) => verify(deps, token),
    async jwks() {
      return { keys: (await deps.ring.keys()).filter(deps.ring.usable).map((k) => k.publicJwk) };
    },
    revokeTenant: (tenantId) => deps.generations.advance(tenantId),
    async rotateSigningKey({ graceSeconds = SIGNING_KEY_GRACE_SECONDS } = {}) {
      const kid = await deps.ring.create();
      const now = deps.clock.now();
      const previousRetireAt = new Date(now.getTime() + graceSeconds * 1000).toISOString();
      // Keys retired by an earlier rotation verify nothing any more.
      await deps.retire(kid, previousRetireAt, now.toISOString());
      deps.ring.invalidate();
      return { kid, previousRetireAt };
    },
  };
}

async function issue(
  deps: TokenPorts,
  { tenantId, clientId, scopes }: { tenantId: string; clientId: string; scopes: string[] },
): Promise<IssuedToken> {
  const key = (await deps.ring.keys()).find(deps.ring.usable);
  if (!key) throw new Error('no signing key');
  // Read fresh, not cached: a token stamped with a generation older than the stored one would be refused at once.
  const gen = await deps.generations.fresh(tenantId);
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const scope = scopes.join(' ');
  const accessToken = await new SignJWT({ tenant_id: tenantId, scope, gen })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_TTL_SECONDS)
    .setJti(newId('jti'))
    .sign(key.privateKey);
  return { accessToken, expiresIn: TOKEN_TTL_SECONDS, scopes };
}

async function verify(deps: TokenPorts, token: string): Promise<Principal | undefined> {
  try {
    const { kid } = decodeProtectedHeader(token);
    let key = (await deps.ring.keys()).find((k) => k.kid === kid);
    // Another process may have created a key since this one loaded them.
    key ??= (await deps.ring.keys({ fresh: true })).find((k) => k.kid === kid);
    if (!key || !deps.ring.usable(key)) return undefined;
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [ALG],
      currentDate: deps.clock.now(),
    });
    if (typeof payload.tenant_id !== 'string') return undefined;
    // Tokens issued before generations existed carry none: generation 0, revoked by the tenant's first rotation.
    const gen = typeof payload.gen === 'number' ? payload.gen : 0;
    if (gen < (await deps.generations.of(payload.tenant_id, gen))) return undefined;
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    return { kind: 'tenant-key', tenantId: payload.tenant_id, scopes, subjectId: payload.sub ?? null, live: true };
  } catch {
    return undefined;
  }
}
