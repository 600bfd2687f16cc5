// Appends this vitest run's counts to $OVC_TEST_TALLY, so scripts/test.sh can close the whole
// test run (several vitest invocations) with one plain "N passed, N failed" line.
import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class TallyReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const file = process.env.OVC_TEST_TALLY;
    if (!file) return;
    const tally = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') tally.passed++;
        else if (state === 'failed') tally.failed++;
        else tally.skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) tally.failed++;
    }
    appendFileSync(file, `${JSON.stringify(tally)}\n`);
  }
}
