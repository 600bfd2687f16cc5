// `ovc sdk-test <go|python|java> <checkout>`: runs an official SDK's own vectors integration tests,
// unchanged, against an `ovc serve` on loopback and prints test → pass/fail → why.
//
// Two phases. Outside any namespace, where the network (module proxy, Maven repository) may be
// reachable, the tests are built (cli/sdk-test/go.ts, java.ts; Python needs no build). Then, by
// default, this command runs again inside `unshare -rnm` (cli/sdk-test/isolation.ts): only
// loopback, a private resolver that sends every name to 127.0.0.1 (resolver.ts), the emulator and
// the built tests — nothing the tests do can leave the machine, and the virtual-hosted names the
// SDKs build (`{bucket}-{account}.127.0.0.1`) reach the emulator the same way for all three.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { claimOutputs, sweepStaleWorkFolders } from '../files/gate.ts';
import { Command, Option } from 'commander';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { UsageError } from './errors.ts';
import { packageVersion } from './main.ts';
import { buildGoTests, DEBIAN_GOCODE, GO_TEST_FILE, goIntegrationTests, runGoTests, type GoBuild } from './sdk-test/go.ts';
import { STOP_SIGNALS } from '../run/stop.ts';
import { startToolchains, stopToolchains } from './sdk-test/exec.ts';
import { EXIT_NO_BIND_MOUNT, EXIT_NO_LOOPBACK, namespacesAvailable, runInNamespace } from './sdk-test/isolation.ts';
import { buildJavaTests, JAVA_TEST_DIR, runJavaTests, type JavaBuild } from './sdk-test/java.ts';
import { PY_TEST_DIR, runPythonTests } from './sdk-test/python.ts';
import { PRIVATE_RESOLV_CONF, startResolver } from './sdk-test/resolver.ts';
import { formatTable, oneLine, type SdkLanguage, type SdkTestReport, type SdkTestResult } from './sdk-test/results.ts';
import { makeScratch, writeReport, type Scratch } from './sdk-test/scratch.ts';

export { formatTable, parseGoTestJson, parseJunit, parseJunit4Console } from './sdk-test/results.ts';
export type { SdkLanguage, SdkTestReport, SdkTestResult, SdkTestStatus } from './sdk-test/results.ts';
export { goIntegrationTests, goModRequires } from './sdk-test/go.ts';

const LAYOUT: Record<SdkLanguage, { marker: string; what: string; name: string }> = {
  go: { marker: GO_TEST_FILE, what: 'a checkout of aliyun/alibabacloud-oss-go-sdk-v2', name: 'alibabacloud-oss-go-sdk-v2' },
  python: { marker: PY_TEST_DIR, what: 'a checkout of aliyun/alibabacloud-oss-python-sdk-v2', name: 'alibabacloud-oss-python-sdk-v2' },
  java: { marker: JAVA_TEST_DIR, what: 'a checkout of aliyun/alibabacloud-oss-java-sdk-v2', name: 'alibabacloud-oss-java-sdk-v2' },
};

/** The checkout, checked: exit-2 sentences when it is not there or not the SDK. */
export function checkCheckout(language: string, path: string): { language: SdkLanguage; root: string } {
  if (language !== 'go' && language !== 'python' && language !== 'java') throw new UsageError(`unknown SDK language '${language}'; valid: go, python, java`);
  const root = resolve(path);
  if (!existsSync(root)) throw new UsageError(`the SDK checkout ${root} does not exist`);
  const { marker, what } = LAYOUT[language];
  if (!existsSync(join(root, marker))) throw new UsageError(`${root} is not ${what} (no ${marker} in it)`);
  return { language, root };
}

/** The SDK's version as its checkout states it (Go: the version constant; Python: the package version; Java: the pom's). */
export function sdkVersion(language: SdkLanguage, root: string): string {
  const read = (p: string): string => { try { return readFileSync(join(root, p), 'utf8'); } catch { return ''; } };
  if (language === 'go') {
    const src = read('oss/version.go');
    const part = (k: string): string | undefined => new RegExp(`\\b${k}\\s*=\\s*"(\\d+)"`).exec(src)?.[1];
    const [major, minor, patch] = [part('major'), part('minor'), part('patch')];
    return major && minor && patch ? `${major}.${minor}.${patch}` : 'unknown';
  }
  if (language === 'java') return /<artifactId>alibabacloud-oss-v2<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(read('pom.xml'))?.[1] ?? 'unknown';
  return /VERSION\s*=\s*['"]([^'"]+)['"]/.exec(read('alibabacloud_oss_v2/_version.py'))?.[1] ?? 'unknown';
}

/** The checkout's commit and tag when it is a git checkout (`describe`: the tag, or tag-N-gCOMMIT). */
export function sdkRevision(root: string): { commit?: string; tag?: string } {
  const git = (...args: string[]): string | undefined => {
    const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() || undefined : undefined;
  };
  const commit = git('rev-parse', '--short', 'HEAD');
  return commit ? { commit, tag: git('describe', '--tags', '--exact-match') } : {};
}

/**
 * The SDK's own test variables, pointed at the emulator. `proxied`: no private resolver (no
 * namespace), so the Python SDK's virtual-hosted names go to the emulator as its HTTP proxy.
 */
export function sdkEnv(language: SdkLanguage, em: Pick<RunningEmulator, 'url' | 'region' | 'accountId' | 'identities'>, root: string, base: NodeJS.ProcessEnv = process.env, proxied = false): NodeJS.ProcessEnv {
  const id = em.identities[0]!;
  const common = {
    OSS_TEST_VECTORS_ENDPOINT: em.url, OSS_TEST_REGION: em.region,
    OSS_TEST_ACCESS_KEY_ID: id.accessKeyId, OSS_TEST_ACCESS_KEY_SECRET: id.accessKeySecret,
    // The plain OSS client of the suites (log targets, fixtures) reaches the emulator too.
    OSS_TEST_ENDPOINT: em.url,
  };
  if (language === 'go') return { ...base, ...common, OSS_TEST_ACCOUNT_ID: em.accountId };
  if (language === 'java') return { ...base, ...common, OSS_TEST_RAM_UID: em.accountId };
  return {
    ...base, ...common, OSS_TEST_USER_ID: em.accountId,
    ...(proxied ? { HTTP_PROXY: em.url, http_proxy: em.url, NO_PROXY: '', no_proxy: '' } : {}),
    PYTHONPATH: base.PYTHONPATH ? `${root}:${base.PYTHONPATH}` : root,
  };
}

/** exit-2 sentence when the toolchain is missing or unusable. */
export function checkToolchain(language: SdkLanguage, bin: string): void {
  const args = language === 'go' ? ['version'] : language === 'java' ? ['-version'] : ['-c', 'import pytest, requests'];
  const what = language === 'go' ? 'Go toolchain' : language === 'java' ? 'Java runtime' : 'Python interpreter';
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new UsageError(`the ${what} '${bin}' cannot be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install it or pass --${language} PATH`);
  if (r.status !== 0) {
    throw new UsageError(language === 'python'
      ? `'${bin}' cannot import pytest and requests (the Python SDK's test dependencies): ${oneLine((r.stderr || '').split('\n').filter(Boolean).pop() ?? '')}`
      : `'${bin} ${args[0]}' failed: ${oneLine(r.stderr || r.stdout)}`);
  }
}

interface SdkTestFlags {
  go: string; python: string; java: string; javac: string; mvn: string; gocode?: string; jars?: string; build: string;
  json?: string; isolation: string; timeout: string; prepared?: string;
}

/** What the build phase hands to the run phase (build.json in the scratch folder). */
interface Prepared { go?: GoBuild; java?: JavaBuild }

async function prepare(lang: SdkLanguage, root: string, flags: SdkTestFlags, scratch: Scratch, timeoutMs: number): Promise<Prepared> {
  if (lang === 'go') return { go: await buildGoTests({ root, go: flags.go, gocode: flags.gocode, env: process.env, scratch, timeoutMs }) };
  if (lang === 'java') {
    const how = flags.build === 'maven' || flags.build === 'javac' ? flags.build : undefined;
    return { java: await buildJavaTests({ root, mvn: flags.mvn, javac: flags.javac, how, jars: (flags.jars ?? '').split(':').filter(Boolean), env: process.env, scratch, timeoutMs }) };
  }
  return {};
}

/** Runs the built tests against a fresh emulator on loopback (in this process's network). */
export async function runSdkTests(lang: SdkLanguage, root: string, flags: SdkTestFlags, prepared: Prepared, scratch: Scratch, isolation: 'netns' | 'none'): Promise<SdkTestReport> {
  const timeoutMs = Number(flags.timeout) * 1000;
  const resolver = isolation === 'netns' ? await startResolver(53) : undefined;
  const em = await startEmulator({ host: '127.0.0.1', port: 0 });
  try {
    const env = sdkEnv(lang, em, root, process.env, isolation === 'none');
    let tests: SdkTestResult[];
    let build: string | undefined;
    if (lang === 'go') {
      const names = goIntegrationTests(readFileSync(join(root, GO_TEST_FILE), 'utf8'));
      tests = await runGoTests({ root, go: flags.go, build: prepared.go!, names, env, timeoutMs });
      build = prepared.go!.note;
    } else if (lang === 'java') {
      tests = await runJavaTests({ root, java: flags.java, build: prepared.java!, env, timeoutMs });
      build = prepared.java!.note;
    } else tests = await runPythonTests({ root, python: flags.python, env, scratch, timeoutMs });
    const passed = tests.filter((t) => t.status === 'pass').length;
    return {
      kind: 'ovc-sdk-test', version: 1, language: lang,
      sdk: { name: LAYOUT[lang].name, version: sdkVersion(lang, root), ...sdkRevision(root) },
      target: 'ovc serve', ovcVersion: packageVersion(), date: new Date().toISOString(), isolation,
      ...(build ? { build } : {}), command: commandLine(lang, root, flags), tests, passed, total: tests.length,
    };
  } finally {
    await em.close();
    resolver?.close();
  }
}

/** The command as an SDK team would type it again (internal flags left out). */
function commandLine(lang: SdkLanguage, root: string, flags: SdkTestFlags): string {
  const opt = (name: string, v: string | undefined, dflt?: string): string[] => (v !== undefined && v !== dflt ? [`--${name}`, v] : []);
  return ['ovc', 'sdk-test', lang, root, ...opt('gocode', flags.gocode), ...opt('jars', flags.jars), ...opt('build', flags.build, 'auto'),
    ...opt('python', lang === 'python' ? flags.python : undefined, 'python3')].join(' ');
}

function report(r: SdkTestReport, json: string | undefined, setExit: (code: number) => void): void {
  process.stdout.write(formatTable(r.tests));
  if (json) writeReport(json, r);
  setExit(r.total > 0 && r.passed === r.total ? 0 : 1);
}

export function sdkTestCommand(setExit: (code: number) => void): Command {
  return new Command('sdk-test')
    .description("run an official SDK's own vectors integration tests (unchanged) against ovc serve on loopback and print test → pass/fail → why")
    .argument('<language>', 'go, python or java')
    .argument('<checkout>', 'path to a checkout of the SDK (aliyun/alibabacloud-oss-go-sdk-v2, -python-sdk-v2 or -java-sdk-v2)')
    .option('--go <bin>', 'the Go toolchain (its environment, e.g. GOPROXY, is passed through)', 'go')
    .option('--gocode <dir>', `Go: build offline, each module from DIR/<module path> (Debian's layout; default when the download fails: ${DEBIAN_GOCODE})`)
    .option('--python <bin>', 'the Python interpreter with pytest and the SDK\'s dependencies', 'python3')
    .option('--java <bin>', 'Java: the runtime', 'java')
    .option('--javac <bin>', 'Java: the compiler of the offline build', 'javac')
    .option('--mvn <bin>', 'Java: Maven', 'mvn')
    .addOption(new Option('--build <how>', 'Java: maven, javac (offline, system jars), or auto (Maven, then javac)').choices(['auto', 'maven', 'javac']).default('auto'))
    .option('--jars <paths>', 'Java: more jars for the offline build, colon-separated (e.g. jackson-datatype-jsr310, which Debian does not ship)')
    .option('--json <file>', 'also write the results as JSON (input of docs/compatibility.md)')
    .addOption(new Option('--isolation <mode>', 'netns: run inside unshare -rnm (loopback only, private resolver; the default when available); none: in this network').choices(['auto', 'netns', 'none', 'inside']).default('auto'))
    .addOption(new Option('--prepared <dir>').hideHelp())
    .option('--timeout <seconds>', 'per build, per go test, for the whole pytest / JUnit run', '600')
    .action(async (language: string, checkout: string, flags: SdkTestFlags) => {
      const { language: lang, root } = checkCheckout(language, checkout);
      if (flags.json) claimOutputs([{ flag: '--json', path: flags.json, kind: 'file' }]);
      if (!/^\d+$/.test(flags.timeout) || Number(flags.timeout) < 1) throw new UsageError(`--timeout must be a whole number of seconds, got '${flags.timeout}'`);
      const json = flags.json ? resolve(flags.json) : undefined;
      if (flags.isolation === 'inside') {
        // The run phase, inside the namespaces: the build phase left its results in --prepared.
        if (!flags.prepared) throw new UsageError('--isolation inside is the command\'s own run phase; use --isolation netns');
        const scratch = { dir: flags.prepared, write: () => '', copy: () => '', remove: () => undefined } as Scratch;
        const prepared = JSON.parse(readFileSync(join(flags.prepared, 'build.json'), 'utf8')) as Prepared;
        const stop = new SdkTestStop(true);
        try {
          const r = await stop.unlessStopped(runSdkTests(lang, root, flags, prepared, scratch, 'netns'));
          if (stop.reason || !r) setExit(2);
          else report(r, json, setExit);
        } finally {
          stop.uninstall();
        }
        return;
      }
      checkToolchain(lang, lang === 'go' ? flags.go : lang === 'java' ? flags.java : flags.python);
      let isolation = flags.isolation;
      if (isolation === 'auto') isolation = namespacesAvailable() ? 'netns' : 'none';
      if (isolation === 'netns' && !namespacesAvailable()) throw new UsageError('--isolation netns needs unshare -rnm (user, network and mount namespaces), which is not available here; use --isolation none');
      // A scratch folder of an earlier sdk-test (or run) whose process was killed goes first.
      sweepStaleWorkFolders();
      const scratch = makeScratch();
      const stop = new SdkTestStop(false);
      try {
        const timeoutMs = Number(flags.timeout) * 1000;
        process.stderr.write(`ovc sdk-test: building the ${lang} SDK's vectors integration tests from ${root}${lang === 'python' ? ' (nothing to build)' : ''}\n`);
        const prepared = await stop.unlessStopped(prepare(lang, root, flags, scratch, timeoutMs));
        if (stop.reason || !prepared) { setExit(2); return; }
        if (prepared.go?.downloadError) process.stderr.write(`ovc sdk-test: the module download failed: ${prepared.go.downloadError}\n`);
        const note = prepared.go?.note ?? prepared.java?.note;
        if (note) process.stderr.write(`ovc sdk-test: ${note}${prepared.go?.error ?? prepared.java?.error ? ` — the build failed: ${prepared.go?.error ?? prepared.java?.error}` : ''}\n`);
        process.stderr.write(`ovc sdk-test: running them against ovc serve (${isolation === 'netns' ? 'inside unshare -rnm: loopback only, every name resolves to 127.0.0.1' : 'no network isolation'})\n`);
        if (isolation === 'none') {
          const r = await stop.unlessStopped(runSdkTests(lang, root, flags, prepared, scratch, 'none'));
          if (stop.reason || !r) setExit(2);
          else report(r, json, setExit);
          return;
        }
        scratch.write('build.json', JSON.stringify(prepared));
        const resolvConf = scratch.write('resolv.conf', PRIVATE_RESOLV_CONF);
        const pass = (k: keyof SdkTestFlags, opt: string): string[] => (flags[k] ? [opt, String(flags[k])] : []);
        const inner = runInNamespace(['sdk-test', lang, root, ...pass('go', '--go'), ...pass('python', '--python'), ...pass('java', '--java'), ...pass('gocode', '--gocode'), ...pass('jars', '--jars'), ...pass('build', '--build'),
          '--timeout', flags.timeout, '--isolation', 'inside', '--prepared', scratch.dir, ...(json ? ['--json', json] : [])], resolvConf);
        stop.inner = inner.child;
        const status = await inner.status;
        if (stop.reason) { setExit(2); return; }
        if (status === EXIT_NO_LOOPBACK) throw new UsageError('cannot bring up loopback in the new network namespace (the ip command is needed); use --isolation none');
        if (status === EXIT_NO_BIND_MOUNT) throw new UsageError('cannot bind-mount the private resolv.conf in the new mount namespace; use --isolation none');
        setExit(status ?? 2);
      } finally {
        stop.uninstall();
        scratch.remove();
        if (stop.reason) process.stderr.write(`ovc sdk-test: stopped (${stop.reason}): the SDK's tests were ended, nothing of the run is left.\n`);
      }
    });
}

/**
 * The stop of `ovc sdk-test`: SIGINT, SIGTERM or SIGHUP — and, in the run phase inside the
 * namespaces, the end of the outer command (its pid is no longer this process's parent) — end the
 * SDK's tests with what they started (cli/sdk-test/exec.ts) and the inner command; the scratch
 * folder goes as on any end, and the command exits 2. A second signal exits at once.
 */
class SdkTestStop {
  reason: string | null = null;
  /** The inner command (the run phase inside the namespaces), sent SIGTERM on a stop. */
  inner: ChildProcess | null = null;
  private readonly watch: NodeJS.Timeout | null = null;

  constructor(watchParent: boolean) {
    startToolchains();
    for (const sig of STOP_SIGNALS) process.on(sig, this.onSignal);
    if (watchParent) {
      const parent = process.ppid;
      this.watch = setInterval(() => { if (process.ppid !== parent) this.stop('the outer ovc sdk-test has ended'); }, 500);
      this.watch.unref();
    }
  }

  uninstall(): void {
    for (const sig of STOP_SIGNALS) process.off(sig, this.onSignal);
    if (this.watch) clearInterval(this.watch);
  }

  /** `work`'s result, or null when it failed after a stop: the ended tests' missing results are no finding. */
  unlessStopped<T>(work: Promise<T>): Promise<T | null> {
    return work.catch((e: unknown) => { if (this.reason) return null; throw e; });
  }

  private readonly onSignal = (sig: NodeJS.Signals): void => {
    if (this.reason) process.exit(2);
    this.stop(sig);
  };

  private stop(reason: string): void {
    if (this.reason) return;
    this.reason = reason;
    process.stderr.write(`ovc sdk-test: ${reason}: ending the SDK's tests…\n`);
    stopToolchains();
    this.inner?.kill('SIGTERM');
  }
}
