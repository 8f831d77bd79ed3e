import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCycles } from '../../scripts/check-cycles.js';

/**
 * The layer arrows are only as good as the lint that keeps them: each rule in eslint.config.js
 * must fire on a planted import that crosses it, and stay quiet on one that does not. A rule block
 * that silently replaced another (flat config keeps one set of options per rule and file) shows
 * up here as a forbidden import that no longer fires.
 */

interface Room {
  /** Where the planted file sits, under src/. */
  room: string;
  forbidden: string[];
  allowed: string[];
}

const ROOMS: Room[] = [
  // The core: no Fastify, no HTTP layer; providers/http is an outbound adapter, not the HTTP layer.
  ...['domain/leads', 'queue/jobs', 'store/tables'].map((room) => ({
    room,
    forbidden: ['fastify', '@fastify/swagger', '../../http/auth.js', '../../surfaces/qualifier/plugin.js'],
    allowed: ['../../providers/http/safe-fetch.js', '../../lib/ids.js', 'zod'],
  })),
  {
    room: 'engine/scoring',
    forbidden: [
      '../../domain/leads/leads.service.js',
      '../../store/db.js',
      '../../surfaces/qualifier/plugin.js',
      '../../http/auth.js',
      'fastify',
      '@fastify/swagger',
    ],
    allowed: [
      '../../providers/llm/llm.js',
      '../../providers/enrichment/enrichment.js',
      '../../providers/http/safe-fetch.js',
      '../../lib/sizes.js',
    ],
  },
  // Adapters talk to the outside only; a provider never imports the engine.
  {
    room: 'providers/crm',
    forbidden: [
      '../../domain/leads/leads.service.js',
      '../../surfaces/qualifier/plugin.js',
      '../../store/db.js',
      'fastify',
      '../../engine/analysis.schema.js',
      '../../engine/entities/extract.js',
    ],
    allowed: ['../http/safe-fetch.js', '../enrichment/free-mail.js', '../../lib/sizes.js'],
  },
  {
    room: 'channels',
    forbidden: [
      '../domain/leads/leads.service.js',
      '../surfaces/chatbot/plugin.js',
      '../store/db.js',
      '@fastify/swagger',
    ],
    allowed: ['../lib/ids.js', '../providers/messaging/messaging.js'],
  },
  // Surfaces translate: no SQL, no vendors, no channels; they call the domain.
  {
    room: 'surfaces/chatbot',
    forbidden: [
      '../../store/db.js',
      'kysely',
      'better-sqlite3',
      'pg',
      '../../providers/messaging/slack-web.js',
      '../../channels/slack.js',
    ],
    allowed: [
      '../../domain/messaging/channel-webhooks.service.js',
      '../../domain/messaging/inline-replies.js',
      '../../http/rate-limit.js',
      'fastify',
    ],
  },
];

// The project's config as it is, except that a planted file, which is on no disk and in no
// tsconfig, is linted without type information (the layer rules need none).
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{ files: ['src/**/planted.ts'], ...tseslint.configs.disableTypeChecked }],
});

async function layerMessages(room: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `src/${room}/planted.ts` });
  return result!.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

describe('layer rules', () => {
  for (const { room, forbidden, allowed } of ROOMS) {
    describe(`src/${room}`, () => {
      it.each(forbidden)('refuses %s', async (specifier) => {
        expect(await layerMessages(room, `import { planted } from '${specifier}';\nexport { planted };\n`)).not.toEqual(
          [],
        );
      });

      it.each(allowed)('allows %s', async (specifier) => {
        expect(await layerMessages(room, `import { planted } from '${specifier}';\nexport { planted };\n`)).toEqual([]);
      });
    });
  }

  it('counts a type-only import: a provider may not borrow the engine types either', async () => {
    const messages = await layerMessages(
      'providers/enrichment',
      "import type { Enrichment } from '../../engine/analysis.schema.js';\nexport type { Enrichment };\n",
    );
    expect(messages).toEqual([expect.stringContaining('The engine calls providers')]);
  });
});

describe('import cycles', () => {
  let dir = '';

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-cycles-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    // A value import one way and a type-only import back still tie the two together.
    write(
      'orders/order.service.ts',
      "import { total } from './order-math.js';\nexport interface Order { lines: number[] }\nexport const sum = (o: Order) => total(o);\n",
    );
    write(
      'orders/order-math.ts',
      "import type { Order } from './order.service.js';\nexport const total = (o: Order) => o.lines.length;\n",
    );
    // Imports that only point one way: through an index, a re-export and a package.
    write('lib/index.ts', "export { clock } from './clock.js';\n");
    write('lib/clock.ts', "import { z } from 'zod';\nexport const clock = z.string();\n");
    write(
      'app.ts',
      "import { clock } from './lib/index.js';\nimport { sum } from './orders/order.service.js';\nexport { clock, sum };\n",
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a planted two-file cycle, and nothing else', () => {
    expect(findCycles(dir)).toEqual([['orders/order-math.ts', 'orders/order.service.ts', 'orders/order-math.ts']]);
  });

  it('reports a module that imports itself', () => {
    fs.writeFileSync(path.join(dir, 'self.ts'), "export * from './self.js';\n");
    try {
      expect(findCycles(dir)).toContainEqual(['self.ts', 'self.ts']);
    } finally {
      fs.rmSync(path.join(dir, 'self.ts'));
    }
  });

  it('finds none in src/', () => {
    expect(findCycles('src')).toEqual([]);
  });
});
