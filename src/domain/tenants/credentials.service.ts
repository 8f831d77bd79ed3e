import { newId, newToken } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import { safeEqual } from '../../lib/crypto.js';
import { hashKey, type SecretBox } from '../../lib/secrets.js';
import type { Principal, TokensService } from '../auth/index.js';
import type { CredentialsRepo } from './credentials.repo.js';
import { DEFAULT_WEBHOOK_SECRET_GRACE_HOURS } from './security.config.js';
import type { TenantConfig } from './tenant-config.schema.js';
import type { TenantsRepo } from './tenants.repo.js';

export const CREDENTIAL_KINDS = [
  'api_key',
  'test_key',
  'webhook_secret',
  'oauth_client',
  'widget_token',
  'owner_token',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** Every credential of a tenant in plain text: returned once, when created or rotated. */
export interface IssuedCredentials {
  api_key: string;
  test_key: string;
  webhook_secret: string;
  client_id: string;
  client_secret: string;
  widget_token: string;
  owner_token: string;
}

export interface RotatedCredential {
  kind: CredentialKind;
  value: string;
  client_id?: string;
  created_at: string;
}

export interface CredentialSummary {
  kind: CredentialKind;
  display_prefix: string;
  client_id: string | null;
  created_at: string;
}

/** A live credential as the web app lists it: when it was first issued, when last replaced, its first characters. */
export interface CredentialOverview {
  kind: CredentialKind;
  display_prefix: string;
  client_id: string | null;
  created_at: string;
  /** When the live value replaced an earlier one; null while the first one is in use. */
  rotated_at: string | null;
}

export interface CredentialsService {
  issueAll(tenantId: string): Promise<IssuedCredentials>;
  rotate(tenantId: string, kind: CredentialKind): Promise<RotatedCredential>;
  list(tenantId: string): Promise<CredentialSummary[]>;
  /** Every live credential with when its kind was first issued and last rotated; never a secret. */
  overview(tenantId: string): Promise<CredentialOverview[]>;
  /** The principal for an API key, widget token or owner token; undefined when unknown or revoked. */
  authenticate(token: string): Promise<Principal | undefined>;
  /** Checks an OAuth client's secret; returns its tenant. */
  verifyClient(clientId: string, clientSecret: string): Promise<string | undefined>;
  /** Plain signing secrets for inbound webhooks, newest first: the current one and, within its grace window, the one it replaced. */
  webhookSecrets(tenantId: string): Promise<string[]>;
  /** Called once a tenant is deleted (its rows cascade): drops cached lookups so its keys stop working at once. */
  forgetTenant(tenantId: string): void;
}

interface CredentialPorts {
  repo: CredentialsRepo;
  /** The tenant's configuration, read for its webhook-secret grace window. */
  tenants: Pick<TenantsRepo, 'findById'>;
  box: SecretBox;
  clock: Clock;
  tokens: Pick<TokensService, 'revokeTenant'>;
}

const prefixes: Record<Exclude<CredentialKind, 'oauth_client'>, string> = {
  api_key: 'fd_live_',
  test_key: 'fd_test_',
  webhook_secret: 'whsec_',
  widget_token: 'fd_wt_',
  owner_token: 'fd_ot_',
};

/** JWTs are minted with the OAuth client and stand in for the API key: rotating either revokes them. */
const REVOKES_TOKENS: ReadonlySet<CredentialKind> = new Set(['oauth_client', 'api_key']);
const HOUR_MS = 3_600_000;

export function createCredentialsService(deps: CredentialPorts): CredentialsService {
  const lookup = createCredentialLookup(deps);
  const issuer = createCredentialIssuer(deps, lookup);
  return { ...issuer, ...lookup };
}

/** Creating and rotating credentials: the plain values are returned once and only hashes or sealed copies are kept. */
function createCredentialIssuer(
  deps: CredentialPorts,
  lookup: { clearCache(): void },
): Pick<CredentialsService, 'issueAll' | 'rotate'> {
  const insertToken = async (tenantId: string, kind: Exclude<CredentialKind, 'oauth_client'>) => {
    const value = newToken(prefixes[kind]);
    const created_at = deps.clock.now().toISOString();
    const sealed = kind === 'webhook_secret';
    await deps.repo.insert(tenantId, {
      id: newId('cred'),
      kind,
      publicId: null,
      keyHash: sealed ? null : hashKey(value),
      sealedSecret: sealed ? deps.box.seal(value) : null,
      displayPrefix: value.slice(0, prefixes[kind].length + 4),
      createdAt: created_at,
      revokedAt: null,
      retiresAt: null,
    });
    return { value, created_at };
  };

  const insertClient = async (tenantId: string) => {
    const client_id = newId('client');
    const client_secret = newToken('fd_cs_');
    const created_at = deps.clock.now().toISOString();
    await deps.repo.insert(tenantId, {
      id: newId('cred'),
      kind: 'oauth_client',
      publicId: client_id,
      keyHash: hashKey(client_secret),
      sealedSecret: null,
      displayPrefix: client_id.slice(0, 12),
      createdAt: created_at,
      revokedAt: null,
      retiresAt: null,
    });
    return { client_id, client_secret, created_at };
  };

  const webhookSecretGraceMs = async (tenantId: string): Promise<number> => {
    const config: TenantConfig = (await deps.tenants.findById(tenantId))?.config ?? {};
    return (config.security?.webhook_secret_grace_hours ?? DEFAULT_WEBHOOK_SECRET_GRACE_HOURS) * HOUR_MS;
  };

  return {
    async issueAll(tenantId) {
      const api_key = (await insertToken(tenantId, 'api_key')).value;
      const test_key = (await insertToken(tenantId, 'test_key')).value;
      const webhook_secret = (await insertToken(tenantId, 'webhook_secret')).value;
      const { client_id, client_secret } = await insertClient(tenantId);
      const widget_token = (await insertToken(tenantId, 'widget_token')).value;
      const owner_token = (await insertToken(tenantId, 'owner_token')).value;
      return { api_key, test_key, webhook_secret, client_id, client_secret, widget_token, owner_token };
    },

    async rotate(tenantId, kind) {
      const now = deps.clock.now();
      if (kind === 'webhook_secret') {
        // Senders retry with what they signed before the rotation; the old secret stays good for the tenant's grace window.
        const retiresAt = new Date(now.getTime() + (await webhookSecretGraceMs(tenantId))).toISOString();
        await deps.repo.retireKind(tenantId, kind, now.toISOString(), retiresAt);
      } else {
        await deps.repo.revokeKind(tenantId, kind, now.toISOString());
      }
      lookup.clearCache();
      // After the old client is revoked, so no token can be minted with it under the new generation.
      if (REVOKES_TOKENS.has(kind)) await deps.tokens.revokeTenant(tenantId);
      if (kind === 'oauth_client') {
        const c = await insertClient(tenantId);
        return { kind, value: c.client_secret, client_id: c.client_id, created_at: c.created_at };
      }
      const t = await insertToken(tenantId, kind);
      return { kind, value: t.value, created_at: t.created_at };
    },
  };
}

const principalKind: Record<string, Principal['kind'] | undefined> = {
  api_key: 'tenant-key',
  test_key: 'tenant-key',
  widget_token: 'widget',
  owner_token: 'owner',
};

const scopesFor: Record<string, string[]> = {
  api_key: ['read', 'write'],
  test_key: ['read', 'write'],
  widget_token: ['widget'],
  owner_token: ['owner', 'read'],
};

// Lookups are cached briefly so the hot path costs no query; a rotation clears this process's cache at once,
// other processes see it within the TTL.
const CACHE_TTL_MS = 10_000;

/** Reading credentials: who a presented secret is, which secrets verify a tenant's inbound webhooks. */
function createCredentialLookup(
  deps: CredentialPorts,
): Omit<CredentialsService, 'issueAll' | 'rotate'> & { clearCache(): void } {
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();
  return {
    async list(tenantId) {
      return (await deps.repo.listByTenant(tenantId)).map((c) => ({
        kind: c.kind as CredentialKind,
        display_prefix: c.displayPrefix,
        client_id: c.publicId,
        created_at: c.createdAt,
      }));
    },

    async overview(tenantId) {
      const [live, first] = await Promise.all([
        deps.repo.listByTenant(tenantId),
        deps.repo.firstIssuedByKind(tenantId),
      ]);
      return live.map((c) => {
        const issued = first.get(c.kind) ?? c.createdAt;
        return {
          kind: c.kind as CredentialKind,
          display_prefix: c.displayPrefix,
          client_id: c.publicId,
          created_at: issued,
          rotated_at: issued < c.createdAt ? c.createdAt : null,
        };
      });
    },

    async authenticate(token) {
      const hash = hashKey(token);
      const now = Date.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.principal;
      const found = await deps.repo.findActiveByHash(hash);
      const kind = found ? principalKind[found.kind] : undefined;
      const principal: Principal | undefined =
        found && kind
          ? {
              kind,
              tenantId: found.tenantId,
              scopes: scopesFor[found.kind] ?? [],
              subjectId: found.id,
              live: found.kind !== 'test_key',
            }
          : undefined;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { principal, until: now + CACHE_TTL_MS });
      return principal;
    },

    async verifyClient(clientId, clientSecret) {
      const found = await deps.repo.findActiveByPublicId(clientId);
      if (!found?.keyHash || found.kind !== 'oauth_client') return undefined;
      return safeEqual(found.keyHash, hashKey(clientSecret)) ? found.tenantId : undefined;
    },

    async webhookSecrets(tenantId) {
      const found = await deps.repo.findVerifyingByKind(tenantId, 'webhook_secret', deps.clock.now().toISOString());
      return found.flatMap((c) => (c.sealedSecret ? [deps.box.open(c.sealedSecret)] : []));
    },

    forgetTenant(tenantId) {
      for (const [hash, hit] of cache) if (hit.principal?.tenantId === tenantId) cache.delete(hash);
    },

    clearCache() {
      cache.clear();
    },
  };
}
