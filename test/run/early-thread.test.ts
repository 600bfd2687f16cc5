// The suites' first worker thread, started by the suite child before vitest loads
// (run/suite-pool.ts): in a real run vitest must take it (a thread it would start otherwise is the
// child's ~0.3 s of waiting again), and the run's verdicts are the run's whatever becomes of it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOvc } from '../selftest/run-cli.ts';

// A user's shell has none of what vitest puts in its own test processes' environment (vite's
// import.meta.env among it): the child must match vitest's thread without them.
const VITEST_SET = /^(?:VITEST.*|TEST|NODE_ENV|BASE_URL|MODE|DEV|PROD|SSR|FORCE_TTY)$/;
const asUsers = Object.fromEntries(Object.keys(process.env).filter((k) => VITEST_SET.test(k)).map((k) => [k, undefined])) as unknown as Record<string, string>;

describe('the early suite worker thread in a run', () => {
  // Eight workers over six suite files start more threads than Node's ten listeners on the run's
  // output stream allow: the former pipes printed four MaxListenersExceededWarning lines on every
  // such run (run/suite-pool.ts pipeQuietly).
  it('is the thread vitest runs the suites on, with one worker and with eight; eight threads\' output adds no warning', async () => {
    for (const [workers, tags] of [['1', '404-no-such-bucket || names'], ['8', '404-no-such-bucket || names || 204-deleted || 400-malformed-json || 403-access-denied || 404-no-such-vector-index']] as const) {
      const out = mkdtempSync(join(tmpdir(), 'ovc-early-'));
      const r = await runOvc(['run', '--quiet', '--tags', tags, '--runs', '5', '--workers', workers, '--out', out], { ...asUsers, OVC_TRACE_EARLY_WORKER: '1' });
      expect(r.stderr).toMatch(/^ovc: early suite thread: taken$/m);
      expect(r.stderr).not.toMatch(/early suite thread: not taken/);
      expect(r.stderr).not.toMatch(/Warning/);
      expect(r.code, r.stderr.slice(-600)).toBe(0);
      expect(r.results.filter((x) => x.outcome === 'pass').length).toBeGreaterThan(2);
    }
  });
});
