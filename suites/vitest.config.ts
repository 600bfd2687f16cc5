import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TAGS } from './tags.ts';

// The conformance suites, run by `ovc run` against the configured target (never by `npm test`).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // Compiled (dist/suites/vitest.config.js) it runs the compiled suites, from the sources the .ts ones.
    include: [`suites/**/*.suite.${import.meta.url.endsWith('.js') ? 'js' : 'ts'}`],
    tags: TAGS,
    pool: 'threads',
    fileParallelism: true,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
