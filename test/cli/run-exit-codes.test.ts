// `ovc run` on bad input: one clear sentence and exit 2, before any case runs (docs/design.md CLI contract).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOvc } from '../selftest/run-cli.ts';

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
