import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'examples/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Real servers and child processes: two cores, so keep the pool small and predictable.
    pool: 'forks',
    maxWorkers: 2,
  },
});
