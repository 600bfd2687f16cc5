import { defineConfig } from 'vitest/config';
import { SUITE_TEST_OPTIONS, SUITES_ROOT } from './options.ts';
import { LongestFirstSequencer } from './sequencer.ts';

// The conformance suites, run by `ovc run` against the configured target (never by `npm test`).
// `ovc run` gives vitest the same options inline (run/child.ts); this file is for running the
// suites with vitest itself (bench/suite-profile.ts).
export default defineConfig({ root: SUITES_ROOT, test: { ...SUITE_TEST_OPTIONS, sequence: { sequencer: LongestFirstSequencer } } });
