import { defineConfig } from 'vitest/config';

// The end-to-end tier (`npm run test:e2e`): the console in a real browser (Debian's chromium driven by
// playwright-core) against `touchpoint serve` started as a user starts it. Not one of `npm test`'s
// projects: it needs the chromium package, and .ci/run installs it and runs this after `npm test`.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    // Starting serve builds the console on a fresh clone (once) and boots DynamoDB Local.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
