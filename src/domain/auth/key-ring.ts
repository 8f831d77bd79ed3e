import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { SigningKeysRepo } from './signing-keys.repo.js';

export const ALG = 'ES256';
/** How long a process signs with the key list it read: after a rotation elsewhere, it moves to the new key within this. */
export const KEY_REFRESH_MS = 30_000;

type KeyLike = Awaited<ReturnType<typeof importJWK>>;
export interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  privateKey: KeyLike;
  publicKey: KeyLike;
  retiresAt: number | null;
}

/** The signing keys this process holds, re-read from the store every KEY_REFRESH_MS (or on demand). */
export interface KeyRing {
  keys(opts?: { fresh?: boolean }): Promise<LoadedKey[]>;
  /** Whether a key still signs and verifies now. */
  usable: (key: LoadedKey) => boolean;
  /** Stores a new key and returns its id; the next read of `keys` includes it. */
  create(): Promise<string>;
  /** Drops what was read, so the next `keys` reads the store. */
  invalidate(): void;
}

export function createKeyRing(deps: { repo: SigningKeysRepo; box: SecretBox; clock: Clock }): KeyRing {
  let cached: { loadedAt: number; list: Promise<LoadedKey[]> } | undefined;
  const nowMs = () => deps.clock.now().getTime();

  const create = async () => {
    const pair = await generateKeyPair(ALG, { extractable: true });
    const kid = newId('key');
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' };
    const privateJwk = await exportJWK(pair.privateKey);
    await deps.repo.insert({
      kid,
      alg: ALG,
      publicJwk: JSON.stringify(publicJwk),
      privateSealed: deps.box.seal(JSON.stringify(privateJwk)),
      createdAt: deps.clock.now().toISOString(),
      retiresAt: null,
    });
    return kid;
  };

  const load = async (): Promise<LoadedKey[]> => {
    let stored = await deps.repo.listAll();
    if (stored.length === 0) {
      await create();
      stored = await deps.repo.listAll();
    }
    return Promise.all(
      stored.map(async (k) => {
        const publicJwk = JSON.parse(k.publicJwk) as JWK;
        return {
          kid: k.kid,
          publicJwk,
          publicKey: await importJWK(publicJwk, ALG),
          privateKey: await importJWK(JSON.parse(deps.box.open(k.privateSealed)) as JWK, ALG),
          retiresAt: k.retiresAt === null ? null : Date.parse(k.retiresAt),
        };
      }),
    );
  };

  return {
    keys(opts = {}) {
      if (opts.fresh || !cached || nowMs() - cached.loadedAt >= KEY_REFRESH_MS) {
        const list = load().catch((err: unknown) => {
          if (cached?.list === list) cached = undefined;
          throw err;
        });
        cached = { loadedAt: nowMs(), list };
      }
      return cached.list;
    },
    usable: (k) => k.retiresAt === null || k.retiresAt > nowMs(),
    create,
    invalidate() {
      cached = undefined;
    },
  };
}
