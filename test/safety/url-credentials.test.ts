// No secret from a URL (issue 25 §5): a user name or password in any URL flag is refused at once —
// exit 2, one sentence saying where credentials go — by every command that takes a URL, and the
// password appears in no output and no file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOvc } from '../selftest/run-cli.ts';

const PASSWORD = 'Pa55wordFromUrl7x';
const URL_WITH = `http://someone:${PASSWORD}@127.0.0.1:9`;
const base = mkdtempSync(join(tmpdir(), 'ovc-url-secret-'));

/** Every file under `dir` whose content holds the password. */
function filesHolding(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((n) => {
    const p = join(dir, n);
    return statSync(p).isFile() && readFileSync(p, 'utf8').includes(PASSWORD);
  });
}

describe('a URL with a user name or password is refused by every command that takes one', () => {
  const out = (name: string): string => join(base, name);
  it.each([
    [['run', '--endpoint', URL_WITH, '--out', out('run')], 'OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET'],
    [['run', '--state-hook', `${URL_WITH}/hook`, '--out', out('run-hook')], 'OSS_ACCESS_KEY_ID'],
    [['diff', '--endpoint', URL_WITH, '--against', 'embedded', '--out', out('diff')], 'OSS_ACCESS_KEY_ID'],
    [['diff', '--against', URL_WITH, '--out', out('diff-against')], 'OVC_AGAINST_ACCESS_KEY_ID/OVC_AGAINST_ACCESS_KEY_SECRET'],
    [['diff', '--against', 'embedded', '--state-hook', URL_WITH, '--out', out('diff-hook')], 'OSS_ACCESS_KEY_ID'],
    [['diff', '--against', 'embedded', '--against-state-hook', URL_WITH, '--out', out('diff-ahook')], 'OSS_ACCESS_KEY_ID'],
    [['cleanup', '--endpoint', URL_WITH], 'OSS_ACCESS_KEY_ID'],
    [['pact', 'verify', '--endpoint', URL_WITH], 'OSS_ACCESS_KEY_ID'],
    [['pact', 'verify', '--state-hook', URL_WITH], 'OSS_ACCESS_KEY_ID'],
    [['pact', 'verify', '--pact', `${URL_WITH}/pacts/provider/p/consumer/c/latest`], 'PACT_BROKER_TOKEN'],
    [['pact', 'publish', '--broker-url', URL_WITH], 'PACT_BROKER_TOKEN'],
    [['pact', 'signing-proxy', '--upstream', URL_WITH], 'OSS_ACCESS_KEY_ID'],
    [['serve', '--port', '0', '--advertised-endpoint', URL_WITH], 'OSS_ACCESS_KEY_ID'],
  ])('%j: exit 2, one sentence, the password nowhere', async (args, where) => {
    mkdirSync(base, { recursive: true });
    const r = await runOvc(args, { OSS_ACCESS_KEY_ID: 'k', OSS_ACCESS_KEY_SECRET: 's' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(where);
    expect(r.stderr).toMatch(/user name or password/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
    expect(filesHolding(base)).toEqual([]);
  });
});
