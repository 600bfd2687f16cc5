// test/projects.ts: which test files share a test-file process. A file that starts processes or
// changes process-wide state must get a process of its own; a plain unit file shares.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROCESS_WIDE, sharedFiles, testFiles } from './projects.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the test files that share a process', () => {
  it('recognises each kind of process-wide change', () => {
    for (const text of [
      "const r = spawnSync(process.execPath, ['x'])", "await runOvc(['run'])", 'const run = startRun([])', "execFileSync('npm', [])",
      "vi.mock('../x.ts')", "vi.stubEnv('A', 'b')", 'vi.useFakeTimers()',
      "process.env.OVC_X = '1'", "process.env['A'] = 'b'", 'process.env.A ??= "c"', 'delete process.env.A',
      'setEnvironmentData(KEY, mem)', 'setGlobalDispatcher(agent)', "process.on('exit', f)", "process.chdir('/tmp')",
      'trafficGauges().hold();', "import { chromium } from 'playwright-core'",
    ]) expect(PROCESS_WIDE.test(text), text).toBe(true);
    for (const text of ["expect(process.env.A).toBe('b')", "if (process.env.A === 'b') {}", 'const g = trafficGauges(); g.held', 'await startEmulator({})'])
      expect(PROCESS_WIDE.test(text), text).toBe(false);
  });

  it('puts the files that start processes or change process-wide state in processes of their own, and shares the plain unit files', () => {
    const shared = new Set(sharedFiles(ROOT));
    for (const own of ['test/client/pacing.test.ts', 'test/client/gauges.test.ts', 'test/selftest/fault-profiles.test.ts', 'test/package/pack-install.test.ts', 'test/reports/html.browser.test.ts', 'test/pact/verify.test.ts'])
      expect(shared.has(own), own).toBe(false);
    for (const unit of ['test/contracts/errors.test.ts', 'test/emulator/store.test.ts', 'test/scenario/settle.test.ts'])
      expect(shared.has(unit), unit).toBe(true);
    expect([...shared].every((f) => testFiles(ROOT).includes(f))).toBe(true);
  });
});

describe("the test run's own temporary folder (test/global-build.ts)", () => {
  it('is every test file\'s $TMPDIR and holds the ledgers of the runs against test servers', () => {
    // Removed when the run ends: what the tests write with mkdtemp never reaches the system's folder.
    expect(basename(tmpdir())).toMatch(/^ovc-tests-/);
    // Once for the run, not once per project (vitest calls the global set-up for each).
    expect(basename(dirname(tmpdir()))).not.toMatch(/^ovc-tests-/);
    expect(existsSync(tmpdir())).toBe(true);
    expect(process.env.OVC_STATE_DIR).toBe(join(tmpdir(), 'ovc-test-state'));
  });
});
