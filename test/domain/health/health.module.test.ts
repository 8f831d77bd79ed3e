import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthModule, failingProbes } from '../../../src/domain/health/index.js';
import { systemClock } from '../../../src/lib/clock.js';
import { dialects, openTestDatabase, type TestDatabase } from '../../helpers/db.js';

describe.each(dialects)('health module on $label', ({ dialect, skip }) => {
  let test: TestDatabase;
  let dataDir: string;
  const healthOf = (ports: Partial<Parameters<typeof createHealthModule>[0]> = {}) =>
    createHealthModule({
      database: test.database,
      dataDir,
      clock: systemClock,
      version: '9.9.9',
      environment: 'test',
      ...ports,
    }).health;

  beforeAll(async () => {
    if (skip) return;
    test = await openTestDatabase(dialect);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-health-'));
  });
  afterAll(async () => {
    if (skip) return;
    await test.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(skip)('reports a working database and data directory as healthy and ready', async () => {
    const report = await healthOf().check();
    expect(report).toMatchObject({ status: 'healthy', ready: true, version: '9.9.9', environment: 'test' });
    expect(report.probes.map((p) => [p.name, p.status])).toEqual([
      ['database', 'healthy'],
      ['storage', 'healthy'],
    ]);
    expect(report.probes[0]?.details).toMatchObject({ dialect });
    expect(report.probes[0]?.responseTimeMs).toEqual(expect.any(Number));
    expect(failingProbes(report)).toEqual({});
    // The storage probe cleans up after itself.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it.skipIf(skip)('is not ready while the database cannot be reached', async () => {
    const broken = await openTestDatabase(dialect);
    await broken.drop();
    const report = await healthOf({ database: broken.database }).check();
    expect(report).toMatchObject({ status: 'unhealthy', ready: false });
    const database = report.probes.find((p) => p.name === 'database');
    expect(database).toMatchObject({ status: 'unhealthy', responseTimeMs: null, error: expect.any(String) });
    expect(Object.keys(failingProbes(report))).toEqual(['database']);
  });

  it.skipIf(skip)('is not ready while the data directory refuses writes', async () => {
    // A path below a regular file can never be created, whoever runs the test.
    const file = path.join(dataDir, 'not-a-directory');
    fs.writeFileSync(file, '');
    try {
      const report = await healthOf({ dataDir: path.join(file, 'data') }).check();
      expect(report).toMatchObject({ status: 'unhealthy', ready: false });
      expect(report.probes.find((p) => p.name === 'storage')).toMatchObject({
        status: 'unhealthy',
        error: expect.stringMatching(/ENOTDIR|EEXIST/),
      });
      expect(report.probes.find((p) => p.name === 'database')?.status).toBe('healthy');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it.skipIf(skip)('probes Redis only when it is configured, and a silent Redis makes the service unready', async () => {
    expect((await healthOf().check()).probes.some((p) => p.name === 'redis')).toBe(false);
    const redis = { status: 'reconnecting', ping: () => Promise.reject(new Error('Connection is closed.')) };
    const report = await healthOf({ redis }).check();
    expect(report.ready).toBe(false);
    expect(report.probes.find((p) => p.name === 'redis')).toMatchObject({
      status: 'unhealthy',
      error: 'Connection is closed.',
      details: { status: 'reconnecting' },
    });
    expect(failingProbes(report)).toEqual({ redis: 'Connection is closed.' });
  });

  it.skipIf(skip)('reports process facts for liveness', () => {
    const info = healthOf().processInfo();
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(info.memoryRssMb).toBeGreaterThan(0);
    expect(info.heapUsedMb).toBeGreaterThan(0);
  });
});
