import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, cleanEnv, freePort, run } from './helpers/cli.js';

/**
 * A start that cannot happen says why in one sentence naming the setting to change, exits, and
 * leaves nothing behind: no keys shown once and then lost, no database held open.
 */
describe('frontdesk serve refusing to start', { timeout: CHILD_TIMEOUT_MS * 2 }, () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-start-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names PORT when the port is taken, before making keys or the demo tenant', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const dataDir = path.join(dir, 'busy');
      const result = await run(['serve'], cleanEnv({ PORT: String(port), FRONTDESK_DATA_DIR: dataDir }));
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use (another Frontdesk?); stop that process or set PORT to a free port.`,
      );
      expect(result.stdout).not.toMatch(/shown once|fd_admin_|X-API-Key/);
      expect(fs.existsSync(path.join(dataDir, 'admin.key'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'frontdesk.db'))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('names the data directory and FRONTDESK_DATA_DIR when it cannot be written', async () => {
    const file = path.join(dir, 'not-a-directory');
    fs.writeFileSync(file, '');
    const dataDir = path.join(file, 'data');
    const result = await run(['tenants', 'list'], cleanEnv({ FRONTDESK_DATA_DIR: dataDir }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The data directory ${dataDir} cannot be written`);
    expect(result.stderr).toContain('FRONTDESK_DATA_DIR');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
