import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../src/http/errors.js';
import { StorageError } from '../../src/providers/storage/storage.js';
import { defaultStatus } from '../../src/http/envelope.js';
import { assertWritable, type Database } from '../../src/store/db.js';
import type { Tables } from '../../src/store/tables.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DATABASE_URL, dialects, migrateAmidOtherTests, type TestDatabase } from '../helpers/db.js';

type Body = { status?: string; error?: { code?: string } };

const DRIVER_TEXT = 'driver said: /var/lib/frontdesk/db.sqlite password=hunter2';

describe('write refusals map to 503 with Retry-After', () => {
  const cases: [code: string, appCode: 'DATABASE' | 'UNAVAILABLE', message: string][] = [
    ['SQLITE_FULL', 'DATABASE', 'The database is out of disk space; try again later'],
    ['SQLITE_READONLY', 'DATABASE', 'The database is read-only; try again later'],
    ['SQLITE_READONLY_DBMOVED', 'DATABASE', 'The database is read-only; try again later'],
    ['SQLITE_IOERR', 'DATABASE', 'The database cannot write to its disk; try again later'],
    ['SQLITE_IOERR_WRITE', 'DATABASE', 'The database cannot write to its disk; try again later'],
    ['53100', 'DATABASE', 'The database is out of disk space; try again later'],
    ['25006', 'DATABASE', 'The database is read-only; try again later'],
    ['57P01', 'DATABASE', 'The database is shutting down; try again later'],
    ['57P03', 'DATABASE', 'The database is not accepting connections yet; try again later'],
    ['ENOSPC', 'UNAVAILABLE', 'Storage is full; try again later'],
    ['EROFS', 'UNAVAILABLE', 'Storage is read-only; try again later'],
    ['EDQUOT', 'UNAVAILABLE', 'The storage quota is exhausted; try again later'],
  ];

  it.each(cases)('%s becomes %s, 503, Retry-After 30 and plain words', (code, appCode, message) => {
    const error = toAppError(Object.assign(new Error(DRIVER_TEXT), { code }));
    expect(error.code).toBe(appCode);
    expect(defaultStatus[error.code]).toBe(503);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toBe(message);
  });

  it('finds the refusal under an adapter’s wrapping error', () => {
    const wrapped = new StorageError('unavailable', `filesystem storage could not write: ${DRIVER_TEXT}`, {
      cause: Object.assign(new Error(DRIVER_TEXT), { code: 'ENOSPC' }),
    });
    expect(toAppError(wrapped)).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'Storage is full; try again later',
      retryAfterSeconds: 30,
    });
  });

  it('leaves other database outages without Retry-After and other errors as 500', () => {
    expect(toAppError(Object.assign(new Error(DRIVER_TEXT), { code: '08006' }))).toMatchObject({
      code: 'DATABASE',
      retryAfterSeconds: undefined,
    });
    expect(toAppError(Object.assign(new Error(DRIVER_TEXT), { code: 'EACCES' }))).toMatchObject({
      code: 'INTERNAL',
      retryAfterSeconds: undefined,
    });
  });
});

/**
 * A database the test can switch to read-only and back, as an operator's failover or a full
 * volume would: SQLite through `PRAGMA query_only` on its one connection, PostgreSQL by setting
 * each reserved connection's session read-only or read-write.
 */
async function switchableDatabase(
  dialect: 'sqlite' | 'postgres',
): Promise<{ shared?: TestDatabase; setReadOnly(on: boolean): Promise<void>; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { setReadOnly: () => Promise.resolve(), drop: () => Promise.resolve() };
  const url = TEST_DATABASE_URL!;
  const schema = `fd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  let readOnly = false;
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({
      pool,
      onReserveConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw(`SET SESSION CHARACTERISTICS AS TRANSACTION ${readOnly ? 'READ ONLY' : 'READ WRITE'}`),
        );
      },
    }),
  });
  await migrateAmidOtherTests(db);
  const database: Database = {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`SELECT 1`.execute(db);
      return 1;
    },
    writable: () => assertWritable(db),
    stats: () => ({ active: pool.totalCount - pool.idleCount, idle: pool.idleCount, total: pool.totalCount }),
    close: () => db.destroy(),
  };
  return {
    shared: { database, url, schema, drop: () => database.close() },
    setReadOnly: (on) => {
      readOnly = on;
      return Promise.resolve();
    },
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

for (const { dialect, label, skip } of dialects) {
  describe.skipIf(skip)(`a read-only database on ${label}`, () => {
    let t: TestApp;
    let tenant: Awaited<ReturnType<TestApp['createTenant']>>;
    let switchable: Awaited<ReturnType<typeof switchableDatabase>>;
    let n = 0;

    const setReadOnly = async (on: boolean) => {
      if (dialect === 'sqlite') await sql.raw(`PRAGMA query_only = ${on ? 'ON' : 'OFF'}`).execute(t.deps.database.db);
      else await switchable.setReadOnly(on);
    };

    const writes = () => {
      n += 1;
      return [
        {
          name: 'spec E POST /api/qualify',
          request: {
            method: 'POST' as const,
            url: '/api/qualify',
            headers: { authorization: `Bearer ${tenant.apiKey}` },
            payload: { email: `ro${n}@example.com`, company: 'Example', message: 'Need a quote' },
          },
          code: (body: Body) => body.error?.code,
          expected: 'SERVICE_UNAVAILABLE',
        },
        {
          name: 'spec A POST /v1/leads/webhook',
          request: {
            method: 'POST' as const,
            url: '/v1/leads/webhook',
            headers: { 'x-api-key': tenant.apiKey },
            payload: {
              customer_name: 'Lee Park',
              customer_email: `ro${n}@parkhomes.com`,
              project_description: 'Gutters',
            },
          },
          code: (body: Body) => body.error?.code,
          expected: 'DATABASE_ERROR',
        },
        {
          name: 'spec D POST /api/v2/chat/message',
          request: {
            method: 'POST' as const,
            url: '/api/v2/chat/message',
            headers: { 'x-widget-token': tenant.credentials.widget_token },
            payload: {
              message_id: `ro_${n}`,
              user_id: `visitor_${n}`,
              channel: 'web',
              content: { type: 'text', text: 'Hello, do you install gutters?' },
            },
          },
          code: (body: Body) => (body.status === 'error' ? body.error?.code : undefined),
          expected: 'SERVICE_UNAVAILABLE',
        },
      ];
    };

    beforeAll(async () => {
      switchable = await switchableDatabase(dialect);
      t = await startTestApp({ dialect, ...(switchable.shared ? { sharedDatabase: switchable.shared } : {}) });
      tenant = await t.createTenant();
    });
    afterAll(async () => {
      await t.close();
      await switchable.drop();
    });

    it('answers writes on every surface with 503 and Retry-After in its envelope, and readiness names the database', async () => {
      await setReadOnly(true);
      try {
        for (const w of writes()) {
          const res = await t.app.inject(w.request);
          expect(res.statusCode, `${w.name}: ${res.body}`).toBe(503);
          expect(res.headers['retry-after'], w.name).toBe('30');
          expect(w.code(res.json()), w.name).toBe(w.expected);
          expect(res.body, w.name).toContain('The database is read-only; try again later');
          expect(res.body, w.name).not.toMatch(/readonly database|read-only transaction/);
        }
        const ready = await t.app.inject({ url: '/health/ready' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json()).toMatchObject({
          status: 'not_ready',
          checks: { database: 'failed' },
          reasons: { database: expect.stringMatching(/^read-only \((SQLITE_READONLY|25006)\)$/) },
        });
        const readiness = await t.app.inject({ url: '/api/v2/health/readiness' });
        expect(readiness.statusCode).toBe(503);
        expect(readiness.json()).toMatchObject({
          status: 'not_ready',
          reasons: { database: expect.stringMatching(/^read-only/) },
        });
        const v1 = await t.app.inject({ url: '/v1/health' });
        expect(v1.statusCode).toBe(503);
        expect(v1.json()).toMatchObject({
          services: { database: { status: 'unhealthy', reason: expect.stringMatching(/^read-only/) } },
        });
      } finally {
        await setReadOnly(false);
      }

      for (const w of writes()) {
        const res = await t.app.inject(w.request);
        expect(res.statusCode, `${w.name} after recovery: ${res.body}`).toBeLessThan(300);
      }
      const ready = await t.app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).not.toHaveProperty('reasons');
    });
  });
}

describe('a data directory that cannot be written', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('makes readiness fail naming storage and why, and recovers once it is writable', async () => {
    const writeFile = fs.promises.writeFile;
    fs.promises.writeFile = (() =>
      Promise.reject(
        Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
      )) as typeof fs.promises.writeFile;
    try {
      const ready = await t.app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({
        status: 'not_ready',
        checks: { database: 'ok' },
        reasons: { storage: 'disk full (ENOSPC)' },
      });
      const detailed = await t.app.inject({ url: '/health/detailed' });
      expect(detailed.statusCode).toBe(503);
      expect(detailed.json()).toMatchObject({
        dependencies: { storage: { status: 'unhealthy', reason: 'disk full (ENOSPC)' } },
      });
    } finally {
      fs.promises.writeFile = writeFile;
    }
    expect((await t.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });
});
