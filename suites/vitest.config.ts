import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './sequencer.ts';
import { TAGS } from './tags.ts';

// The run's pooled limits and traffic gauges reach the worker threads as environment data set by
// run/child.ts before vitest starts (client/pacing.ts, client/gauges.ts).

const compiled = import.meta.url.endsWith('.js');

// The conformance suites, run by `ovc run` against the configured target (never by `npm test`).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    // Compiled (dist/suites/vitest.config.js) it runs the compiled suites, from the sources the .ts ones.
    include: [`suites/**/*.suite.${compiled ? 'js' : 'ts'}`],
    // Compiled, everything but the suite files themselves is plain JavaScript Node loads as it is:
    // passing it through vite's transform cost each run ~0.4 s of CPU and ~35 MiB (docs/performance.md).
    ...(compiled ? { server: { deps: { external: [/\/dist\/(?!suites\/[^/]*\.suite\.js$)/] } } } : {}),
    tags: TAGS,
    pool: 'threads',
    fileParallelism: true,
    // No results cache: it would be written under the package (dist/node_modules/.vite in an
    // installed package, maybe read-only), and the suites' order is set by the sequencer below.
    cache: false,
    sequence: { sequencer: LongestFirstSequencer },
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
