import type { Generated } from 'kysely';

/**
 * Row shapes shared by SQLite and PostgreSQL. Times are ISO-8601 UTC strings and JSON
 * is text in both dialects, so a row reads the same whichever database holds it.
 */

export interface TenantsTable {
  id: string;
  name: string;
  domain: string | null;
  status: string;
  plan: string;
  timezone: string;
  /** JSON: the one tenant configuration model, secrets sealed. */
  config: string;
  config_version: number;
  created_at: string;
  updated_at: string;
}

export interface CredentialsTable {
  id: string;
  tenant_id: string;
  kind: string;
  /** Public half where a credential has one (OAuth client_id). */
  public_id: string | null;
  /** SHA-256 of the secret for credentials we only need to verify. */
  key_hash: string | null;
  /** Sealed secret for credentials we must use ourselves (HMAC signing secrets). */
  sealed_secret: string | null;
  /** First characters, so people can tell keys apart in lists. */
  display_prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  role: string;
  permissions: string;
  status: string;
  department: string | null;
  invitation_token_hash: string | null;
  invitation_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  created_at: string;
}

export interface UsageCountersTable {
  tenant_id: string;
  /** Calendar month in UTC, `YYYY-MM`. */
  period: string;
  metric: string;
  value: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_sealed: string;
  created_at: string;
}

export interface PlatformStateTable {
  key: string;
  value: string;
}

export interface JobsTable {
  id: string;
  tenant_id: string | null;
  type: string;
  payload: string;
  status: string;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  lease_until: string | null;
  worker_id: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface Tables {
  tenants: TenantsTable;
  credentials: CredentialsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  usage_counters: UsageCountersTable;
  signing_keys: SigningKeysTable;
  platform_state: PlatformStateTable;
  jobs: JobsTable;
}

export type { Generated };
