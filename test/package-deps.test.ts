import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Every package the shipped code imports is declared, and every declared runtime package is imported. */

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The package a bare specifier names (`@scope/name` or `name`); undefined for relative paths and node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importedPackages(dirs: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of dirs.flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const name = packageOf(fileName);
      if (name) found.add(name);
    }
  }
  return found;
}

describe('package.json', () => {
  it('declares every package that src/ and bin/ import as a runtime dependency', () => {
    const undeclared = [...importedPackages(['src', 'bin'])].filter((name) => !(name in pkg.dependencies));
    expect(undeclared).toEqual([]);
  });

  it('declares no runtime dependency that nothing imports', () => {
    const used = importedPackages(['src', 'bin', 'bench', 'scripts']);
    const unused = Object.keys(pkg.dependencies).filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });
});
