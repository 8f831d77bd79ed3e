import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder; its build lands in `dist/`, which is committed so `npm start` serves it as it is. */
export const APP_DIR = fileURLToPath(new URL('../web/app/', import.meta.url));

/** What the build is made from: the page, the build and type settings, and every source file but declarations. */
const INPUTS = ['index.html', 'vite.config.ts', 'tsconfig.json', 'src'];

function filesUnder(relative: string): string[] {
  const full = path.join(APP_DIR, relative);
  // Declarations (the types generated from docs/openapi.json) never change the built code, so a
  // route change elsewhere does not make the committed build stale.
  if (relative.endsWith('.d.ts')) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(path.posix.join(relative, name)));
}

/**
 * One hash over the app's inputs, recorded in `dist/build-stamp.json` by the build, so a test can
 * tell when the committed build no longer matches its sources.
 */
export function appSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(APP_DIR, file)))
      .update('\0');
  }
  return hash.digest('hex');
}
