// `ovc sdk-test`: the pieces (env, parsers, table) and the whole command against a fake SDK
// checkout whose "toolchain" (test/fixtures/sdk-test/fake-*.mjs) really calls the emulator it is given.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { checkCheckout, formatTable, goIntegrationTests, parseGoTestJson, parseJunit, sdkEnv, sdkVersion, type SdkTestReport } from '../../cli/sdk-test.ts';

const FAKE_GO = fileURLToPath(new URL('../fixtures/sdk-test/fake-go.mjs', import.meta.url));
const FAKE_PY = fileURLToPath(new URL('../fixtures/sdk-test/fake-python.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ovc-sdk-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function goCheckout(): string {
  const root = join(dir, 'go-sdk');
  mkdirSync(join(root, 'oss/vectors'), { recursive: true });
  writeFileSync(join(root, 'oss/version.go'), 'package oss\nconst (\n\tmajor = "1"\n\tminor = "5"\n\tpatch = "1"\n)\n');
  writeFileSync(join(root, 'oss/vectors/client_integration_test.go'), '//go:build integration\npackage vectors\nfunc helper(t *testing.T) {}\nfunc TestReachesEmulator(t *testing.T) {}\nfunc TestAsserts(t *testing.T) {\n}\nfunc TestDoesNotBuild(t *testing.T) {}\n');
  return root;
}

function pyCheckout(): string {
  const root = join(dir, 'py-sdk');
  mkdirSync(join(root, 'tests/integration/vector'), { recursive: true });
  mkdirSync(join(root, 'alibabacloud_oss_v2'), { recursive: true });
  writeFileSync(join(root, 'alibabacloud_oss_v2/_version.py'), 'VERSION = "1.3.2"\n');
  return root;
}

/** `ovc sdk-test …` in this process (a spawned ovc spends seconds loading), its output captured. */
async function ovc(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    const status = await main(['node', 'ovc', 'sdk-test', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('ovc sdk-test pieces', () => {
  it('finds the top-level tests of the Go integration file, not helpers', () => {
    expect(goIntegrationTests(readFileSync(join(goCheckout(), 'oss/vectors/client_integration_test.go'), 'utf8'))).toEqual(['TestReachesEmulator', 'TestAsserts', 'TestDoesNotBuild']);
  });

  it('reads go test -json: pass, testify failure with its line and a panic, no result', () => {
    const ev = (o: object): string => JSON.stringify(o);
    expect(parseGoTestJson([ev({ Action: 'run', Test: 'TestA' }), ev({ Action: 'pass', Test: 'TestA' })].join('\n'), 'TestA')).toEqual({ name: 'TestA', status: 'pass', why: '' });
    const fail = parseGoTestJson([
      ev({ Action: 'output', Test: 'TestB', Output: '        \tError Trace:\t/x/client_integration_test.go:571\n        \tError:      \tNot equal: \n        \t            \texpected: 404\n        \t            \tactual  : 400\n        \tTest:       \tTestB\n' }),
      ev({ Action: 'fail', Test: 'TestB' }),
    ].join('\n'), 'TestB');
    expect(fail).toEqual({ name: 'TestB', status: 'fail', why: 'client_integration_test.go:571: Not equal: expected: 404 actual : 400' });
    expect(parseGoTestJson('', 'TestC', 'x_test.go:3:2: undefined: Nope').status).toBe('error');
    expect(parseGoTestJson('', 'TestC', 'x_test.go:3:2: undefined: Nope').why).toContain('undefined: Nope');
  });

  it('reads pytest JUnit XML: pass, failure, teardown-only error (a pass, said), skip', () => {
    const r = parseJunit('<testsuite><testcase classname="a.b.TestX" name="test_ok" time="1"/><testcase classname="a.TestX" name="test_bad"><failure message="AssertionError: 1 &amp; 2">t</failure></testcase>'
      + '<testcase classname="a.TestY" name="test_td"><error message="failed on teardown with &quot;Boom&quot;">t</error></testcase><testcase classname="a.TestY" name="test_err"><error message="failed on setup with x">t</error></testcase>'
      + '<testcase classname="" name="tests.integration.vector.test_a"><error message="collection failure">tests/x.py:12: in &lt;module&gt;&#10;E   ModuleNotFoundError: No module named \'aiohttp\'&#10;E   ImportError: Please install aiohttp</error></testcase></testsuite>');
    expect(r.map((t) => [t.name, t.status])).toEqual([['TestX.test_ok', 'pass'], ['TestX.test_bad', 'fail'], ['TestY.test_td', 'pass'], ['TestY.test_err', 'error'], ['tests.integration.vector.test_a', 'error']]);
    expect(r[4]!.why).toBe('collection failure: ImportError: Please install aiohttp');
    expect(r[1]!.why).toBe('AssertionError: 1 & 2');
    expect(r[2]!.why).toBe('test passed; the class teardown failed: "Boom"');
  });

  it('sets each SDK\'s own variables; Python gets the emulator as its HTTP proxy', () => {
    const em = { url: 'http://127.0.0.1:9', region: 'cn-hangzhou', accountId: '42', identities: [{ accessKeyId: 'k', accessKeySecret: 's' }] };
    const go = sdkEnv('go', em, '/sdk', {});
    expect(go).toMatchObject({ OSS_TEST_VECTORS_ENDPOINT: 'http://127.0.0.1:9', OSS_TEST_REGION: 'cn-hangzhou', OSS_TEST_ACCESS_KEY_ID: 'k', OSS_TEST_ACCESS_KEY_SECRET: 's', OSS_TEST_ACCOUNT_ID: '42' });
    expect(go.HTTP_PROXY).toBeUndefined();
    const py = sdkEnv('python', em, '/sdk', { PYTHONPATH: '/other' });
    expect(py).toMatchObject({ OSS_TEST_USER_ID: '42', OSS_TEST_ENDPOINT: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', PYTHONPATH: '/sdk:/other' });
  });

  it('checks the checkout and reads the SDK version', () => {
    expect(() => checkCheckout('rust', dir)).toThrow(/unknown SDK language 'rust'/);
    expect(() => checkCheckout('go', join(dir, 'nope'))).toThrow(/does not exist/);
    expect(() => checkCheckout('python', goCheckout())).toThrow(/is not a checkout of aliyun\/alibabacloud-oss-python-sdk-v2/);
    expect(sdkVersion('go', goCheckout())).toBe('1.5.1');
    expect(sdkVersion('python', pyCheckout())).toBe('1.3.2');
  });

  it('prints the table with a count', () => {
    const t = formatTable([{ name: 'TestA', status: 'pass', why: '' }, { name: 'TestLonger', status: 'fail', why: 'because' }]);
    expect(t).toBe('test        result  why\n----------  ------  ---\nTestA       pass\nTestLonger  fail    because\n\n1 of 2 passed\n');
  });
});

describe('ovc sdk-test end to end (fake toolchains, real emulator)', () => {
  it('go: one run per test, the table and the JSON; exit 1 when any test fails', async () => {
    const json = join(dir, 'go.json');
    const r = await ovc('go', goCheckout(), '--go', FAKE_GO, '--isolation', 'none', '--json', json);
    expect(r.stderr).toContain('no network isolation');
    expect(r.stdout).toMatch(/^TestReachesEmulator\s+pass\s*$/m);
    expect(r.stdout).toMatch(/^TestAsserts\s+fail\s+client_integration_test\.go:433: Not equal: expected: 200 actual : 400; then panicked: runtime error/m);
    expect(r.stdout).toMatch(/^TestDoesNotBuild\s+error\s+oss\/vectors\/x_test\.go:3:2: undefined: Nope/m);
    expect(r.stdout).toContain('1 of 3 passed');
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
    expect(report).toMatchObject({ kind: 'ovc-sdk-test', language: 'go', sdk: { version: '1.5.1' }, passed: 1, total: 3, isolation: 'none' });
    // No secret in the results file.
    expect(readFileSync(json, 'utf8')).not.toContain('ovc-test-secret');
  });

  it('python: pytest JUnit results through the proxy set-up', async () => {
    const r = await ovc('python', pyCheckout(), '--python', FAKE_PY, '--isolation', 'none');
    expect(r.stdout).toMatch(/^TestA\.test_env\s+pass\s*$/m);
    expect(r.stdout).toMatch(/^TestB\.test_fails\s+fail\s+AssertionError: 200 != 404 more$/m);
    expect(r.stdout).toMatch(/^TestB\.test_teardown\s+pass\s+test passed; the class teardown failed/m);
    expect(r.stdout).toMatch(/^TestC\.test_skip\s+skip\s+needs a real region$/m);
    expect(r.stdout).toContain('2 of 4 passed');
    expect(r.status).toBe(1);
  });

  it('exit 2 with one sentence when the checkout or the toolchain is missing', async () => {
    const noCheckout = await ovc('go', join(dir, 'missing'));
    expect(noCheckout.status).toBe(2);
    expect(noCheckout.stderr.trim()).toMatch(/^ovc: the SDK checkout .*missing does not exist$/);
    const noGo = await ovc('go', goCheckout(), '--go', join(dir, 'no-such-go'));
    expect(noGo.status).toBe(2);
    expect(noGo.stderr.trim()).toMatch(/^ovc: the Go toolchain '.*no-such-go' cannot be run \(ENOENT\); install it or pass --go PATH$/);
    const badLang = await ovc('java', dir);
    expect(badLang.status).toBe(2);
  });
});
