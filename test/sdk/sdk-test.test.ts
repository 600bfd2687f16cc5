// `ovc sdk-test`: the pieces (env, parsers, table) and the whole command against a fake SDK
// checkout whose "toolchain" (test/fixtures/sdk-test/fake-*.mjs) really calls the emulator it is
// given, and (Go) really fetches its module from a module proxy this test serves on loopback.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { checkCheckout, formatTable, goIntegrationTests, goModRequires, parseGoTestJson, parseJunit, parseJunit4Console, sdkEnv, sdkVersion, type SdkTestReport } from '../../cli/sdk-test.ts';
import { namespacesAvailable } from '../../cli/sdk-test/isolation.ts';
import { answerQuery } from '../../cli/sdk-test/resolver.ts';

const FAKE_GO = fileURLToPath(new URL('../fixtures/sdk-test/fake-go.mjs', import.meta.url));
const FAKE_PY = fileURLToPath(new URL('../fixtures/sdk-test/fake-python.mjs', import.meta.url));
const FAKE_JAVA = fileURLToPath(new URL('../fixtures/sdk-test/fake-java.mjs', import.meta.url));
const FAKE_JAVAC = fileURLToPath(new URL('../fixtures/sdk-test/fake-javac', import.meta.url));
const FAKE_MVN = fileURLToPath(new URL('../fixtures/sdk-test/fake-mvn', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ovc-sdk-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module proxy on the outer loopback that knows example.com/dep; counts what it was asked. */
async function moduleProxy(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/example.com/dep/@v/list') res.end('v1.0.0\n');
    else { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

function goCheckout(name = 'go-sdk'): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'oss/vectors'), { recursive: true });
  writeFileSync(join(root, 'go.mod'), 'module example.com/sdk\n\ngo 1.18\n\nrequire (\n\texample.com/dep v1.0.0 // indirect\n)\n');
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

function javaCheckout(): string {
  const root = join(dir, 'java-sdk');
  const tests = join(root, 'src/it/java/com/aliyun/sdk/service/oss2/vectors');
  mkdirSync(tests, { recursive: true });
  mkdirSync(join(root, 'src/main/java/com/aliyun/sdk/service/oss2'), { recursive: true });
  writeFileSync(join(root, 'src/main/java/com/aliyun/sdk/service/oss2/OSSClient.java'), 'package com.aliyun.sdk.service.oss2;\npublic interface OSSClient {}\n');
  writeFileSync(join(root, 'src/it/java/com/aliyun/sdk/service/oss2/TestBase.java'), 'package com.aliyun.sdk.service.oss2;\npublic class TestBase {}\n');
  writeFileSync(join(root, 'pom.xml'), '<project><artifactId>alibabacloud-oss-v2</artifactId>\n<version>0.5.0</version></project>\n');
  writeFileSync(join(tests, 'TestBaseVectors.java'), 'public class TestBaseVectors {}\n');
  writeFileSync(join(tests, 'ClientATest.java'), 'public class ClientATest extends TestBaseVectors {\n  @Test\n  public void testReaches() {}\n  @Test\n  public void testAsserts() {}\n  @Test\n  @Ignore\n  public void testLater() {}\n}\n');
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

  it('reads pytest JUnit XML: pass, failure, teardown-only error (an error, said), skip', () => {
    const r = parseJunit('<testsuite><testcase classname="a.b.TestX" name="test_ok" time="1"/><testcase classname="a.TestX" name="test_bad"><failure message="AssertionError: 1 &amp; 2">t</failure></testcase>'
      + '<testcase classname="a.TestY" name="test_td"><error message="failed on teardown with &quot;Boom&quot;">t</error></testcase><testcase classname="a.TestY" name="test_err"><error message="failed on setup with x">t</error></testcase>'
      + '<testcase classname="" name="tests.integration.vector.test_a"><error message="collection failure">tests/x.py:12: in &lt;module&gt;&#10;E   ModuleNotFoundError: No module named \'aiohttp\'&#10;E   ImportError: Please install aiohttp</error></testcase></testsuite>');
    expect(r.map((t) => [t.name, t.status])).toEqual([['TestX.test_ok', 'pass'], ['TestX.test_bad', 'fail'], ['TestY.test_td', 'error'], ['TestY.test_err', 'error'], ['tests.integration.vector.test_a', 'error']]);
    expect(r[4]!.why).toBe('collection failure: ImportError: Please install aiohttp');
    expect(r[1]!.why).toBe('AssertionError: 1 & 2');
    expect(r[2]!.why).toBe('the test body passed; its class teardown failed: "Boom"');
  });

  it('sets each SDK\'s own variables; Python gets the emulator as its HTTP proxy only without the private resolver', () => {
    const em = { url: 'http://127.0.0.1:9', region: 'cn-hangzhou', accountId: '42', identities: [{ accessKeyId: 'k', accessKeySecret: 's' }] };
    const go = sdkEnv('go', em, '/sdk', {});
    expect(go).toMatchObject({ OSS_TEST_VECTORS_ENDPOINT: 'http://127.0.0.1:9', OSS_TEST_REGION: 'cn-hangzhou', OSS_TEST_ACCESS_KEY_ID: 'k', OSS_TEST_ACCESS_KEY_SECRET: 's', OSS_TEST_ACCOUNT_ID: '42' });
    expect(go.HTTP_PROXY).toBeUndefined();
    const py = sdkEnv('python', em, '/sdk', { PYTHONPATH: '/other' }, true);
    expect(py).toMatchObject({ OSS_TEST_USER_ID: '42', OSS_TEST_ENDPOINT: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', PYTHONPATH: '/sdk:/other' });
    expect(sdkEnv('python', em, '/sdk', {}).HTTP_PROXY).toBeUndefined();
    expect(sdkEnv('java', em, '/sdk', {})).toMatchObject({ OSS_TEST_VECTORS_ENDPOINT: 'http://127.0.0.1:9', OSS_TEST_RAM_UID: '42', OSS_TEST_REGION: 'cn-hangzhou' });
  });

  it('checks the checkout and reads the SDK version', () => {
    expect(() => checkCheckout('rust', dir)).toThrow(/unknown SDK language 'rust'/);
    expect(() => checkCheckout('go', join(dir, 'nope'))).toThrow(/does not exist/);
    expect(() => checkCheckout('python', goCheckout())).toThrow(/is not a checkout of aliyun\/alibabacloud-oss-python-sdk-v2/);
    expect(sdkVersion('go', goCheckout())).toBe('1.5.1');
    expect(sdkVersion('python', pyCheckout())).toBe('1.3.2');
  });

  it('reads a go.mod\'s requirements, quoted or not, in blocks or single lines', () => {
    expect(goModRequires('module m\nrequire x.org/a v1.0.0\nrequire (\n\t"gopkg.in/check.v1" v0.0.0-2020 // indirect\n\tb.org/b v2.1.0\n)\n')).toEqual(['x.org/a', 'gopkg.in/check.v1', 'b.org/b']);
  });

  it('reads JUnit 4 console output: failures by method, a class fixture failure, ignored tests, no result at all', () => {
    const out = 'JUnit version 4.13.2\n..E.I\nTime: 1\nThere were 2 failures:\n1) testB(com.x.ATest)\njava.lang.AssertionError: expected:<1> but was:<2>\n\tat org.junit...\n2) com.x.BTest\ncom.aliyun.sdk.service.oss2.exceptions.ServiceException: 403 AccessDenied\n\nFAILURES!!!\nTests run: 4,  Failures: 2\n';
    expect(parseJunit4Console(out, ['ATest.testA', 'ATest.testB', 'ATest.testC', 'BTest.testD'], ['ATest.testC'])).toEqual([
      { name: 'ATest.testA', status: 'pass', why: '' },
      { name: 'ATest.testB', status: 'fail', why: 'java.lang.AssertionError: expected:<1> but was:<2>' },
      { name: 'ATest.testC', status: 'skip', why: '@Ignore' },
      { name: 'BTest.testD', status: 'error', why: 'its class fixture (@BeforeClass/@AfterClass) failed: com.aliyun.sdk.service.oss2.exceptions.ServiceException: 403 AccessDenied' },
    ]);
    expect(parseJunit4Console('Error: Could not find or load main class org.junit.runner.JUnitCore\n', ['ATest.testA'])[0]).toMatchObject({ status: 'error', why: 'JUnit reported no result: Error: Could not find or load main class org.junit.runner.JUnitCore' });
  });

  it('the private resolver answers every A query with 127.0.0.1 and other types with no address', () => {
    // id 0x1234, RD, one question: b-1.127.0.0.1 A IN.
    const name = Buffer.concat(['b-1', '127', '0', '0', '1'].map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])));
    const q = (type: number): Buffer => Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 0, type, 0, 1])]);
    const a = answerQuery(q(1))!;
    expect(a.readUInt16BE(0)).toBe(0x1234);
    expect(a.readUInt16BE(6)).toBe(1);
    expect([...a.subarray(a.length - 4)]).toEqual([127, 0, 0, 1]);
    const aaaa = answerQuery(q(28))!;
    expect(aaaa.readUInt16BE(6)).toBe(0);
    expect(aaaa[3]! & 0x0f).toBe(0); // NOERROR, no address
    expect(answerQuery(Buffer.from([1, 2, 3]))).toBeNull();
  });

  it('prints the table with a count', () => {
    const t = formatTable([{ name: 'TestA', status: 'pass', why: '' }, { name: 'TestLonger', status: 'fail', why: 'because' }]);
    expect(t).toBe('test        result  why\n----------  ------  ---\nTestA       pass\nTestLonger  fail    because\n\n1 of 2 passed\n');
  });
});

describe('ovc sdk-test end to end (fake toolchains, real emulator)', () => {
  it('go: built once with modules from the module proxy, one run per test, the table and the JSON; exit 1 when any test fails', async () => {
    const proxy = await moduleProxy();
    vi.stubEnv('GOPROXY', proxy.url);
    try {
      const json = join(dir, 'go.json');
      const r = await ovc('go', goCheckout(), '--go', FAKE_GO, '--isolation', 'none', '--json', json);
      expect(r.stderr).toContain('no network isolation');
      expect(r.stderr).toContain('modules from the module proxy (GOPROXY)');
      expect(proxy.hits).toEqual(['/example.com/dep/@v/list']);
      expect(r.stdout).toMatch(/^TestReachesEmulator\s+pass\s*$/m);
      expect(r.stdout).toMatch(/^TestAsserts\s+fail\s+client_integration_test\.go:433: Not equal: expected: 200 actual : 400; then panicked: runtime error/m);
      expect(r.stdout).toMatch(/^TestDoesNotBuild\s+error\s+oss\/vectors\/x_test\.go:3:2: undefined: Nope/m);
      expect(r.stdout).toContain('1 of 3 passed');
      expect(r.status).toBe(1);
      const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
      expect(report).toMatchObject({ kind: 'ovc-sdk-test', language: 'go', sdk: { version: '1.5.1' }, passed: 1, total: 3, isolation: 'none', build: 'modules from the module proxy (GOPROXY)' });
      // No secret in the results file.
      expect(readFileSync(json, 'utf8')).not.toContain('ovc-test-secret');
    } finally {
      vi.unstubAllEnvs();
      proxy.server.close();
    }
  });

  it.skipIf(!namespacesAvailable())('go in the namespace: the module proxy on the outer loopback is used before it; inside, the binary and the private resolver', async () => {
    const proxy = await moduleProxy();
    vi.stubEnv('GOPROXY', proxy.url);
    vi.stubEnv('FAKE_GO_EXPECT_RESOLVER', '1');
    try {
      const json = join(dir, 'go-netns.json');
      const r = await ovc('go', goCheckout('go-netns'), '--go', FAKE_GO, '--isolation', 'netns', '--json', json);
      expect(r.stderr).toContain('inside unshare -rnm');
      expect(proxy.hits).toEqual(['/example.com/dep/@v/list']);
      const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
      expect(report.isolation).toBe('netns');
      expect(report.tests[0]).toEqual({ name: 'TestReachesEmulator', status: 'pass', why: '' });
    } finally {
      vi.unstubAllEnvs();
      proxy.server.close();
    }
  }, 60_000);

  it('go offline: --gocode builds the module replacement itself, a module without go.mod given a minimal one', async () => {
    const gocode = join(dir, 'gocode');
    mkdirSync(join(gocode, 'example.com/dep'), { recursive: true });
    writeFileSync(join(gocode, 'example.com/dep/dep.go'), 'package dep\n');
    vi.stubEnv('GOPROXY', 'http://127.0.0.1:9'); // nothing there: the build must not need it
    try {
      const r = await ovc('go', goCheckout('go-offline'), '--go', FAKE_GO, '--gocode', gocode, '--isolation', 'none');
      expect(r.stderr).toContain(`modules from ${gocode} (example.com/dep)`);
      expect(r.stdout).toMatch(/^TestReachesEmulator\s+pass\s*$/m);
      expect(existsSync(join(gocode, 'example.com/dep/go.mod'))).toBe(false); // the tree itself untouched
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('go: a test binary that does not build makes every test an error with the compiler\'s words', async () => {
    const root = goCheckout('go-broken');
    writeFileSync(join(root, 'BUILD_FAILS'), '');
    const proxy = await moduleProxy();
    vi.stubEnv('GOPROXY', proxy.url);
    try {
      const r = await ovc('go', root, '--go', FAKE_GO, '--isolation', 'none');
      expect(r.stdout).toMatch(/^TestReachesEmulator\s+error\s+the test binary did not build: oss\/vectors\/x_test\.go:3:2: undefined: Nope$/m);
      expect(r.stdout).toContain('0 of 3 passed');
      expect(r.status).toBe(1);
    } finally {
      vi.unstubAllEnvs();
      proxy.server.close();
    }
  });

  it('python: pytest JUnit results; a class teardown error is an error and the exit code says so', async () => {
    const r = await ovc('python', pyCheckout(), '--python', FAKE_PY, '--isolation', 'none');
    expect(r.stdout).toMatch(/^TestA\.test_env\s+pass\s*$/m);
    expect(r.stdout).toMatch(/^TestB\.test_fails\s+fail\s+AssertionError: 200 != 404 more$/m);
    expect(r.stdout).toMatch(/^TestB\.test_teardown\s+error\s+the test body passed; its class teardown failed: "OperationError: ListBuckets"$/m);
    expect(r.stdout).toMatch(/^TestC\.test_skip\s+skip\s+needs a real region$/m);
    expect(r.stdout).toContain('1 of 4 passed');
    expect(r.status).toBe(1);
  });

  it.skipIf(!namespacesAvailable())('python in the namespace: virtual-hosted names resolve to the emulator, no proxy', async () => {
    const json = join(dir, 'py-netns.json');
    const r = await ovc('python', pyCheckout(), '--python', FAKE_PY, '--isolation', 'netns', '--json', json);
    expect(r.stderr).toContain('every name resolves to 127.0.0.1');
    const report = JSON.parse(readFileSync(json, 'utf8')) as SdkTestReport;
    expect(report.tests[0]).toEqual({ name: 'TestA.test_env', status: 'pass', why: '' });
  }, 60_000);

  it('java: Maven unreachable, so javac with the --jars first; JUnit 4 console results, @Ignore a skip', async () => {
    vi.stubEnv('FAKE_JAVAC_FIRST_JAR', '/opt/newer-httpclient5.jar');
    try {
      const json = join(dir, 'java.json');
      const r = await ovc('java', javaCheckout(), '--java', FAKE_JAVA, '--javac', FAKE_JAVAC, '--mvn', FAKE_MVN, '--jars', '/opt/newer-httpclient5.jar', '--isolation', 'none', '--json', json);
      expect(r.stderr).toMatch(/Maven failed \(\[ERROR\] Failed to execute goal: Could not resolve dependencies.*\); compiled with javac against \/usr\/share\/java and \/opt\/newer-httpclient5\.jar/);
      expect(r.stdout).toMatch(/^ClientATest\.testReaches\s+pass\s*$/m);
      expect(r.stdout).toMatch(/^ClientATest\.testAsserts\s+fail\s+java\.lang\.AssertionError: expected:<200> but was:<400>$/m);
      expect(r.stdout).toMatch(/^ClientATest\.testLater\s+skip\s+@Ignore$/m);
      expect(r.status).toBe(1);
      expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ language: 'java', sdk: { name: 'alibabacloud-oss-java-sdk-v2', version: '0.5.0' }, passed: 1, total: 3 });
      // Without the newer jar first, the compiler's words for every test.
      const old = await ovc('java', javaCheckout(), '--java', FAKE_JAVA, '--javac', FAKE_JAVAC, '--build', 'javac', '--isolation', 'none');
      expect(old.stdout).toMatch(/^ClientATest\.testReaches\s+error\s+the tests did not build: X\.java:1: error: cannot find symbol \(symbol: class TlsSocketStrategy\); 1 errors$/m);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('exit 2 with one sentence when the checkout or the toolchain is missing', async () => {
    const noCheckout = await ovc('go', join(dir, 'missing'));
    expect(noCheckout.status).toBe(2);
    expect(noCheckout.stderr.trim()).toMatch(/^ovc: the SDK checkout .*missing does not exist$/);
    const noGo = await ovc('go', goCheckout(), '--go', join(dir, 'no-such-go'));
    expect(noGo.status).toBe(2);
    expect(noGo.stderr.trim()).toMatch(/^ovc: the Go toolchain '.*no-such-go' cannot be run \(ENOENT\); install it or pass --go PATH$/);
    const badLang = await ovc('rust', dir);
    expect(badLang.status).toBe(2);
    const notJava = await ovc('java', dir);
    expect(notJava.stderr).toMatch(/is not a checkout of aliyun\/alibabacloud-oss-java-sdk-v2/);
  });
});
