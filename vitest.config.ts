import { defineConfig } from 'vitest/config';

// The project's own tests. The conformance suites under suites/ are run by `ovc run`, not here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
