import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TAGS } from './tags.ts';

// The conformance suites, run by `ovc run` against the configured target (never by `npm test`).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['suites/**/*.suite.ts'],
    tags: TAGS,
    pool: 'threads',
    fileParallelism: true,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
