import type { Clock } from '../../lib/clock.js';
import type { SecretBox } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import { createGenerationCache } from './generation-cache.js';
import { createKeyRing } from './key-ring.js';
import { createSigningKeysRepo } from './signing-keys.repo.js';
import { createTokenGenerationsRepo } from './token-generations.repo.js';
import { createTokensService, type TokensService } from './tokens.service.js';

export type { Principal, PrincipalKind } from './principal.js';
export { SIGNING_KEY_GRACE_SECONDS, TOKEN_TTL_SECONDS } from './tokens.service.js';
export type { IssuedToken, RotatedSigningKey, TokensService } from './tokens.service.js';

/** Access tokens (ES256 JWTs): signing keys kept in the store, per-tenant generations that revoke them. */
export function createAuthModule(ports: { db: Db; box: SecretBox; clock: Clock }): { tokens: TokensService } {
  const keys = createSigningKeysRepo(ports.db);
  const tokens = createTokensService({
    ring: createKeyRing({ repo: keys, box: ports.box, clock: ports.clock }),
    generations: createGenerationCache({ repo: createTokenGenerationsRepo(ports.db), clock: ports.clock }),
    async retire(kid, retiresAt, now) {
      await keys.retireOthers(kid, retiresAt);
      await keys.deleteRetired(now);
    },
    clock: ports.clock,
  });
  return { tokens };
}
