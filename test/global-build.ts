// The tests that run `ovc` as a command run the compiled package (dist/cli/bin.js), what users run
// (DESIGN rule 8). This builds dist/ once before them when it is not built from the sources as they
// are — scripts/prepare.mjs, `prepare`'s own rule (after `npm ci`, whose `prepare` built and stamped
// it, nothing is done).
//
// It also gives the test run one temporary folder of its own: every test file's process (vitest
// takes their environment from this process after the global set-up), and every `ovc` they start,
// get it as $TMPDIR, and the runs against test servers keep their ledgers in it ($OVC_STATE_DIR).
// It is removed when the run ends: the tests' own `mkdtemp` folders no longer pile up in the
// system's temporary folder (a whole `npm test` left ~260 of them, ~55 MB).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Set while a test run's folder is $TMPDIR: vitest calls the global set-up once for the run and once per project. */
const MARK = 'OVC_TEST_RUN_TMPDIR';

export default function setup(): () => void {
  if (process.env[MARK] && process.env[MARK] === process.env.TMPDIR) return () => {};
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'prepare.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const previous = { TMPDIR: process.env.TMPDIR, OVC_STATE_DIR: process.env.OVC_STATE_DIR, [MARK]: process.env[MARK] };
  const folder = mkdtempSync(join(tmpdir(), 'ovc-tests-'));
  process.env.TMPDIR = folder;
  process.env.OVC_STATE_DIR = join(folder, 'ovc-test-state');
  process.env[MARK] = folder;
  return () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(folder, { recursive: true, force: true });
  };
}
