import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * The import graph of a source tree and the cycles in it.
 *
 * Every static `import … from`, `import '…'` and `export … from` counts, `import type` and
 * `export type` included: a type-only cycle costs nothing at run time, but it still ties two
 * modules together so neither can be moved or understood alone, and the layer arrows are about
 * that. Only relative specifiers are followed (packages cannot import us back); `./x.js`
 * resolves to `x.ts`, and `./dir` or `./dir/index.js` to `dir/index.ts`.
 */

/** One cycle: files relative to the root, the first repeated at the end. */
export type Cycle = string[];

/**
 * One cycle per tangle (strongly connected component, by Tarjan's algorithm): the shortest loop
 * through its first file. A tangle holds every loop among its files; once that one is broken, the
 * next run shows what is left of it.
 */
export function findCycles(rootDir: string): Cycle[] {
  const root = path.resolve(rootDir);
  const graph = importGraph(root);
  const cycles: Cycle[] = [];
  for (const component of stronglyConnected(graph)) {
    const first = component[0]!;
    const isSelfImport = component.length === 1 && graph.get(first)!.has(first);
    if (component.length > 1 || isSelfImport) {
      cycles.push(shortestLoop(graph, new Set(component), first).map((file) => toPosix(path.relative(root, file))));
    }
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Absolute path of every .ts file under root → the .ts files it imports. */
function importGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(file)) {
      const target = resolveRelative(file, specifier);
      if (target !== undefined) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files.sort();
}

function importSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const isImportOrReexport = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement);
    if (isImportOrReexport && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const withoutJs = base.replace(/\.js$/, '');
  const candidates = [`${withoutJs}.ts`, base, path.join(base, 'index.ts'), path.join(withoutJs, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('.ts') && fs.existsSync(candidate));
}

/** Tarjan's algorithm, iterative so that a long import chain cannot overflow the stack. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;

  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edges: Iterator<string> }> = [];
    const enter = (node: string) => {
      index.set(node, next);
      lowlink.set(node, next);
      next += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: (graph.get(node) ?? new Set<string>()).values() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edge = frame.edges.next();
      if (!edge.done) {
        const target = edge.value;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowlink.set(parent.node, Math.min(lowlink.get(parent.node)!, lowlink.get(frame.node)!));
      if (lowlink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** A shortest path from start back to start inside one component (breadth-first). */
function shortestLoop(graph: Map<string, Set<string>>, component: Set<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node)!) {
      if (!component.has(target)) continue;
      if (target === start) {
        const loop = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) loop.splice(1, 0, at);
        return [...loop, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rootDir = process.argv[2] ?? fileURLToPath(new URL('../src', import.meta.url));
  const cycles = findCycles(rootDir);
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' → ')}`);
  if (cycles.length > 0) {
    console.error(`${cycles.length} import cycle(s) under ${path.relative(process.cwd(), rootDir) || '.'}`);
    process.exitCode = 1;
  }
}
