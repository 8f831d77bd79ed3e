import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // PostgreSQL/Redis suites share one database; files run in parallel but each uses its own schema or key prefix.
    fileParallelism: true,
  },
});
