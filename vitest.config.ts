import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rendering the estate and compiling schemas is CPU-bound; two cores, two workers.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
