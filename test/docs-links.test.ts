import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** README.md and everything under docs/: what a clone of the repository documents itself with. */
const DOCUMENTS = [path.join(ROOT, 'README.md'), ...filesUnder(path.join(ROOT, 'docs'))];

/** Relative targets of markdown links (`[text](target)`), without their `#fragment`. */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] ?? '').split('#', 1)[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('/'));
}

describe('the README and docs/ stay inside the repository', () => {
  it.each(DOCUMENTS.map((file) => [path.relative(ROOT, file), file]))(
    '%s names no ../shared path and no /work/ path',
    (_name, file) => {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.match(/\.\.\/shared\b[^\s)`'"]*/g) ?? []).toEqual([]);
      expect(text.match(/(?<![\w.-])\/work\/[^\s)`'"]*/g) ?? []).toEqual([]);
    },
  );

  it.each(DOCUMENTS.filter((f) => f.endsWith('.md')).map((file) => [path.relative(ROOT, file), file]))(
    '%s links only to files that exist in the repository',
    (_name, file) => {
      const outside: string[] = [];
      const missing: string[] = [];
      for (const target of relativeLinks(fs.readFileSync(file, 'utf8'))) {
        const resolved = path.resolve(path.dirname(file), decodeURIComponent(target));
        if (path.relative(ROOT, resolved).startsWith('..')) outside.push(target);
        else if (!fs.existsSync(resolved)) missing.push(target);
      }
      expect(outside, 'links that leave the repository').toEqual([]);
      expect(missing, 'links to files that do not exist').toEqual([]);
    },
  );
});
