// The order the project's own test files start in: the long end-to-end files first, longest first
// (file times of a fresh-clone CI run, docs/performance.md "CI time"), then vitest's own order.
// vitest's default on a fresh clone (no results cache) is by file size, largest first: the
// lifecycle mutants (a 50-line file running `ovc run` six times, ~40 s) started last and ended the
// unit step alone on one CPU. Longest first leaves the short files to fill the lanes at the end.
// The ordering itself is the suites' (suites/sequencer.ts `byRank`).
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { byRank } from '../suites/sequencer.ts';

/** Repository paths, longest first. test/sequencer.test.ts checks each one exists. */
export const LONGEST_FIRST = [
  'test/selftest/fault-profiles.test.ts',
  'test/diff/cli.test.ts',
  'test/package/pack-install.test.ts',
  'test/diff/symmetric.test.ts',
  'test/safety/hostile-property.test.ts',
  'test/safety/processes.test.ts',
  'test/safety/time-budget.test.ts',
  'test/selftest/lifecycle-mutants.test.ts',
  'test/safety/hostile.test.ts',
  'test/safety/generated-file-attacks.test.ts',
  'test/openapi/prism-proxy.test.ts',
  'test/emulator/realism.test.ts',
  'test/openapi/dispatch.test.ts',
  'test/action/action.test.ts',
  'test/cli/run-target-options.test.ts',
  'test/pact/verify.test.ts',
  'test/safety/deletes.test.ts',
  'test/sdk/sdk-test.test.ts',
  'test/reliability/secrets.test.ts',
  'test/safety/outputs.test.ts',
];

function rank(moduleId: string): number {
  const path = moduleId.replace(/\\/g, '/');
  const i = LONGEST_FIRST.findIndex((f) => path.endsWith(`/${f}`));
  return i < 0 ? LONGEST_FIRST.length : i;
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return byRank(await super.sort(files), rank);
  }
}
