import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, localUrl, type Env } from '../src/config.js';
import { CHILD_TIMEOUT_MS } from './helpers/cli.js';

const BIN = fileURLToPath(new URL('../bin/frontdesk.js', import.meta.url));

/** The problems loadConfig reports for an environment (fails the test if it accepts it). */
function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('works with nothing set: port 8080 on 127.0.0.1, ./data, SQLite in the data dir, demo on', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      port: 8080,
      host: '127.0.0.1',
      bodyLimit: 1024 * 1024,
      channelBodyLimit: 8 * 1024 * 1024,
      publicBaseUrl: 'http://127.0.0.1:8080',
      requestTimeoutMs: 30_000,
    });
    expect(config.liveStreams).toEqual({ perCredential: 10, perTenant: 50 });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.database).toEqual({ kind: 'sqlite', file: path.join(path.resolve('./data'), 'frontdesk.db') });
    expect(config).toMatchObject({
      redisUrl: undefined,
      adminKey: undefined,
      masterKey: undefined,
      logLevel: 'info',
      demo: true,
      allowPrivateUrls: false,
      shutdownTimeoutMs: 15_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the mail relay, S3 storage and price table settings', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://alerts%40acme.test:p%40ss@mail.acme.test',
      FRONTDESK_MAIL_FROM: 'Acme <alerts@acme.test>',
      S3_BUCKET: 'acme-recordings',
      S3_ENDPOINT: 'https://minio.acme.test:9000',
      S3_FORCE_PATH_STYLE: '1',
      S3_ACCESS_KEY_ID: 'AKIA123',
      S3_SECRET_ACCESS_KEY: 'secret',
      FRONTDESK_PRICES: '{"per_step":{"crm_integration":0.001},"stt_per_minute":{"deepgram":0.004}}',
    });
    expect(config.mail).toEqual({
      from: 'Acme <alerts@acme.test>',
      smtp: { host: 'mail.acme.test', port: 465, secure: true, auth: { user: 'alerts@acme.test', pass: 'p@ss' } },
    });
    expect(config.storage).toEqual({
      kind: 's3',
      bucket: 'acme-recordings',
      region: 'us-east-1',
      endpoint: 'https://minio.acme.test:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIA123', secretAccessKey: 'secret' },
      keyPrefix: undefined,
    });
    expect(config.prices.per_step).toEqual({ crm_integration: 0.001 });
    expect(config.prices.stt_per_minute).toEqual({ deepgram: 0.004 });
    expect(loadConfig({ SMTP_URL: 'smtp://relay.internal' }).mail.smtp).toEqual({
      host: 'relay.internal',
      port: 587,
      secure: false,
      auth: undefined,
    });
    expect(loadConfig({}).storage).toEqual({ kind: 'filesystem' });
  });

  it('names the bad mail, S3 or price setting', () => {
    expect(problemsOf({ SMTP_URL: 'mail.acme.test' })[0]).toMatch(/^SMTP_URL: must look like smtp:/);
    expect(problemsOf({ SMTP_URL: 'smtp://user:pa ss@host:x' })).toEqual([
      expect.stringMatching(/^SMTP_URL: is not a valid URL; write it as smtp:/),
    ]);
    expect(problemsOf({ S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'AKIA' })).toEqual([
      'S3_SECRET_ACCESS_KEY: must be set with S3_ACCESS_KEY_ID',
    ]);
    expect(problemsOf({ FRONTDESK_PRICES: '{"per_step":{"teleport":1}}' })[0]).toMatch(
      /^FRONTDESK_PRICES: per_step: .*teleport/,
    );
    expect(problemsOf({ FRONTDESK_PRICES: '/nonexistent/prices.json' })[0]).toMatch(
      /^FRONTDESK_PRICES: must be a JSON object or the path of a JSON file/,
    );
  });

  it('reads the private-URL allow-list and names a bad entry in one sentence', () => {
    expect(loadConfig({}).privateUrlAllowlist).toEqual([]);
    expect(
      loadConfig({ FRONTDESK_PRIVATE_URL_ALLOWLIST: '10.0.0.5:11434, Ollama.Internal ,[fd00::5]:8000,fd00::6' })
        .privateUrlAllowlist,
    ).toEqual([
      { host: '10.0.0.5', port: 11434 },
      { host: 'ollama.internal', port: undefined },
      { host: 'fd00::5', port: 8000 },
      { host: 'fd00::6', port: undefined },
    ]);
    for (const bad of ['http://10.0.0.5', '10.0.0.5:0', 'ollama:99999', '*.internal', 'user@host']) {
      expect(problemsOf({ FRONTDESK_PRIVATE_URL_ALLOWLIST: `ollama.internal,${bad}` })).toEqual([
        `FRONTDESK_PRIVATE_URL_ALLOWLIST: "${bad}" is not a host or host:port, so list entries such as 10.0.0.5:11434,ollama.internal`,
      ]);
    }
  });

  it('treats a variable set to the empty string as unset, except PORT', () => {
    const config = loadConfig({ FRONTDESK_ADMIN_KEY: '', DATABASE_URL: '', FRONTDESK_DEMO: '', HOST: '' });
    expect(config.http.port).toBe(8080);
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.adminKey).toBeUndefined();
    expect(config.database.kind).toBe('sqlite');
    expect(config.demo).toBe(true);
    expect(problemsOf({ PORT: '' })).toEqual([
      'PORT: is empty; set a port number (1–65535), or leave PORT unset for 8080',
    ]);
  });

  it('creates the demo tenant everywhere but in production, unless told', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', FRONTDESK_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', FRONTDESK_DEMO: 'off' }).demo).toBe(false);
  });

  it('keeps the data in the project root, found as npm finds it, wherever the command runs', () => {
    expect(loadConfig({}).dataDir).toBe(path.join(process.cwd(), 'data'));
    expect(loadConfig({ FRONTDESK_DATA_DIR: 'elsewhere' }).dataDir).toBe(path.resolve('elsewhere'));
  });

  it('reads every setting it is given', () => {
    const config = loadConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      FRONTDESK_DATA_DIR: '/tmp/fd-data',
      DATABASE_URL: 'postgres://u:p@db:5432/fd',
      REDIS_URL: 'redis://cache:6379',
      FRONTDESK_ADMIN_KEY: 'a'.repeat(16),
      FRONTDESK_MASTER_KEY: 'm'.repeat(32),
      LOG_LEVEL: 'debug',
      FRONTDESK_DEMO: 'off',
      FRONTDESK_BODY_LIMIT: '2048',
      FRONTDESK_SHUTDOWN_TIMEOUT: '3',
      PUBLIC_BASE_URL: 'https://fd.example.com/',
      FRONTDESK_REQUEST_TIMEOUT: '45',
      FRONTDESK_LIVE_STREAMS_PER_CREDENTIAL: '3',
      FRONTDESK_LIVE_STREAMS_PER_TENANT: '7',
    });
    expect(config.http).toEqual({
      port: 9090,
      host: '0.0.0.0',
      bodyLimit: 2048,
      channelBodyLimit: 8 * 1024 * 1024,
      publicBaseUrl: 'https://fd.example.com',
      requestTimeoutMs: 45_000,
    });
    expect(config.liveStreams).toEqual({ perCredential: 3, perTenant: 7 });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/fd' });
    expect(config).toMatchObject({
      dataDir: '/tmp/fd-data',
      redisUrl: 'redis://cache:6379',
      logLevel: 'debug',
      demo: false,
      shutdownTimeoutMs: 3000,
    });
  });

  it('derives a reachable PUBLIC_BASE_URL from a wildcard or IPv6 HOST', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '9000' }).http.publicBaseUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ HOST: '::', PORT: '9000' }).http.publicBaseUrl).toBe('http://[::1]:9000');
    expect(localUrl('::1', 8080)).toBe('http://[::1]:8080');
    expect(localUrl('frontdesk.local', 8080)).toBe('http://frontdesk.local:8080');
  });

  it('accepts sqlite: and :memory: database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).database).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(loadConfig({ DATABASE_URL: ':memory:' }).database).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a number'],
    [{ PORT: '70000' }, 'PORT: must be at most 65535'],
    [{ PORT: '80.5' }, 'PORT: must be a whole number'],
    [{ HOST: 'localhost:8380' }, 'HOST: must be a host name or address without a port (the port is PORT)'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
    [
      { DATABASE_URL: 'mysql://root@localhost/fd' },
      'DATABASE_URL: must start with postgres://, postgresql://, sqlite: or be :memory:',
    ],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL: must start with redis:// or rediss://'],
    [{ FRONTDESK_MASTER_KEY: 'too-short' }, 'FRONTDESK_MASTER_KEY: must be at least 32 characters'],
    [{ FRONTDESK_ADMIN_KEY: 'short' }, 'FRONTDESK_ADMIN_KEY: must be at least 16 characters'],
    [{ FRONTDESK_DEMO: 'maybe' }, 'FRONTDESK_DEMO: must be one of 1, 0, true, false, yes, no, on, off'],
    [{ FRONTDESK_BODY_LIMIT: '10' }, 'FRONTDESK_BODY_LIMIT: must be at least 1024'],
    [
      { PUBLIC_BASE_URL: 'frontdesk.example.com' },
      'PUBLIC_BASE_URL: must be an absolute URL such as https://frontdesk.example.com',
    ],
    [
      { FRONTDESK_ALLOW_PRIVATE_URLS: 'sometimes' },
      'FRONTDESK_ALLOW_PRIVATE_URLS: must be one of 1, 0, true, false, yes, no, on, off',
    ],
    [{ FRONTDESK_SHUTDOWN_TIMEOUT: '0' }, 'FRONTDESK_SHUTDOWN_TIMEOUT: must be at least 1'],
    [{ FRONTDESK_ENGINE_TEXT_LIMIT: '500' }, 'FRONTDESK_ENGINE_TEXT_LIMIT: must be at least 1000'],
  ])('stops on %o naming the variable and what it allows', (env, problem) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    // An enum's listing order is not the point; the allowed values are.
    const normalise = (p: string) =>
      p.replace(/one of (.*)$/, (_m, list: string) => `one of ${list.split(', ').sort().join(', ')}`);
    expect(normalise(problems[0] ?? '')).toBe(normalise(problem));
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      FRONTDESK_MASTER_KEY: 'short',
      FRONTDESK_DEMO: 'maybe',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'FRONTDESK_DEMO',
      'FRONTDESK_MASTER_KEY',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
    ]);
    const error = new ConfigError(problems);
    for (const p of problems) expect(error.message).toContain(p);
  });

  it('never echoes a rejected secret', () => {
    const problems = problemsOf({ FRONTDESK_MASTER_KEY: 'hunter2-secret', FRONTDESK_ADMIN_KEY: 'adm-secret' });
    expect(problems.join('\n')).not.toMatch(/hunter2|adm-secret/);
  });
});

describe('frontdesk CLI configuration errors', { timeout: CHILD_TIMEOUT_MS }, () => {
  it('exits non-zero naming the variable when PORT is bad', () => {
    const run = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH, PORT: 'abc', FRONTDESK_DATA_DIR: '/nonexistent/never-created' },
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(run.status, `signal ${String(run.signal)}, ${String(run.error)}`).not.toBeNull();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('PORT: must be a number');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds the project data dir from a sub-folder, as npm start does', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-project-'));
    try {
      fs.writeFileSync(path.join(project, 'package.json'), '{"name":"my-front-desk"}');
      fs.mkdirSync(path.join(project, 'scripts'));
      const run = spawnSync(process.execPath, [BIN, 'tenants', 'list', '--json'], {
        cwd: path.join(project, 'scripts'),
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: CHILD_TIMEOUT_MS,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(fs.existsSync(path.join(project, 'data', 'frontdesk.db'))).toBe(true);
      expect(fs.existsSync(path.join(project, 'scripts', 'data'))).toBe(false);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('lists every bad variable on stderr', () => {
    const run = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH, PORT: 'abc', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(run.status, `signal ${String(run.signal)}, ${String(run.error)}`).toBe(2);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('LOG_LEVEL');
  });
});
