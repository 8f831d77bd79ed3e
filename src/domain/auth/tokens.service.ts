import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import type { Principal } from './principal.js';
import * as repo from './signing-keys.repo.js';

const ALG = 'ES256';
const ISSUER = 'frontdesk';
const AUDIENCE = 'frontdesk-api';
export const TOKEN_TTL_SECONDS = 3600;

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface TokensService {
  issue(subject: { tenantId: string; clientId: string; scopes: string[] }): Promise<IssuedToken>;
  /** The principal of a valid token; undefined for a bad signature, an unknown key or an expired token. */
  verify(token: string): Promise<Principal | undefined>;
  jwks(): Promise<{ keys: JWK[] }>;
}

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

/**
 * Signs access tokens with an ES256 key kept in the database (private half sealed with the
 * master key), so every API process of a fleet signs and verifies with the same keys.
 */
export function createTokensService(deps: { db: Db; box: SecretBox; clock: Clock }): TokensService {
  let keys: Promise<{ kid: string; publicJwk: JWK; privateKey: KeyLike; publicKey: KeyLike }[]> | undefined;

  const load = async () => {
    let rows = await repo.listAll(deps.db);
    if (rows.length === 0) {
      const pair = await generateKeyPair(ALG, { extractable: true });
      const kid = newId('key');
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' };
      const privateJwk = await exportJWK(pair.privateKey);
      await repo.insert(deps.db, { kid, alg: ALG, public_jwk: JSON.stringify(publicJwk), private_sealed: deps.box.seal(JSON.stringify(privateJwk)), created_at: deps.clock.now().toISOString() });
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
        };
      }),
    );
  };
  const getKeys = () => {
    keys ??= load().catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return keys;
  };

  return {
    async issue({ tenantId, clientId, scopes }) {
      const [key] = await getKeys();
      if (!key) throw new Error('no signing key');
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      const scope = scopes.join(' ');
      const access_token = await new SignJWT({ tenant_id: tenantId, scope })
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
        if (!key) {
          // Another process may have created a key since this one loaded them.
          keys = undefined;
          key = (await getKeys()).find((k) => k.kid === kid);
        }
        if (!key) return undefined;
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: [ALG],
          currentDate: deps.clock.now(),
        });
        if (typeof payload.tenant_id !== 'string') return undefined;
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
        return { kind: 'tenant-key', tenantId: payload.tenant_id, scopes, subjectId: payload.sub ?? null, live: true };
      } catch {
        return undefined;
      }
    },

    async jwks() {
      return { keys: (await getKeys()).map((k) => k.publicJwk) };
    },
  };
}
