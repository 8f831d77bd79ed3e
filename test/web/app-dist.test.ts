import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, appSourceHash } from '../../scripts/app-source-hash.js';

/**
 * `web/app/dist/` is committed so `npm start` serves the app with no build step; this fails when a
 * source or build setting changed after the last `npm run app:build`.
 */
describe('the committed web app build', () => {
  it('was built from the sources as they are now', () => {
    const stamp = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'dist/build-stamp.json'), 'utf8')) as {
      source_hash: string;
    };
    expect(stamp.source_hash, 'web/app/dist is stale: run `npm run app:build` and commit web/app/dist').toBe(
      appSourceHash(),
    );
  });

  it('loads its scripts and styles from under /app/', () => {
    const html = fs.readFileSync(path.join(APP_DIR, 'dist/index.html'), 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/app\/assets\//);
      expect(fs.existsSync(path.join(APP_DIR, 'dist', asset.slice('/app/'.length)))).toBe(true);
    }
  });
});
