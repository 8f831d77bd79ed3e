import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import type { Principal } from './principal.js';
import * as repo from './signing-keys.repo.js';
import * as generations from './token-generations.repo.js';

const ALG = 'ES256';
const ISSUER = 'frontdesk';
const AUDIENCE = 'frontdesk-api';
export const TOKEN_TTL_SECONDS = 3600;
/** How long a process signs with the key list it read: after a rotation elsewhere, it moves to the new key within this. */
const KEY_REFRESH_MS = 30_000;
/**
 * How long a replaced signing key keeps verifying: the lifetime of the last token signed with it,
 * which another process may still sign up to KEY_REFRESH_MS after the rotation.
 */
export const SIGNING_KEY_GRACE_SECONDS = TOKEN_TTL_SECONDS + KEY_REFRESH_MS / 1000;
/** How long a process trusts a tenant's token generation: a rotation in another process revokes here within this. */
const GENERATION_TTL_MS = 5_000;

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface RotatedSigningKey {
  kid: string;
  /** When the keys it replaces stop verifying and leave the JWKS. */
  previous_retire_at: string;
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

type KeyLike = Awaited<ReturnType<typeof importJWK>>;
interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  privateKey: KeyLike;
  publicKey: KeyLike;
  retiresAt: number | null;
}

/**
 * Signs access tokens with an ES256 key kept in the database (private half sealed with the
 * master key), so every API process of a fleet signs and verifies with the same keys.
 * Each token carries its tenant's token generation (`gen`); a credential rotation moves the
 * generation forward, so tokens issued before it stop verifying.
 */
export function createTokensService(deps: { db: Db; box: SecretBox; clock: Clock }): TokensService {
  let keys: { loadedAt: number; list: Promise<LoadedKey[]> } | undefined;
  const generationCache = new Map<string, { generation: number; until: number }>();
  // Counts revocations here, so a generation read that overlapped one is not cached.
  let revocations = 0;

  const nowMs = () => deps.clock.now().getTime();
  const usable = (k: LoadedKey) => k.retiresAt === null || k.retiresAt > nowMs();

  const createKey = async () => {
    const pair = await generateKeyPair(ALG, { extractable: true });
    const kid = newId('key');
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' };
    const privateJwk = await exportJWK(pair.privateKey);
    await repo.insert(deps.db, {
      kid,
      alg: ALG,
      public_jwk: JSON.stringify(publicJwk),
      private_sealed: deps.box.seal(JSON.stringify(privateJwk)),
      created_at: deps.clock.now().toISOString(),
      retires_at: null,
    });
    return kid;
  };

  const load = async (): Promise<LoadedKey[]> => {
    let rows = await repo.listAll(deps.db);
    if (rows.length === 0) {
      await createKey();
      rows = await repo.listAll(deps.db);
    }
    return Promise.all(
      rows.map(async (r) => {
        const publicJwk = JSON.parse(r.public_jwk) as JWK;
        return {
          kid: r.kid,
          publicJwk,
          publicKey: await importJWK(publicJwk, ALG),
          privateKey: await importJWK(JSON.parse(deps.box.open(r.private_sealed)) as JWK, ALG),
          retiresAt: r.retires_at === null ? null : Date.parse(r.retires_at),
        };
      }),
    );
  };
  const getKeys = (opts: { fresh?: boolean } = {}) => {
    if (opts.fresh || !keys || nowMs() - keys.loadedAt >= KEY_REFRESH_MS) {
      const list = load().catch((err: unknown) => {
        if (keys?.list === list) keys = undefined;
        throw err;
      });
      keys = { loadedAt: nowMs(), list };
    }
    return keys.list;
  };

  /** The tenant's generation; read again when the cached one is stale or a token shows it is behind. */
  const generationOf = async (tenantId: string, seen: number) => {
    const hit = generationCache.get(tenantId);
    if (hit && hit.until > nowMs() && seen <= hit.generation) return hit.generation;
    const before = revocations;
    const generation = await generations.current(deps.db, tenantId);
    if (revocations === before) {
      if (generationCache.size > 10_000) generationCache.clear();
      generationCache.set(tenantId, { generation, until: nowMs() + GENERATION_TTL_MS });
    }
    return generation;
  };

  return {
    async issue({ tenantId, clientId, scopes }) {
      const key = (await getKeys()).find(usable);
      if (!key) throw new Error('no signing key');
      // Read fresh, not cached: a token stamped with a generation older than the stored one would be refused at once.
      const gen = await generations.current(deps.db, tenantId);
      const now = Math.floor(nowMs() / 1000);
      const scope = scopes.join(' ');
      const access_token = await new SignJWT({ tenant_id: tenantId, scope, gen })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_TTL_SECONDS)
        .setJti(newId('jti'))
        .sign(key.privateKey);
      return { access_token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope };
    },

    async verify(token) {
      try {
        const { kid } = decodeProtectedHeader(token);
        let key = (await getKeys()).find((k) => k.kid === kid);
        // Another process may have created a key since this one loaded them.
        key ??= (await getKeys({ fresh: true })).find((k) => k.kid === kid);
        if (!key || !usable(key)) return undefined;
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: [ALG],
          currentDate: deps.clock.now(),
        });
        if (typeof payload.tenant_id !== 'string') return undefined;
        // Tokens issued before generations existed carry none: generation 0, revoked by the tenant's first rotation.
        const gen = typeof payload.gen === 'number' ? payload.gen : 0;
        if (gen < (await generationOf(payload.tenant_id, gen))) return undefined;
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
        return { kind: 'tenant-key', tenantId: payload.tenant_id, scopes, subjectId: payload.sub ?? null, live: true };
      } catch {
        return undefined;
      }
    },

    async jwks() {
      return { keys: (await getKeys()).filter(usable).map((k) => k.publicJwk) };
    },

    async revokeTenant(tenantId) {
      await generations.advance(deps.db, tenantId, deps.clock.now().toISOString());
      // Together, with no await between: a read that finished before this is dropped, one still running is not cached.
      revocations += 1;
      generationCache.delete(tenantId);
    },

    async rotateSigningKey({ graceSeconds = SIGNING_KEY_GRACE_SECONDS } = {}) {
      const kid = await createKey();
      const now = deps.clock.now();
      const previous_retire_at = new Date(now.getTime() + graceSeconds * 1000).toISOString();
      await repo.retireOthers(deps.db, kid, previous_retire_at);
      // Keys retired by an earlier rotation verify nothing any more.
      await repo.deleteRetired(deps.db, now.toISOString());
      keys = undefined;
      return { kid, previous_retire_at };
    },
  };
}
