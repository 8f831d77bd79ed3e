import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { check, type Diagnostics } from 'recheck';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Every regular expression Frontdesk runs may read text a stranger typed, so each must take time
 * linear in its input. Two checks: recheck's static analysis of every pattern (literals found in
 * the source, and patterns the engine builds when its modules load), and a battery that runs every
 * pattern over generated 20,000-character inputs (repeats, near-misses) in a worker thread under a
 * time budget, so a pattern that backtracks fails the test instead of hanging it.
 */

const SRC_DIR = path.resolve('src');
/** Modules whose patterns are built when they load; importing them has no other effect. */
const LOADED_DIRS = ['src/engine', 'src/lib'].map((dir) => path.resolve(dir));
const INPUT_LENGTH = 20_000;
/** Linear patterns read the battery's 132 inputs of 20,000 characters in milliseconds; backtracking ones take seconds to hours. */
const BATTERY_BUDGET_MS = 1_500;
/** One attack string of 40,000 characters: about a millisecond when linear, seconds when quadratic, so a loaded machine cannot blur the two. */
const ATTACK_BUDGET_MS = 1_000;
const ATTACK_LENGTH = 40_000;

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function literalPatterns(): Pattern[] {
  const found: Pattern[] = [];
  // Every literal in src/: channel payloads, exports and vendor answers are strangers' text too.
  for (const file of sourceFiles(SRC_DIR)) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(source);
        const end = text.lastIndexOf('/');
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({
          where: `${path.relative(process.cwd(), file)}:${line}`,
          source: text.slice(1, end),
          flags: text.slice(end + 1),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Patterns built with `new RegExp` while the engine's modules load, caught by wrapping the constructor. */
async function constructedPatterns(): Promise<Pattern[]> {
  const found: Pattern[] = [];
  const Native = globalThis.RegExp;
  const record = (regex: RegExp): RegExp => {
    // The frame that called the constructor: a library's own patterns (chrono's locales) are not the engine's.
    const caller = new Error().stack
      ?.split('\n')
      .slice(1)
      .find((line) => !line.includes(import.meta.filename));
    if (caller && LOADED_DIRS.some((dir) => caller.includes(`${dir}${path.sep}`)))
      found.push({ where: caller.trim(), source: regex.source, flags: regex.flags });
    return regex;
  };
  globalThis.RegExp = new Proxy(Native, {
    construct: (target, args: [string | RegExp, string?], newTarget) =>
      record(Reflect.construct(target, args, newTarget) as RegExp),
    apply: (target, _self, args: [string | RegExp, string?]) => record(Reflect.apply(target, undefined, args)),
  });
  try {
    vi.resetModules();
    for (const file of LOADED_DIRS.flatMap(sourceFiles)) await import(file);
  } finally {
    globalThis.RegExp = Native;
  }
  return found;
}

/** Runs each pattern over every input in a worker; a pattern still running after the budget ends the worker. */
function runBattery(
  patterns: readonly Pattern[],
  inputs: (p: Pattern) => Battery,
  budgetMs: number,
): Promise<{ pattern: Pattern; ms: number } | null> {
  const jobs = patterns.map((p) => ({ source: p.source, flags: p.flags, ...inputs(p) }));
  // Inputs are built in the worker: sent from here they would be copied, pattern by pattern.
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const repeat = (piece, length) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
     for (const [index, job] of workerData.entries()) {
       const started = performance.now();
       const regex = new RegExp(job.source, job.flags);
       const inputs = [...job.pieces.flatMap((piece) => job.endings.map((end) => repeat(piece, job.length) + end)), ...job.extra];
       for (const input of inputs) {
         regex.lastIndex = 0;
         if (regex.global || regex.sticky) for (const _ of input.matchAll(regex)); else regex.test(input);
       }
       parentPort.postMessage({ index, ms: performance.now() - started });
     }`,
    { eval: true, workerData: jobs },
  );
  return new Promise((resolve, reject) => {
    let current = 0;
    let timer = setTimeout(() => void worker.terminate(), budgetMs);
    const done = (result: { pattern: Pattern; ms: number } | null): void => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    worker.on('message', ({ index, ms }: { index: number; ms: number }) => {
      if (ms > budgetMs) return done({ pattern: patterns[index]!, ms });
      current = index + 1;
      if (current === patterns.length) return done(null);
      clearTimeout(timer);
      timer = setTimeout(() => void worker.terminate(), budgetMs);
    });
    worker.on('error', reject);
    worker.on('exit', () => done(current < patterns.length ? { pattern: patterns[current]!, ms: Infinity } : null));
  });
}

interface Battery {
  pieces: string[];
  endings: string[];
  length: number;
  extra: string[];
}

/** Repeats of short pieces that engine patterns loop over, each with endings that make a match fail late. */
function pathologicalInputs(extra: string[] = []): Battery {
  const pieces = [
    'a',
    'A',
    '0',
    '1,000',
    '0,00',
    ' ',
    '\t',
    ' \t',
    '!',
    '.',
    '.!',
    ',',
    '-',
    ' - ',
    'a.',
    'a@',
    '@a.',
    'a-',
    'x.y',
    'asdf',
    'test',
    'testing ',
    'lorem ipsum ',
    'talk to ',
    'not ',
    'next ',
    'in ',
    'my name is ',
    'Oak ',
    '$1',
    '\n',
    '’',
  ];
  return { pieces, endings: ['', '#', '\u0000', '?'], length: INPUT_LENGTH, extra };
}

/** recheck's attack string, pumped to about `length` characters. */
function attackInput(diagnostics: Diagnostics, length = INPUT_LENGTH): string[] {
  if (diagnostics.status !== 'vulnerable') return [];
  const { pumps, suffix } = diagnostics.attack;
  const perRound = pumps.reduce((sum, p) => sum + p.pump.length, 0) || 1;
  const rounds = Math.ceil(length / perRound);
  return [pumps.map((p) => p.prefix + p.pump.repeat(rounds)).join('') + suffix];
}

describe('engine patterns run in linear time', () => {
  let patterns: Pattern[] = [];
  const verdicts = new Map<Pattern, Diagnostics>();

  beforeAll(async () => {
    patterns = [...literalPatterns(), ...(await constructedPatterns())];
    // A few at a time: recheck's checker is a separate process per call.
    const queue = [...patterns];
    const checkNext = async (): Promise<void> => {
      for (let pattern = queue.shift(); pattern; pattern = queue.shift()) {
        verdicts.set(pattern, await check(pattern.source, pattern.flags, { timeout: 20_000, randomSeed: 1 }));
      }
    };
    await Promise.all([checkNext(), checkNext(), checkNext()]);
  }, 600_000);

  it('finds the literals and the patterns built at load', () => {
    expect(patterns.filter((p) => p.where.startsWith('src/engine/')).length).toBeGreaterThan(100);
    expect(patterns.some((p) => p.source.includes('(?:next|coming)'))).toBe(true);
    expect(patterns.some((p) => p.where.startsWith('src/lib/sizes.ts') && p.source.includes('just (me|myself)'))).toBe(
      true,
    );
    expect(
      patterns.some(
        (p) => p.where.includes(`lib${path.sep}sizes.ts`) && p.source.includes('(?:person|people|employee'),
      ),
    ).toBe(true);
  });

  it("recheck's automaton finds no pattern that backtracks super-linearly", () => {
    const vulnerable = patterns.filter((p) => {
      const verdict = verdicts.get(p);
      return verdict?.status === 'vulnerable' && verdict.checker === 'automaton';
    });
    expect(vulnerable.map((p) => `${p.where}: /${p.source}/${p.flags}`)).toEqual([]);
  });

  // The fuzzer, recheck's fallback where the automaton cannot go (lookbehind), guesses: a pattern it
  // flags must read the attack it found, pumped to 40,000 characters, as fast as a linear one would.
  it("recheck's fuzzer finds no attack that works", async () => {
    const flagged = patterns.filter((p) => verdicts.get(p)?.status === 'vulnerable');
    const slow = await runBattery(
      flagged,
      (p) => ({ pieces: [], endings: [], length: 0, extra: attackInput(verdicts.get(p)!, ATTACK_LENGTH) }),
      ATTACK_BUDGET_MS,
    );
    expect(slow && `${slow.pattern.where}: /${slow.pattern.source}/ took ${slow.ms} ms`).toBeNull();
  }, 60_000);

  it('every pattern reads pathological 20,000-character inputs within its budget', async () => {
    const slow = await runBattery(
      patterns,
      (p) => pathologicalInputs(attackInput(verdicts.get(p)!)),
      BATTERY_BUDGET_MS,
    );
    expect(slow && `${slow.pattern.where}: /${slow.pattern.source}/ took ${slow.ms} ms`).toBeNull();
  }, 300_000);

  it('the battery catches a pattern that backtracks', async () => {
    const mashing = {
      where: 'the spam rule before the fix',
      source: String.raw`^\s*(?:(?:test(?:ing)?|asdf\w*|qwer\w*)[\s.!]*)+$`,
      flags: 'gi',
    };
    const slow = await runBattery(
      [mashing],
      () => ({ pieces: [], endings: [], length: 0, extra: ['asdf'.repeat(30) + '#'] }),
      BATTERY_BUDGET_MS,
    );
    expect(slow?.pattern).toBe(mashing);
  }, 30_000);
});
