import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rendering the estate and compiling schemas is CPU-bound; two cores, two workers.
    pool: 'forks',
    testTimeout: 60_000,
    // GitHub's workflow parser imports its schema JSON without an import attribute (it is built
    // for bundlers): Vite must load it, not Node.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
