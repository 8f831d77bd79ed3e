import { exec } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, cleanEnv, freePort, start, type Running } from './helpers/cli.js';

const execAsync = promisify(exec);

/** Default FRONTDESK_SHUTDOWN_TIMEOUT: SIGTERM must end the process well within it. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

describe(
  'npm start (node bin/frontdesk.js serve) on an empty data directory',
  { timeout: CHILD_TIMEOUT_MS + SHUTDOWN_TIMEOUT_MS },
  () => {
    let dataDir: string;
    let port: number;
    let env: NodeJS.ProcessEnv;
    let first: Running;
    let banner: string;

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-start-'));
      port = await freePort();
      env = cleanEnv({ PORT: String(port), FRONTDESK_DATA_DIR: dataDir });
      first = start(['serve'], env);
      await first.waitFor(/-H 'X-API-Key: \S+'\n/);
      banner = first.stdout();
    }, CHILD_TIMEOUT_MS);

    afterAll(() => {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const url = () => `http://127.0.0.1:${port}`;
    const printed = (label: string) => {
      const match = banner.match(new RegExp(`${label}:\\s+(\\S+)`));
      if (!match?.[1]) throw new Error(`banner has no ${label}:\n${banner}`);
      return match[1];
    };

    it('prints the URL it listens on', () => {
      expect(banner).toContain(`Frontdesk is running at ${url()}`);
    });

    it('answers /health over real HTTP', async () => {
      const res = await fetch(`${url()}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    });

    it('prints where the admin key is, and the key itself once, matching the file', () => {
      const file = path.join(dataDir, 'admin.key');
      expect(banner).toContain(`Admin key: kept in ${file}`);
      const key = fs.readFileSync(file, 'utf8').trim();
      expect(key).toMatch(/^fd_admin_/);
      expect(banner).toContain(key);
    });

    it('prints where the master key is, and the key itself once, matching the file', () => {
      const file = path.join(dataDir, 'master.key');
      expect(banner).toContain(`Master key: kept in ${file}`);
      const key = fs.readFileSync(file, 'utf8').trim();
      expect(key.length).toBeGreaterThanOrEqual(32);
      expect(banner).toContain(key);
    });

    it('keeps admin.key and master.key readable by the owner only (0600)', () => {
      for (const name of ['admin.key', 'master.key']) {
        const stat = fs.statSync(path.join(dataDir, name));
        expect(stat.mode & 0o777, name).toBe(0o600);
      }
    });

    it('creates the demo tenant and prints its credentials', () => {
      expect(banner).toMatch(/Tenant demo \(.+\) created/);
      expect(printed('API key \\(live\\)')).toMatch(/^fd_live_/);
      expect(printed('API key \\(test\\)')).toMatch(/^fd_test_/);
      expect(printed('Webhook secret')).toMatch(/^whsec_/);
      expect(printed('Widget token')).toMatch(/^fd_wt_/);
      expect(printed('Owner token')).toMatch(/^fd_ot_/);
      expect(banner).toMatch(/OAuth client:\s+client_\S+ \/ fd_cs_\S+/);
    });

    it('prints a link that signs the owner in to the web app', async () => {
      const link = /Web app, signed in as the owner: (\S+)/.exec(banner)?.[1];
      expect(link).toBe(`${url()}/app/login/owner?token=${printed('Owner token')}`);
      const res = await fetch(link!, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/app/');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('fd_session='))).toBe(true);
    });

    it('prints curl commands that work exactly as printed', async () => {
      const commands = banner
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.startsWith('curl '));
      expect(commands.length).toBeGreaterThanOrEqual(3);
      for (const command of commands) {
        expect(command).toContain(url());
        const { stdout } = await execAsync(`${command} -w '\\n%{http_code}'`, { timeout: 10_000 });
        const lines = stdout.trimEnd().split('\n');
        const status = lines.pop();
        expect(status, `${command}\n${stdout}`).toBe('200');
        const body = JSON.parse(lines.join('\n')) as Record<string, unknown>;
        expect(body.status === 'success' || typeof body.access_token === 'string', JSON.stringify(body)).toBe(true);
      }
    });

    it("answers the demo tenant's chat from its knowledge base in the middle of a booking", async () => {
      const say = async (text: string) => {
        const res = await fetch(`${url()}/api/v2/chat/message`, {
          method: 'POST',
          headers: { authorization: `Bearer ${printed('API key \\(live\\)')}`, 'content-type': 'application/json' },
          body: JSON.stringify({ user_id: 'visitor_faq', channel: 'web', content: { type: 'text', text } }),
        });
        expect(res.status).toBe(200);
        return JSON.stringify(await res.json());
      };
      expect(await say('my kitchen sink is leaking, I need a plumber')).toContain('name');
      const answer = await say('are your estimates free?');
      expect(answer).toContain('estimates are free');
      expect(answer).toContain('name');
    });

    it('exits 0 on SIGTERM within the shutdown timeout', async () => {
      first.child.kill('SIGTERM');
      const { code, ms } = await first.exited(SHUTDOWN_TIMEOUT_MS);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      await expect(fetch(`${url()}/health`)).rejects.toThrow();
    });

    it('starts again on the same directory without a second demo tenant or the admin key', async () => {
      const key = fs.readFileSync(path.join(dataDir, 'admin.key'), 'utf8').trim();
      const masterKey = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim();
      const second = start(['serve'], env);
      try {
        await second.waitFor(/Next: .+\n/);
        const text = second.stdout();
        expect(text).toContain(`Frontdesk is running at ${url()}`);
        expect(text).toContain(`Admin key: kept in ${path.join(dataDir, 'admin.key')}`);
        expect(text).not.toContain(key);
        expect(text).toContain(`Master key: kept in ${path.join(dataDir, 'master.key')}`);
        expect(text).not.toContain(masterKey);
        expect(text).not.toContain('Tenant demo');
        const res = await fetch(`${url()}/api/v2/tenants`, { headers: { 'x-admin-api-key': key } });
        const tenants = ((await res.json()) as { data: { tenants: { tenant_id: string }[] } }).data.tenants;
        expect(tenants.map((t) => t.tenant_id)).toEqual(['demo']);
      } finally {
        second.child.kill('SIGTERM');
        expect((await second.exited(SHUTDOWN_TIMEOUT_MS)).code).toBe(0);
      }
    });
  },
);
