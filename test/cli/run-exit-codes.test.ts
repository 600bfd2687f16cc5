// `ovc run` on bad input: one clear sentence and exit 2, before any case runs (docs/design.md CLI contract).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runOvc } from '../selftest/run-cli.ts';
import { startRun, suiteChildrenOf, until } from '../safety/processes.ts';

const creds = { OSS_ACCESS_KEY_ID: 'exit-test-key', OSS_ACCESS_KEY_SECRET: 'exit-test-secret' };

describe('ovc run exit status 2 on bad input', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--runs', 'abc'], /--runs must be a whole number/],
    [['--addressing', 'sideways'], /--addressing must be one of virtual, path/],
    [['--bucket', 'Bad_Bucket'], /--bucket must be 3–32 characters/],
    [['--region', 'oss-cn-hangzhou'], /plain region id/],
    [['--endpoint', 'ftp://x'], /--endpoint must be an http\(s\) URL/],
    [['--shard', '3/2'], /--shard must be i\/n/],
    [['--baseline', '/nonexistent/baseline.yaml'], /no such file/],
    [['--max-indexes', '0'], /--max-indexes must be between 1 and 100/],
    [['--settle-ms', '-5'], /--settle-ms must be between 0 and 3600000/],
    [['--max-rps', 'fast'], /--max-rps must be a whole number/],
    [['--concurrency', '0'], /--concurrency must be between 1 and 256/],
    [['--ca-file', '/nonexistent/ca.pem'], /--ca-file: no such file/],
    [['--other-bucket', 'X'], /--other-bucket must be 3–32 characters/],
    [['--deadline', '7h'], /--deadline must be at most 6 h/],
  ])('%j', async (args, message) => {
    const r = await runOvc(['run', ...args], creds);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('an unreachable endpoint', async () => {
    const r = await runOvc(['run', '--endpoint', 'http://127.0.0.1:9', '--out', mkdtempSync(join(tmpdir(), 'ovc-exit-'))], creds);
    expect(r.stderr).toMatch(/cannot run: the endpoint http:\/\/127\.0\.0\.1:9 cannot be reached/);
    expect(r.code).toBe(2);
  });

  it('an endpoint without credentials', async () => {
    const r = await runOvc(['run', '--endpoint', 'http://127.0.0.1:9'], { OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '' });
    expect(r.stderr).toMatch(/OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set/);
    expect(r.code).toBe(2);
  });

  it('a malformed baseline file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovc-exit-'));
    const file = join(dir, 'baseline.json');
    writeFileSync(file, '{"deviations": [{"nope": 1}]');
    const r = await runOvc(['run', '--baseline', file, '--out', dir]);
    expect(r.stderr).toMatch(/^ovc: /m);
    expect(r.code).toBe(2);
  });
});

// The suite child starts before the command line is read (run/runner.ts, SuiteChild.early): a run
// that never reaches its suites must exit at once, not wait on that child, and leave none behind.
describe('a run that ends before its suites', () => {
  it.each([
    [['--bogus'], 2],
    [['--runs', 'abc'], 2],
    [['--endpoint', 'http://127.0.0.1:9'], 2], // no credentials
    [['--help'], 0],
  ])('%j exits at once (code %i) and leaves no suite child', async (args, code) => {
    const run = startRun(args, { OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '' });
    const started = Date.now();
    const exited = await Promise.race([run.done, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    if (exited === 'hung') process.kill(-run.child.pid!, 'SIGKILL');
    expect(exited, `still running after ${Date.now() - started} ms:\n${run.err()}`).toBe(code);
    await until('no suite child of the run left', () => suiteChildrenOf(run.child.pid!).length === 0, 2000);
  });
});

// Exit 1 is a verdict about the target (docs/design.md): ovc's own defect must not read as one. An
// uncaught exception planted in the CLI's process (test/fixtures/planted-crash.mjs) stands in for a
// defect; before cli/bin.ts mapped it, each of these exited 1. That a verdict of 1 stays 1 is what
// every fault profile's run asserts (test/selftest/fault-profiles.test.ts).
describe('an internal error of ovc exits 2, never 1', () => {
  const planted = (ms: number): Record<string, string> => ({
    NODE_OPTIONS: `--import=${fileURLToPath(new URL('../fixtures/planted-crash.mjs', import.meta.url))}`, OVC_PLANTED_CRASH_MS: String(ms),
  });

  it('ovc run, mid-run against the embedded emulator: exit 2, says so, leaves no suite child', async () => {
    const run = startRun(['--quiet', '--out', mkdtempSync(join(tmpdir(), 'ovc-crash-'))], { OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '', ...planted(1500) });
    expect(await run.done, run.err()).toBe(2);
    expect(run.err()).toMatch(/ovc: internal error: this is a defect of ovc, not a finding about the target \(exit 2\)/);
    expect(run.err()).toContain('planted crash');
    await until('no suite child of the run left', () => suiteChildrenOf(run.child.pid!).length === 0, 3000);
  });

  it('ovc serve: exit 2', async () => {
    const r = await runOvc(['serve', '--port', '0'], planted(300));
    expect(r.stderr).toContain('planted crash');
    expect(r.code).toBe(2);
  });

  it('ovc diff whose `ovc run` sides crash: exit 2, each side "could not be run", with its own last lines', async () => {
    const r = await runOvc(['diff', '--against', 'embedded', '--tags', '404-no-such-bucket', '--out', mkdtempSync(join(tmpdir(), 'ovc-crash-'))], { OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '', ...planted(1200), OVC_PLANTED_CRASH_COMMAND: 'run' });
    expect(r.stderr).toMatch(/the target side could not be run \(ovc run exited 2\)/);
    expect(r.stderr).toContain('planted crash');
    expect(r.code).toBe(2);
  });
});
