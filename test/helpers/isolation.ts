import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { TestApp } from './app.js';

type Tenant = Awaited<ReturnType<TestApp['createTenant']>>;

export interface IsolatedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `:tenant` stands for the owning tenant's id, `:object` for the id of an object it owns. */
  path: string;
  /** A valid body, so a refusal is about the tenant and not about the input. */
  payload?: unknown;
  /** For paths naming `:object`: creates one as the owner and returns its id. */
  createObject?: (t: TestApp, owner: Tenant) => Promise<string>;
  /** Status for a path naming neither (a route other tenants' credentials may not use at all); 403 by default. */
  expected?: 403 | 404;
}

/**
 * The tables of the test's own database with their column names. On PostgreSQL only its schema's
 * catalogue is read: a scan of every schema fails when another test drops its own mid-scan.
 */
async function ownTables(t: TestApp): Promise<{ name: string; columns: string[] }[]> {
  const db = t.deps.database.db;
  if (t.db.schema === undefined)
    return (await db.introspection.getTables()).map((x) => ({ name: x.name, columns: x.columns.map((c) => c.name) }));
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = ${t.db.schema} and table_name not like 'kysely_%'`.execute(db);
  const byTable = new Map<string, string[]>();
  for (const r of rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
  return [...byTable].map(([name, columns]) => ({ name, columns }));
}

/**
 * Every row of a tenant, in every table that has a `tenant_id` column (plus its own row in
 * `tenants`), found by introspection so tables added later are covered without editing this.
 */
export async function tenantFootprint(t: TestApp, tenantId: string): Promise<Record<string, unknown[]>> {
  await t.deps.services.usage.flush();
  const db = t.deps.database.db;
  const out: Record<string, unknown[]> = {};
  for (const table of await ownTables(t)) {
    const column = table.name === 'tenants' ? 'id' : table.columns.includes('tenant_id') ? 'tenant_id' : undefined;
    if (!column) continue;
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table.name)} where ${sql.ref(column)} = ${tenantId}`.execute(db);
    // A job's progress is the workers' business, not the intruder's: its existence and payload are compared, not its status.
    const kept = table.name === 'jobs' ? rows.map(({ id, type, payload }) => ({ id, type, payload })) : rows;
    out[table.name] = kept.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** Every credential form another tenant could present, including one that names the victim in X-Tenant-ID. */
async function intruderForms(
  t: TestApp,
  intruder: Tenant,
  victim: Tenant,
): Promise<{ label: string; headers: Record<string, string> }[]> {
  const token = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: { client_id: intruder.credentials.client_id, client_secret: intruder.credentials.client_secret },
  });
  expect(token.statusCode, token.body).toBe(200);
  return [
    { label: 'X-API-Key', headers: { 'x-api-key': intruder.apiKey } },
    {
      label: 'Bearer JWT',
      headers: { authorization: `Bearer ${token.json<{ access_token: string }>().access_token}` },
    },
    { label: 'ApiKey', headers: { authorization: `ApiKey ${intruder.apiKey}` } },
    { label: 'test key', headers: { 'x-api-key': intruder.credentials.test_key } },
    {
      label: 'X-API-Key + X-Tenant-ID of the owner',
      headers: { 'x-api-key': intruder.apiKey, 'x-tenant-id': victim.id },
    },
  ];
}

const fill = (path: string, tenantId: string, objectId = ''): string =>
  path.replace(':tenant', tenantId).replace(':object', objectId);

/**
 * STYLE.md habit 3, one helper for every resource: tenant A owns the data, tenant B tries each
 * route with every credential form it has. A path naming A answers 403; A's object under B's own
 * path (or a path naming no tenant) answers 404; and nothing of A's changes.
 */
export function itIsolatesTenants(app: () => TestApp, routes: IsolatedRoute[]): void {
  it.each(routes.map((r) => ({ ...r, name: `${r.method} ${r.path}` })))(
    'keeps tenant B out of tenant A’s $name',
    async (route) => {
      const t = app();
      const owner = await t.createTenant();
      const intruder = await t.createTenant();
      const objectId = route.createObject ? await route.createObject(t, owner) : undefined;
      const before = await tenantFootprint(t, owner.id);

      const attempts: { url: string; status: number }[] = [];
      if (route.path.includes(':tenant')) {
        attempts.push({ url: fill(route.path, owner.id, objectId), status: 403 });
        if (objectId !== undefined) attempts.push({ url: fill(route.path, intruder.id, objectId), status: 404 });
      } else {
        attempts.push({
          url: fill(route.path, '', objectId),
          status: objectId !== undefined ? 404 : (route.expected ?? 403),
        });
      }

      for (const form of await intruderForms(t, intruder, owner)) {
        for (const attempt of attempts) {
          const res = await t.app.inject({
            method: route.method,
            url: attempt.url,
            headers: form.headers,
            ...(route.payload === undefined ? {} : { payload: route.payload as object }),
          });
          // The X-Tenant-ID form is refused by authentication itself, before any object is looked up.
          const status = form.label.includes('X-Tenant-ID') ? 403 : attempt.status;
          expect(res.statusCode, `${form.label} ${route.method} ${attempt.url}: ${res.body}`).toBe(status);
        }
      }
      expect(await tenantFootprint(t, owner.id)).toEqual(before);
    },
  );
}
