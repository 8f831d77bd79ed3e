import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it, vi } from 'vitest';

/**
 * The re-cut's rooms are kept by lint, so each rule must fire on a planted violation and stay
 * quiet on the allowed form next to it: a door rule that stopped resolving paths, or a block that
 * another replaced, shows up here as a violation that passes.
 */

// Linting with type information loads the whole project's program: seconds alone, much longer on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{ files: ['src/**/planted*.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function messages(file: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId?.endsWith(rule)).map((m) => m.message);
}

const importing = (specifier: string) => `import { planted } from '${specifier}';\nexport { planted };\n`;

describe('concept doors', () => {
  const doors = (file: string, specifier: string) => messages(file, importing(specifier), 'concept-doors');

  it.each([
    ['src/domain/leads/planted.ts', '../conversations/turn.js'],
    ['src/domain/leads/deep/planted.ts', '../../identity/contacts.repo.js'],
    ['src/surfaces/chatbot/planted.ts', '../../domain/messaging/delivery.service.js'],
    ['src/compose/planted.ts', '../domain/calls/steps/pipeline-steps.js'],
    ['src/domain/tenants/planted.ts', '../crm/deep/crm.config.js'],
  ])('refuses %s reaching into another concept with %s', async (file, specifier) => {
    expect(await doors(file, specifier)).toEqual([expect.stringContaining('its only door')]);
  });

  it('counts a type-only import and a re-export', async () => {
    const typeOnly = "import type { Planted } from '../calls/pipeline.js';\nexport type { Planted };\n";
    expect(await messages('src/domain/leads/planted.ts', typeOnly, 'concept-doors')).toHaveLength(1);
    const reExport = "export { planted } from '../../domain/calls/pipeline.js';\n";
    expect(await messages('src/surfaces/ingestion/planted.ts', reExport, 'concept-doors')).toHaveLength(1);
  });

  it.each([
    ['src/domain/leads/planted.ts', '../conversations/index.js'],
    ['src/domain/leads/planted.ts', './leads.repo.js'],
    ['src/domain/leads/deep/planted.ts', '../leads.service.js'],
    ['src/domain/leads/planted.ts', '../errors.js'],
    ['src/domain/tenants/planted.ts', '../crm/crm.config.js'],
    ['src/surfaces/chatbot/planted.ts', '../../domain/messaging/index.js'],
    ['src/surfaces/chatbot/planted.ts', 'zod'],
  ])('allows %s importing %s', async (file, specifier) => {
    expect(await doors(file, specifier)).toEqual([]);
  });
});

describe('the database only in repositories', () => {
  const dbRule = (file: string, specifier: string) => messages(file, importing(specifier), 'no-restricted-imports');

  it.each([
    ['src/domain/leads/planted.service.ts', 'kysely'],
    ['src/domain/leads/planted.service.ts', '../../store/db.js'],
    ['src/domain/leads/planted.service.ts', '../../store/json.js'],
    ['src/http/planted.ts', '../store/db.js'],
    ['src/lib/planted.ts', 'kysely'],
  ])('refuses %s importing %s', async (file, specifier) => {
    expect(await dbRule(file, specifier)).toEqual([expect.stringContaining('Only a *.repo.ts')]);
  });

  it('allows a repository, and a door binding its repositories', async () => {
    expect(await dbRule('src/domain/leads/index.ts', '../../store/db.js')).toEqual([]);
    expect(await dbRule('src/domain/leads/planted.repo.ts', 'kysely')).toEqual([]);
    expect(await dbRule('src/domain/leads/planted.repo.ts', '../../store/db.js')).toEqual([]);
  });
});

describe('function length', () => {
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i};`).join('\n');
  const fn = (lines: number) => `export function planted(): number {\n${body(lines)}\n  return 0;\n}\n`;

  it('refuses a function of more than 80 lines', async () => {
    expect(await messages('src/domain/leads/planted.ts', fn(85), 'max-lines-per-function')).toHaveLength(1);
  });

  it('allows one of 80 lines, and a long migration', async () => {
    expect(await messages('src/domain/leads/planted.ts', fn(75), 'max-lines-per-function')).toEqual([]);
    expect(await messages('src/store/migrations/planted.ts', fn(200), 'max-lines-per-function')).toEqual([]);
  });
});
