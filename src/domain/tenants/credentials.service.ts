import { newId, newToken } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import { safeEqual } from '../../lib/crypto.js';
import { hashKey, type SecretBox } from '../../lib/secrets.js';
import type { Db } from '../../store/db.js';
import { fromJson } from '../../store/json.js';
import type { Principal } from '../auth/principal.js';
import type { TokensService } from '../auth/tokens.service.js';
import * as repo from './credentials.repo.js';
import type { TenantConfig } from './tenant-config.schema.js';
import * as tenantsRepo from './tenants.repo.js';

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

const prefixes: Record<Exclude<CredentialKind, 'oauth_client'>, string> = {
  api_key: 'fd_live_',
  test_key: 'fd_test_',
  webhook_secret: 'whsec_',
  widget_token: 'fd_wt_',
  owner_token: 'fd_ot_',
};

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

export interface CredentialsService {
  issueAll(tenantId: string): Promise<IssuedCredentials>;
  rotate(tenantId: string, kind: CredentialKind): Promise<RotatedCredential>;
  list(tenantId: string): Promise<CredentialSummary[]>;
  /** The principal for an API key, widget token or owner token; undefined when unknown or revoked. */
  authenticate(token: string): Promise<Principal | undefined>;
  /** Checks an OAuth client's secret; returns its tenant. */
  verifyClient(clientId: string, clientSecret: string): Promise<string | undefined>;
  /** Plain signing secrets for inbound webhooks, newest first: the current one and, within its grace window, the one it replaced. */
  webhookSecrets(tenantId: string): Promise<string[]>;
  /** Called once a tenant is deleted (its rows cascade): drops cached lookups so its keys stop working at once. */
  forgetTenant(tenantId: string): void;
}

/** JWTs are minted with the OAuth client and stand in for the API key: rotating either revokes them. */
const REVOKES_TOKENS: ReadonlySet<CredentialKind> = new Set(['oauth_client', 'api_key']);

// Lookups are cached briefly so the hot path costs no query; a rotation clears this process's cache at once,
// other processes see it within the TTL.
const CACHE_TTL_MS = 10_000;

/** How long a rotated-out webhook secret keeps verifying unless the tenant sets `security.webhook_secret_grace_hours`. */
export const DEFAULT_WEBHOOK_SECRET_GRACE_HOURS = 24;
const HOUR_MS = 3_600_000;

export function createCredentialsService(deps: {
  db: Db;
  box: SecretBox;
  clock: Clock;
  tokens: Pick<TokensService, 'revokeTenant'>;
}): CredentialsService {
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();

  const insertToken = async (
    tenantId: string,
    kind: Exclude<CredentialKind, 'oauth_client'>,
  ): Promise<{ value: string; created_at: string }> => {
    const value = newToken(prefixes[kind]);
    const created_at = deps.clock.now().toISOString();
    const sealed = kind === 'webhook_secret';
    await repo.insert(deps.db, {
      id: newId('cred'),
      tenant_id: tenantId,
      kind,
      public_id: null,
      key_hash: sealed ? null : hashKey(value),
      sealed_secret: sealed ? deps.box.seal(value) : null,
      display_prefix: value.slice(0, prefixes[kind].length + 4),
      created_at,
      revoked_at: null,
      retires_at: null,
    });
    return { value, created_at };
  };

  const insertClient = async (
    tenantId: string,
  ): Promise<{ client_id: string; client_secret: string; created_at: string }> => {
    const client_id = newId('client');
    const client_secret = newToken('fd_cs_');
    const created_at = deps.clock.now().toISOString();
    await repo.insert(deps.db, {
      id: newId('cred'),
      tenant_id: tenantId,
      kind: 'oauth_client',
      public_id: client_id,
      key_hash: hashKey(client_secret),
      sealed_secret: null,
      display_prefix: client_id.slice(0, 12),
      created_at,
      revoked_at: null,
      retires_at: null,
    });
    return { client_id, client_secret, created_at };
  };

  const webhookSecretGraceMs = async (tenantId: string): Promise<number> => {
    const row = await tenantsRepo.findById(deps.db, tenantId);
    const hours = fromJson<TenantConfig>(row?.config, {}).security?.webhook_secret_grace_hours;
    return (hours ?? DEFAULT_WEBHOOK_SECRET_GRACE_HOURS) * HOUR_MS;
  };

  return {
    async issueAll(tenantId) {
      const api_key = (await insertToken(tenantId, 'api_key')).value;
      const test_key = (await insertToken(tenantId, 'test_key')).value;
      const webhook_secret = (await insertToken(tenantId, 'webhook_secret')).value;
      const client = await insertClient(tenantId);
      const widget_token = (await insertToken(tenantId, 'widget_token')).value;
      const owner_token = (await insertToken(tenantId, 'owner_token')).value;
      return {
        api_key,
        test_key,
        webhook_secret,
        client_id: client.client_id,
        client_secret: client.client_secret,
        widget_token,
        owner_token,
      };
    },

    async rotate(tenantId, kind) {
      const now = deps.clock.now();
      if (kind === 'webhook_secret') {
        // Senders retry with what they signed before the rotation; the old secret stays good for the tenant's grace window.
        const retiresAt = new Date(now.getTime() + (await webhookSecretGraceMs(tenantId))).toISOString();
        await repo.retireKind(deps.db, tenantId, kind, now.toISOString(), retiresAt);
      } else {
        await repo.revokeKind(deps.db, tenantId, kind, now.toISOString());
      }
      cache.clear();
      // After the old client is revoked, so no token can be minted with it under the new generation.
      if (REVOKES_TOKENS.has(kind)) await deps.tokens.revokeTenant(tenantId);
      if (kind === 'oauth_client') {
        const c = await insertClient(tenantId);
        return { kind, value: c.client_secret, client_id: c.client_id, created_at: c.created_at };
      }
      const t = await insertToken(tenantId, kind);
      return { kind, value: t.value, created_at: t.created_at };
    },

    async list(tenantId) {
      const rows = await repo.listByTenant(deps.db, tenantId);
      return rows.map((r) => ({
        kind: r.kind as CredentialKind,
        display_prefix: r.display_prefix,
        client_id: r.public_id,
        created_at: r.created_at,
      }));
    },

    async authenticate(token) {
      const hash = hashKey(token);
      const now = Date.now();
      const hit = cache.get(hash);
      if (hit && hit.until > now) return hit.principal;
      const row = await repo.findActiveByHash(deps.db, hash);
      const kind = row ? principalKind[row.kind] : undefined;
      const principal: Principal | undefined =
        row && kind
          ? {
              kind,
              tenantId: row.tenant_id,
              scopes: scopesFor[row.kind] ?? [],
              subjectId: row.id,
              live: row.kind !== 'test_key',
            }
          : undefined;
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, { principal, until: now + CACHE_TTL_MS });
      return principal;
    },

    async verifyClient(clientId, clientSecret) {
      const row = await repo.findActiveByPublicId(deps.db, clientId);
      if (!row?.key_hash || row.kind !== 'oauth_client') return undefined;
      return safeEqual(row.key_hash, hashKey(clientSecret)) ? row.tenant_id : undefined;
    },

    async webhookSecrets(tenantId) {
      const rows = await repo.findVerifyingByKind(deps.db, tenantId, 'webhook_secret', deps.clock.now().toISOString());
      return rows.flatMap((r) => (r.sealed_secret ? [deps.box.open(r.sealed_secret)] : []));
    },

    forgetTenant(tenantId) {
      for (const [hash, hit] of cache) if (hit.principal?.tenantId === tenantId) cache.delete(hash);
    },
  };
}
