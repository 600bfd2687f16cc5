// How vitest runs the conformance suites, as plain options: run/child.ts hands them to vitest
// inline (no config file: vite imported the file on a thread of its own, ~100 ms of CPU and a
// thread per run), and suites/vitest.config.ts wraps them for running the suites with vitest itself.
// The run's pooled limits and traffic gauges reach the worker threads as environment data set by
// run/child.ts before vitest starts (client/pacing.ts, client/gauges.ts). Nothing here loads vitest:
// the suite child reads these before it does (its sequencer, suites/sequencer.ts, extends vitest's
// and is added where vitest is loaded: run/child.ts, suites/vitest.config.ts).
import { fileURLToPath } from 'node:url';
import { TAGS } from './tags.ts';

const compiled = import.meta.url.endsWith('.js');

/** The suite files' extension: compiled (dist/suites/) the .js ones, from the sources the .ts ones. */
export const SUITE_EXT: 'js' | 'ts' = compiled ? 'js' : 'ts';

/** The package's root (vitest's root for the suites). */
export const SUITES_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The suites' test options (vitest's `test` section). */
export const SUITE_TEST_OPTIONS = {
  // Compiled (dist/suites/) it runs the compiled suites, from the sources the .ts ones.
  include: [`suites/**/*.suite.${SUITE_EXT}`],
  // Compiled, everything is plain JavaScript Node loads as it is, the suite files too (they use
  // vitest's describe/it/inject and nothing vite would rewrite: no vi.mock, no import.meta.vitest):
  // passing our modules through vite's transform cost each run ~0.4 s of CPU and ~35 MiB, and the
  // suite files' own transform (imports rewritten, a source map made, each fetched over the
  // worker's channel) ~5 % of a default run's CPU (docs/performance.md §0b).
  ...(compiled ? { server: { deps: { external: [/\/dist\//] } } } : {}),
  tags: TAGS,
  pool: 'threads' as const,
  fileParallelism: true,
  // No results cache: it would be written under the package (dist/node_modules/.vite in an
  // installed package, maybe read-only), and the suites' order is set by their sequencer.
  cache: false as const,
  isolate: false,
  testTimeout: 120_000,
  hookTimeout: 60_000,
  env: { PACT_DO_NOT_TRACK: 'true' },
};
