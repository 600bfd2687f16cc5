// `ovc sdk-test <go|python> <checkout>`: runs an official SDK's own vectors integration tests,
// unchanged, against an `ovc serve` on loopback and prints test → pass/fail → why.
//
// Isolation: by default the whole run (emulator and SDK tests) happens inside `unshare -rn` (a new
// user and network namespace: no root needed, only loopback exists), so nothing the tests do can
// leave the machine. Name resolution: the Go SDK addresses an IP endpoint path-style (nothing to
// resolve); the Python SDK addresses `{bucket}-{account}.{endpoint host}` even for an IP, so its
// HTTP proxy is pointed at the emulator itself, which accepts absolute-form request targets: no
// resolver, no /etc/hosts, no root.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { claimOutputs, makeTempFolder, removeOurs, writeOutputFile } from '../files/gate.ts';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { UsageError } from './errors.ts';
import { packageVersion } from './main.ts';

export type SdkLanguage = 'go' | 'python';
export type SdkTestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface SdkTestResult {
  name: string;
  status: SdkTestStatus;
  /** One line: the first assertion or error, or what else happened (e.g. a teardown error). */
  why: string;
}

/** What `--json` writes (and docs/compatibility.md is generated from). No secrets in it. */
export interface SdkTestReport {
  kind: 'ovc-sdk-test';
  version: 1;
  language: SdkLanguage;
  sdk: { name: string; version: string };
  target: string;
  ovcVersion: string;
  date: string;
  isolation: 'netns' | 'none';
  tests: SdkTestResult[];
  passed: number;
  total: number;
}

const LAYOUT: Record<SdkLanguage, { marker: string; what: string }> = {
  go: { marker: 'oss/vectors/client_integration_test.go', what: 'a checkout of aliyun/alibabacloud-oss-go-sdk-v2' },
  python: { marker: 'tests/integration/vector', what: 'a checkout of aliyun/alibabacloud-oss-python-sdk-v2' },
};

/** The checkout, checked: exit-2 sentences when it is not there or not the SDK. */
export function checkCheckout(language: string, path: string): { language: SdkLanguage; root: string } {
  if (language !== 'go' && language !== 'python') throw new UsageError(`unknown SDK language '${language}'; valid: go, python`);
  const root = resolve(path);
  if (!existsSync(root)) throw new UsageError(`the SDK checkout ${root} does not exist`);
  const { marker, what } = LAYOUT[language];
  if (!existsSync(join(root, marker))) throw new UsageError(`${root} is not ${what} (no ${marker} in it)`);
  return { language, root };
}

/** The SDK's version as its checkout states it (Go: the version constant; Python: the package version). */
export function sdkVersion(language: SdkLanguage, root: string): string {
  const read = (p: string): string => { try { return readFileSync(join(root, p), 'utf8'); } catch { return ''; } };
  if (language === 'go') {
    const src = read('oss/version.go');
    const part = (k: string): string | undefined => new RegExp(`\\b${k}\\s*=\\s*"(\\d+)"`).exec(src)?.[1];
    const [major, minor, patch] = [part('major'), part('minor'), part('patch')];
    return major && minor && patch ? `${major}.${minor}.${patch}` : 'unknown';
  }
  return /VERSION\s*=\s*['"]([^'"]+)['"]/.exec(read('alibabacloud_oss_v2/_version.py'))?.[1] ?? 'unknown';
}

/** The SDK's own test variables, pointed at the emulator. */
export function sdkEnv(language: SdkLanguage, em: Pick<RunningEmulator, 'url' | 'region' | 'accountId' | 'identities'>, root: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const id = em.identities[0]!;
  const common = {
    OSS_TEST_VECTORS_ENDPOINT: em.url, OSS_TEST_REGION: em.region,
    OSS_TEST_ACCESS_KEY_ID: id.accessKeyId, OSS_TEST_ACCESS_KEY_SECRET: id.accessKeySecret,
    // The plain OSS client of the suites (log targets, fixtures) reaches the emulator too.
    OSS_TEST_ENDPOINT: em.url,
  };
  if (language === 'go') return { ...base, ...common, OSS_TEST_ACCOUNT_ID: em.accountId };
  return {
    ...base, ...common, OSS_TEST_USER_ID: em.accountId,
    // `{bucket}-{account}.127.0.0.1:port` cannot be resolved: the emulator is the proxy (absolute-form targets).
    HTTP_PROXY: em.url, http_proxy: em.url, NO_PROXY: '', no_proxy: '',
    PYTHONPATH: base.PYTHONPATH ? `${root}:${base.PYTHONPATH}` : root,
  };
}

/** The top-level tests of the Go SDK's vectors integration test file. */
export function goIntegrationTests(source: string): string[] {
  return [...source.matchAll(/^func (Test\w*)\(t \*testing\.T\)/gm)].map((m) => m[1]!);
}

function oneLine(s: string, max = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** One test's verdict from `go test -json` output (lines of test2json events). */
export function parseGoTestJson(jsonLines: string, test: string, stderr = ''): SdkTestResult {
  const events: Array<{ Action?: string; Test?: string; Output?: string }> = [];
  for (const line of jsonLines.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    try { events.push(JSON.parse(line)); } catch { /* not an event */ }
  }
  const mine = events.filter((e) => e.Test === test);
  const output = mine.map((e) => e.Output ?? '').join('');
  const final = mine.find((e) => e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip');
  if (!final) {
    const pkgOut = events.filter((e) => !e.Test).map((e) => e.Output ?? '').join('');
    const cause = /panic:.*|FAIL.*build failed.*|cannot find.*|\S+\.go:\d+:\d+: .*/.exec(`${output}\n${pkgOut}\n${stderr}`)?.[0] ?? (oneLine(stderr) || 'no result reported (build failure or crash)');
    return { name: test, status: 'error', why: oneLine(cause) };
  }
  if (final.Action === 'pass') return { name: test, status: 'pass', why: '' };
  if (final.Action === 'skip') return { name: test, status: 'skip', why: oneLine(/--- SKIP.*\n\s*(.*)/.exec(output)?.[1] ?? 'skipped') };
  // testify: "Error Trace: file:line" then "Error: <message>" possibly continued on indented lines.
  const lines = output.split('\n');
  const at = lines.findIndex((l) => /^\s+Error:\s/.test(l));
  let why = '';
  if (at >= 0) {
    const trace = lines.slice(0, at).reverse().find((l) => /Error Trace:/.test(l));
    const where = trace ? /(\w+\.go:\d+)/.exec(trace)?.[1] : undefined;
    const msg = [lines[at]!.replace(/^\s+Error:\s+/, '')];
    for (let i = at + 1; i < lines.length && /^\s{8,}\S/.test(lines[i]!) && !/^\s+(Test|Messages|Error Trace):/.test(lines[i]!); i++) msg.push(lines[i]!.trim());
    why = `${where ? `${where}: ` : ''}${msg.join(' ')}`;
  }
  const panic = /panic: (.*)/.exec(output)?.[1];
  if (panic) why = why ? `${why}; then panicked: ${panic}` : `panicked: ${panic}`;
  return { name: test, status: 'fail', why: oneLine(why || 'failed') };
}

function xmlText(s: string): string {
  return s.replace(/&#10;/g, '\n').replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Verdicts from pytest's JUnit XML (`--junitxml`). A test whose body passed but whose class
 * teardown failed is a pass, with the teardown error said in `why` (pytest prints PASSED for it).
 */
export function parseJunit(xml: string): SdkTestResult[] {
  const out: SdkTestResult[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = m[1]!;
    const attr = (k: string): string => xmlText(new RegExp(`\\b${k}="([^"]*)"`).exec(attrs)?.[1] ?? '');
    const cls = attr('classname').split('.').pop() ?? '';
    const name = cls ? `${cls}.${attr('name')}` : attr('name');
    const body = m[3] ?? '';
    const child = /<(failure|error|skipped)\b([^>]*?)(\/>|>)/.exec(body);
    if (!child) { out.push({ name, status: 'pass', why: '' }); continue; }
    const message = xmlText(/\bmessage="([^"]*)"/.exec(child[2]!)?.[1] ?? '');
    const kind = child[1]!;
    if (kind === 'skipped') out.push({ name, status: 'skip', why: oneLine(message) });
    else if (kind === 'error' && /^failed on teardown with/.test(message)) {
      out.push({ name, status: 'pass', why: oneLine(`test passed; the class teardown failed: ${message.replace(/^failed on teardown with\s*/, '')}`) });
    } else {
      // pytest's generic messages ("collection failure", "failed on setup with …"): add the last `E ` line of the report.
      const detail = /^(collection failure|failed on setup)/.test(message) ? xmlText(body.slice(child.index + child[0].length).split(`</${kind}>`)[0]!).split('\n').filter((l) => /^E\s/.test(l)).pop()?.replace(/^E\s+/, '') : undefined;
      out.push({ name, status: kind === 'failure' ? 'fail' : 'error', why: oneLine(detail ? `${message}: ${detail}` : message) });
    }
  }
  return out;
}

/** The table: test → verdict → why. */
export function formatTable(results: readonly SdkTestResult[]): string {
  const w = Math.max(4, ...results.map((r) => r.name.length));
  const lines = [`${'test'.padEnd(w)}  result  why`, `${'-'.repeat(w)}  ------  ---`];
  for (const r of results) lines.push(`${r.name.padEnd(w)}  ${r.status.padEnd(6)}  ${r.why}`.trimEnd());
  const passed = results.filter((r) => r.status === 'pass').length;
  lines.push('', `${passed} of ${results.length} passed`);
  return `${lines.join('\n')}\n`;
}

interface Exec { code: number | null; stdout: string; stderr: string }

function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Exec> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolvePromise({ code, stdout, stderr }); });
  });
}

/** exit-2 sentence when the toolchain is missing or unusable. */
export function checkToolchain(language: SdkLanguage, bin: string): void {
  const args = language === 'go' ? ['version'] : ['-c', 'import pytest, requests'];
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new UsageError(`the ${language === 'go' ? 'Go toolchain' : 'Python interpreter'} '${bin}' cannot be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install it or pass --${language} PATH`);
  if (r.status !== 0) {
    throw new UsageError(language === 'go'
      ? `'${bin} version' failed: ${oneLine(r.stderr || r.stdout)}`
      : `'${bin}' cannot import pytest and requests (the Python SDK's test dependencies): ${oneLine((r.stderr || '').split('\n').filter(Boolean).pop() ?? '')}`);
  }
}

export interface SdkTestOptions {
  language: SdkLanguage;
  root: string;
  go: string;
  python: string;
  timeoutMs: number;
  isolation: 'netns' | 'none';
}

/** Runs the SDK's suite against a fresh emulator on loopback (in this process's network). */
export async function runSdkTests(o: SdkTestOptions): Promise<SdkTestReport> {
  const em = await startEmulator({ host: '127.0.0.1', port: 0 });
  const scratch = makeTempFolder('ovc-sdk-test-');
  try {
    const env = sdkEnv(o.language, em, o.root);
    let tests: SdkTestResult[];
    if (o.language === 'go') {
      const names = goIntegrationTests(readFileSync(join(o.root, LAYOUT.go.marker), 'utf8'));
      tests = [];
      // One `go test` per test: a panic in one (it ends the test binary) cannot hide the others.
      for (const name of names) {
        const r = await run(o.go, ['test', '-tags', 'integration', join(o.root, 'oss', 'vectors'), '-run', `^${name}$`, '-count=1', '-json'], { cwd: o.root, env, timeoutMs: o.timeoutMs });
        tests.push(parseGoTestJson(r.stdout, name, r.stderr));
      }
    } else {
      const junit = join(scratch, 'junit.xml');
      const r = await run(o.python, ['-m', 'pytest', LAYOUT.python.marker, '-rA', '-q', '-p', 'no:cacheprovider', `--junitxml=${junit}`], { cwd: o.root, env, timeoutMs: o.timeoutMs });
      if (!existsSync(junit)) throw new UsageError(`pytest wrote no results (exit ${r.code}): ${oneLine(r.stderr || r.stdout)}`);
      tests = parseJunit(readFileSync(junit, 'utf8'));
    }
    const passed = tests.filter((t) => t.status === 'pass').length;
    return {
      kind: 'ovc-sdk-test', version: 1, language: o.language,
      sdk: { name: o.language === 'go' ? 'alibabacloud-oss-go-sdk-v2' : 'alibabacloud-oss-python-sdk-v2', version: sdkVersion(o.language, o.root) },
      target: 'ovc serve', ovcVersion: packageVersion(), date: new Date().toISOString(), isolation: o.isolation,
      tests, passed, total: tests.length,
    };
  } finally {
    removeOurs(scratch);
    await em.close();
  }
}

/** Whether `unshare -rn` (user + network namespace, no root) works here. */
function netnsAvailable(): boolean {
  return spawnSync('unshare', ['-rn', 'true'], { stdio: 'ignore' }).status === 0;
}

interface SdkTestFlags { go: string; python: string; json?: string; isolation: string; timeout: string }

export function sdkTestCommand(setExit: (code: number) => void): Command {
  return new Command('sdk-test')
    .description("run an official SDK's own vectors integration tests (unchanged) against ovc serve on loopback and print test → pass/fail → why")
    .argument('<language>', 'go or python')
    .argument('<checkout>', 'path to a checkout of the SDK (aliyun/alibabacloud-oss-go-sdk-v2 or alibabacloud-oss-python-sdk-v2)')
    .option('--go <bin>', 'the Go toolchain to use (its environment, e.g. GOFLAGS/GOPROXY, is passed through)', 'go')
    .option('--python <bin>', 'the Python interpreter with pytest and the SDK\'s dependencies', 'python3')
    .option('--json <file>', 'also write the results as JSON (input of docs/compatibility.md)')
    .addOption(new Option('--isolation <mode>', 'netns: run inside unshare -rn (loopback only; the default when available); none: in this network').choices(['auto', 'netns', 'none', 'inside']).default('auto'))
    .option('--timeout <seconds>', 'per go test / for the whole pytest run', '600')
    .action(async (language: string, checkout: string, flags: SdkTestFlags) => {
      const { language: lang, root } = checkCheckout(language, checkout);
      if (flags.json) claimOutputs([{ flag: '--json', path: flags.json, kind: 'file' }]);
      if (!/^\d+$/.test(flags.timeout) || Number(flags.timeout) < 1) throw new UsageError(`--timeout must be a whole number of seconds, got '${flags.timeout}'`);
      const bin = lang === 'go' ? flags.go : flags.python;
      checkToolchain(lang, bin);
      let isolation = flags.isolation;
      if (isolation === 'auto') isolation = netnsAvailable() ? 'netns' : 'none';
      if (isolation === 'netns') {
        if (!netnsAvailable()) throw new UsageError('--isolation netns needs unshare -rn (user namespaces), which is not available here; use --isolation none');
        // Re-run this command inside a fresh network namespace with only loopback up.
        const self = [...process.execArgv, process.argv[1]!, 'sdk-test', lang, root, '--go', flags.go, '--python', flags.python, '--timeout', flags.timeout, '--isolation', 'inside', ...(flags.json ? ['--json', resolve(flags.json)] : [])];
        const child = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up || exit 3; exec "$@"', 'sh', process.execPath, ...self], { stdio: 'inherit', env: process.env });
        if (child.status === 3) throw new UsageError('cannot bring up loopback in the new network namespace (the ip command is needed); use --isolation none');
        setExit(child.status ?? 2);
        return;
      }
      process.stderr.write(`ovc sdk-test: running the ${lang} SDK's vectors integration tests from ${root} against ovc serve (${isolation === 'inside' ? 'inside unshare -rn, loopback only' : 'no network isolation'})\n`);
      const report = await runSdkTests({ language: lang, root, go: flags.go, python: flags.python, timeoutMs: Number(flags.timeout) * 1000, isolation: isolation === 'inside' ? 'netns' : 'none' });
      process.stdout.write(formatTable(report.tests));
      if (flags.json) writeOutputFile('--json', flags.json, `${JSON.stringify(report, null, 2)}\n`);
      setExit(report.total > 0 && report.passed === report.total ? 0 : 1);
    });
}
