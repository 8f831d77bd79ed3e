import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Reads a generated key from the data directory, creating it (mode 0600) on first use.
 * `created` tells the caller to print it once.
 */
export function loadOrCreateKey(file: string, prefix: string): { key: string; created: boolean } {
  try {
    return { key: fs.readFileSync(file, 'utf8').trim(), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = `${prefix}${randomBytes(32).toString('base64url')}`;
  try {
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, created: true };
  } catch (err) {
    // Another process created it first; use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      return { key: fs.readFileSync(file, 'utf8').trim(), created: false };
    throw err;
  }
}
