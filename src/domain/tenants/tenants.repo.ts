import type { Db } from '../../store/db.js';
import { pageWithTotal } from '../../store/paging.js';
import { fromJson, toJson } from '../../store/json.js';
import type { TenantsTable } from '../../store/tables.js';
import type { Plan, TenantStatus } from './plans.js';

/** A tenant as stored: its configuration parsed, secrets still sealed. */
export interface StoredTenant {
  id: string;
  name: string;
  domain: string | null;
  status: TenantStatus;
  plan: Plan;
  timezone: string;
  /** Secrets sealed. */
  config: Record<string, unknown>;
  configVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** The fields of a tenant that change outside its configuration. */
export type TenantPatch = Partial<Pick<StoredTenant, 'name' | 'domain' | 'plan' | 'status' | 'timezone' | 'updatedAt'>>;

/** An open transaction: repo calls through `tenants` and other concepts' writes (the routes) commit together. */
export interface TenantsTransaction {
  tenants: TenantsRepo;
  /** Handed to ports that write in the same transaction; opaque here. */
  handle: Db;
}

export interface TenantsRepo {
  insert(tenantId: string, tenant: Omit<StoredTenant, 'id'>): Promise<void>;
  findById(tenantId: string): Promise<StoredTenant | undefined>;
  list(opts: {
    limit: number;
    offset: number;
    status?: string;
    plan?: string;
  }): Promise<{ tenants: StoredTenant[]; total: number }>;
  update(tenantId: string, patch: TenantPatch): Promise<void>;
  /** Writes a new configuration only if nobody changed it since `expectedVersion` was read. */
  updateConfig(
    tenantId: string,
    expectedVersion: number,
    config: Record<string, unknown>,
    updatedAt: string,
  ): Promise<boolean>;
  /** Locks the tenant's row for the transaction if its configuration is still at `version`; false when it moved on. */
  holdVersion(tenantId: string, version: number): Promise<boolean>;
  idsOldestFirst(): Promise<string[]>;
  /** Deletes the tenant; every tenant-owned table cascades from tenants.id. */
  remove(tenantId: string): Promise<boolean>;
  transaction<T>(fn: (tx: TenantsTransaction) => Promise<T>): Promise<T>;
}

const columnOf = {
  name: 'name',
  domain: 'domain',
  plan: 'plan',
  status: 'status',
  timezone: 'timezone',
  updatedAt: 'updated_at',
} as const;

export function createTenantsRepo(db: Db): TenantsRepo {
  return {
    async insert(tenantId, t) {
      await db
        .insertInto('tenants')
        .values({
          id: tenantId,
          name: t.name,
          domain: t.domain,
          status: t.status,
          plan: t.plan,
          timezone: t.timezone,
          config: toJson(t.config),
          config_version: t.configVersion,
          created_at: t.createdAt,
          updated_at: t.updatedAt,
        })
        .execute();
    },

    async findById(tenantId) {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
      return row && toStored(row);
    },

    async list(opts) {
      let q = db.selectFrom('tenants');
      if (opts.status) q = q.where('status', '=', opts.status);
      if (opts.plan) q = q.where('plan', '=', opts.plan);
      const { rows, total } = await pageWithTotal(q, (p) =>
        p.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      );
      return { tenants: rows.map(toStored), total };
    },

    async update(tenantId, patch) {
      const set: Partial<TenantsTable> = {};
      for (const [key, column] of Object.entries(columnOf) as [
        keyof TenantPatch,
        (typeof columnOf)[keyof TenantPatch],
      ][])
        if (patch[key] !== undefined) (set as Record<string, unknown>)[column] = patch[key];
      await db.updateTable('tenants').set(set).where('id', '=', tenantId).execute();
    },

    async updateConfig(tenantId, expectedVersion, config, updatedAt) {
      const result = await db
        .updateTable('tenants')
        .set({ config: toJson(config), config_version: expectedVersion + 1, updated_at: updatedAt })
        .where('id', '=', tenantId)
        .where('config_version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async holdVersion(tenantId, version) {
      const result = await db
        .updateTable('tenants')
        .set({ config_version: version })
        .where('id', '=', tenantId)
        .where('config_version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async idsOldestFirst() {
      const rows = await db.selectFrom('tenants').select('id').orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => r.id);
    },

    async remove(tenantId) {
      const result = await db.deleteFrom('tenants').where('id', '=', tenantId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    transaction: (fn) => db.transaction().execute((trx) => fn({ tenants: createTenantsRepo(trx), handle: trx })),
  };
}

function toStored(row: TenantsTable): StoredTenant {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    status: row.status as TenantStatus,
    plan: row.plan as Plan,
    timezone: row.timezone,
    config: fromJson<Record<string, unknown>>(row.config, {}),
    configVersion: row.config_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
