import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sharedFiles } from './test/projects.ts';
import LongestFirst from './test/sequencer.ts';

const shared = sharedFiles(fileURLToPath(new URL('.', import.meta.url)));

// The project's own tests. The conformance suites under suites/ are run by `ovc run`, not here.
export default defineConfig({
  test: {
    // The pact steps run on their own, in order: consumer (writes the file), then verification.
    exclude: process.env.OVC_PACT_STEP ? [] : ['test/pact/**'],
    reporters: ['default', './test/tally-reporter.ts'],
    // dist/ up to date before the tests that run the compiled `ovc`.
    globalSetup: ['./test/global-build.ts'],
    pool: 'forks',
    // Files that start no process and touch no process-wide state share their test-file processes;
    // every other file runs in one of its own (test/projects.ts says which and why).
    projects: [
      { extends: true, test: { name: 'shared', include: shared, isolate: false } },
      { extends: true, test: { name: 'own-process', include: ['test/**/*.test.ts'], exclude: shared, isolate: true } },
    ],
    // A file per CPU and one more, at most three concurrent tests in each: most of the tests run
    // `ovc` as processes and wait on them (the package test mostly waits on npm), so a file per CPU
    // left ~0.4 of the CPUs idle (unit step 326–344 s; 279 s with one more file, the same tests
    // passing); three files with five concurrent `ovc run`s each, when a run cost twice the CPU it
    // does now, overloaded the machine (60 s test timeouts). docs/performance.md, "CI time" and §0b.
    maxWorkers: availableParallelism() + 1,
    maxConcurrency: 3,
    // The long end-to-end files first (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Runs against test servers keep their ledgers in the test run's own folder, never in the
    // user's state folder ($OVC_STATE_DIR and $TMPDIR: test/global-build.ts).
    env: { PACT_DO_NOT_TRACK: 'true' },
  },
});
