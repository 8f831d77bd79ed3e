import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../src/lib/secrets.js';
import { openDatabase, type Database } from '../src/store/db.js';
import { CHILD_TIMEOUT_MS, cleanEnv, run } from './helpers/cli.js';

interface CreatedJson {
  tenant_id: string;
  name: string;
  plan: string;
  status: string;
  credentials: Record<
    'api_key' | 'test_key' | 'webhook_secret' | 'client_id' | 'client_secret' | 'widget_token' | 'owner_token',
    string
  >;
}

// Each test runs the CLI as a child process, once or twice in a row.
describe('frontdesk CLI', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let created: CreatedJson;

  /** Reads the CLI's SQLite database directly, to check what a command left behind. */
  const withDb = async <T>(fn: (db: Database['db']) => Promise<T>): Promise<T> => {
    const database = openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'frontdesk.db') });
    try {
      return await fn(database.db);
    } finally {
      await database.close();
    }
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-cli-'));
    env = cleanEnv({ FRONTDESK_DATA_DIR: dataDir });
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrate brings an empty database up to date, then has nothing to do', async () => {
    const fresh = await run(['migrate'], env);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^Applied: \d{4}-\d\d-\d\d-\d{4}-foundation/m);
    const again = await run(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Database schema is up to date.');
  });

  it('tenants create --json prints the tenant and all its credentials', async () => {
    const res = await run(
      ['tenants', 'create', '--name', 'Acme Plumbing', '--id', 'acme', '--plan', 'pro', '--json'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    created = JSON.parse(res.stdout) as CreatedJson;
    expect(created).toMatchObject({
      tenant_id: 'acme',
      name: 'Acme Plumbing',
      plan: 'pro',
      status: 'active',
      credentials: {
        api_key: expect.stringMatching(/^fd_live_/),
        test_key: expect.stringMatching(/^fd_test_/),
        webhook_secret: expect.stringMatching(/^whsec_/),
        client_id: expect.stringMatching(/^client_/),
        client_secret: expect.stringMatching(/^fd_cs_/),
        widget_token: expect.stringMatching(/^fd_wt_/),
        owner_token: expect.stringMatching(/^fd_ot_/),
      },
    });
    const audit = await withDb((db) =>
      db.selectFrom('audit_log').select(['actor_kind', 'action']).where('tenant_id', '=', 'acme').execute(),
    );
    expect(audit).toEqual([{ actor_kind: 'cli', action: 'tenant.created' }]);
  });

  it('tenants create refuses an id that exists', async () => {
    const res = await run(['tenants', 'create', '--name', 'Again', '--id', 'acme'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Tenant 'acme' already exists");
  });

  it('tenants list --json lists the tenants', async () => {
    const res = await run(['tenants', 'list', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      { tenant_id: 'acme', name: 'Acme Plumbing', plan: 'pro', status: 'active', created_at: expect.any(String) },
    ]);
  });

  it('keys rotate revokes the old API key and stores the new one', async () => {
    const res = await run(['keys', 'rotate', 'acme', '--kind', 'api_key'], env);
    expect(res.code, res.stderr).toBe(0);
    const fresh = res.stdout.match(/(fd_live_\S+)/)?.[1];
    expect(fresh).toBeDefined();
    const rows = await withDb((db) =>
      db
        .selectFrom('credentials')
        .select(['key_hash', 'revoked_at'])
        .where('tenant_id', '=', 'acme')
        .where('kind', '=', 'api_key')
        .execute(),
    );
    expect(rows.find((r) => r.key_hash === hashKey(created.credentials.api_key))?.revoked_at).toEqual(
      expect.any(String),
    );
    expect(rows.find((r) => r.key_hash === hashKey(fresh ?? ''))?.revoked_at).toBeNull();
  });

  it('keys rotate --kind --json rotates another credential kind', async () => {
    const res = await run(['keys', 'rotate', 'acme', '--kind', 'widget_token', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ kind: 'widget_token', value: expect.stringMatching(/^fd_wt_/) });
  });

  it('keys rotate-signing adds a signing key and schedules the retirement of the others', async () => {
    // The bad option is refused before the database is opened: run it alongside.
    const [first, bad] = await Promise.all([
      run(['keys', 'rotate-signing', '--json'], env),
      run(['keys', 'rotate-signing', '--grace', 'soon'], env),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--grace must be a whole number of seconds');
    const second = await run(['keys', 'rotate-signing', '--grace', '60'], env);
    expect(second.code, second.stderr).toBe(0);
    const kid = second.stdout.match(
      /New signing key (key_\S+) signs from now on; the previous keys verify until (\S+), then retire\./,
    );
    expect(kid, second.stdout).not.toBeNull();
    const rows = await withDb((db) => db.selectFrom('signing_keys').select(['kid', 'retires_at']).execute());
    const retiring = rows.find((r) => r.kid === (JSON.parse(first.stdout) as { kid: string }).kid);
    expect(retiring?.retires_at).toBe(kid?.[2]);
    expect(rows.find((r) => r.kid === kid?.[1])?.retires_at).toBeNull();
    const audit = await withDb((db) =>
      db
        .selectFrom('audit_log')
        .select(['actor_kind', 'action', 'tenant_id'])
        .where('action', '=', 'signing_key.rotated')
        .execute(),
    );
    expect(audit).toEqual([
      { actor_kind: 'cli', action: 'signing_key.rotated', tenant_id: null },
      { actor_kind: 'cli', action: 'signing_key.rotated', tenant_id: null },
    ]);
  });

  it('says what is wrong and exits 2 for a bad command', async () => {
    // Independent processes: run them side by side to keep the suite quick.
    const [noName, badPlan, unknownTenant, unknown, noKind, bogus, noValue] = await Promise.all([
      run(['tenants', 'create'], env),
      run(['tenants', 'create', '--name', 'X', '--plan', 'platinum'], env),
      run(['keys', 'rotate', 'nobody', '--kind', 'api_key'], env),
      run(['frobnicate'], env),
      run(['keys', 'rotate', 'acme'], env),
      run(['serve', '--bogus'], env),
      run(['tenants', 'create', '--name'], env),
    ]);
    for (const res of [noKind, bogus, noValue]) {
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr.trim().split('\n'), 'one sentence, no stack').toHaveLength(1);
    }
    expect(noKind.stderr).toContain('--kind is required');
    expect(bogus.stderr).toContain("Unknown option '--bogus'");
    expect(bogus.stderr).toContain('frontdesk --help');
    expect(noValue.stderr).toContain("Option '--name <value>' argument missing");
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('--name is required');
    expect(badPlan.code).toBe(2);
    expect(badPlan.stderr).toContain('--plan must be one of');
    expect(unknownTenant.code).toBe(2);
    expect(unknownTenant.stderr).toContain("Tenant 'nobody' not found");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: frontdesk');
  });
});
