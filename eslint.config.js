import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import frontdesk from './scripts/lint/concept-doors.js';

/** Layer rules from STYLE.md: domain never sees HTTP, providers never see the domain. */
const layerRules = [
  {
    files: ['src/domain/**/*.ts', 'src/engine/**/*.ts', 'src/queue/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fastify', 'fastify/*', '@fastify/*', 'fastify-*'],
              message: 'Only http/ and surfaces/ may import Fastify.',
            },
            {
              group: ['**/surfaces/**', '**/http/**', '!**/providers/http/**'],
              message: 'The core may not import the HTTP layer (src/http); providers/http is an outbound adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/providers/**/*.ts', 'src/channels/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/**', '**/surfaces/**', '**/store/**'],
              message: 'Adapters talk to the outside only; they may not import the domain, surfaces or store.',
            },
            { group: ['fastify', 'fastify/*', '@fastify/*'], message: 'Adapters do not import Fastify.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/surfaces/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/**', 'kysely', 'better-sqlite3', 'pg'],
              message: 'Surfaces translate; they never touch SQL. Call a domain service.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/surfaces/**'],
              message:
                'http/ holds what every surface shares; a surface hands it what it needs (see app.ts), http/ never imports one.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/**', '**/store/**', '**/surfaces/**', '**/http/**', '!**/providers/http/**'],
              message: 'The engine is pure: it may use providers, never the domain, store or HTTP.',
            },
            { group: ['fastify', 'fastify/*', '@fastify/*'], message: 'The engine does not import Fastify.' },
          ],
        },
      ],
    },
  },
];

/**
 * More arrows from the re-cut. Flat config gives a file one set of options per rule, so a second
 * `no-restricted-imports` block would replace the one above for these files; typescript-eslint's
 * copy of the rule is a separate rule and adds to it. It counts `import type` too.
 */
const recutLayerRules = [
  {
    files: ['src/providers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**'],
              message: 'The engine calls providers, never the reverse: move what both need to providers/ or lib/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/surfaces/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/providers/**', '**/channels/**'],
              message: 'Surfaces translate; vendors and channels are reached through a domain service.',
            },
          ],
        },
      ],
    },
  },
];

/**
 * Rules that keep the rooms of the re-cut: concepts meet only at their doors, only repositories
 * reach the database, and no function grows past what a reader holds in their head. Migrations are
 * frozen history (never edited once shipped), so their long schema listings are exempt.
 */
const roomRules = [
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    plugins: { frontdesk },
    rules: { 'frontdesk/concept-doors': 'error' },
  },
  {
    files: ['src/domain/**/*.ts', 'src/http/**/*.ts', 'src/lib/**/*.ts', 'src/pubsub/**/*.ts'],
    // A concept's door binds its repositories to the database it is handed, and `domain/transaction.ts`
    // names the transaction concepts pass to each other's repositories; nothing else sees the database.
    ignores: ['src/domain/**/*.repo.ts', 'src/domain/*/index.ts', 'src/domain/transaction.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kysely', 'better-sqlite3', 'pg', '**/store/**'],
              message: 'Only a *.repo.ts reaches the database: give the service a repository method instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/migrations/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '.scratch/**',
      'node_modules/**',
      'dist/**',
      'data/**',
      'coverage/**',
      'web/vendor/**',
      // The web app's committed build and the client types generated from docs/openapi.json.
      'web/app/dist/**',
      'web/app/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  ...recutLayerRules,
  ...roomRules,
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
