import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const PLANTED = 'src/http/planted.ts';

/** Lints `code` as if it were a file of src/http and returns the rules it breaks. */
async function brokenRules(code: string): Promise<(string | null)[]> {
  // The planted file is not on disk, so the type-aware parser must be told it may lint it anyway.
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: [PLANTED] } } } },
  });
  const [result] = await eslint.lintText(code, { filePath: PLANTED });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('lint: http/ never imports a surface', () => {
  it('refuses an import of a surface from src/http', async () => {
    const rules = await brokenRules(
      "import { renderChatbotError } from '../surfaces/chatbot/envelope.js';\n\nexport const render = renderChatbotError;\n",
    );
    expect(rules).toContain('no-restricted-imports');
  });

  it('is quiet on a file of src/http that imports only the shared layer', async () => {
    const rules = await brokenRules(
      "import { defaultStatus } from './envelope.js';\n\nexport const notFound = defaultStatus.NOT_FOUND;\n",
    );
    expect(rules).toEqual([]);
  });
}, 60_000);
