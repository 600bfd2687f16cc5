// The Python SDK's vectors integration tests: `python -m pytest tests/integration/vector` with
// JUnit XML results. Pure Python: nothing to build before the isolated namespace.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { run } from './exec.ts';
import { oneLine, parseJunit, type SdkTestResult } from './results.ts';
import type { Scratch } from './scratch.ts';

export const PY_TEST_DIR = 'tests/integration/vector';

export async function runPythonTests(o: { root: string; python: string; env: NodeJS.ProcessEnv; scratch: Scratch; timeoutMs: number }): Promise<SdkTestResult[]> {
  const junit = join(o.scratch.dir, 'junit.xml');
  const r = await run(o.python, ['-m', 'pytest', PY_TEST_DIR, '-rA', '-q', '-p', 'no:cacheprovider', `--junitxml=${junit}`], { cwd: o.root, env: o.env, timeoutMs: o.timeoutMs });
  if (!existsSync(junit)) throw new UsageError(`pytest wrote no results (exit ${r.code}): ${oneLine(r.stderr || r.stdout)}`);
  return parseJunit(readFileSync(junit, 'utf8'));
}
