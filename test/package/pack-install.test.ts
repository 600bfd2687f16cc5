// The published package as a user gets it: `npm pack` of the dist/ test/global-build.ts built from
// these sources (`--ignore-scripts`: `prepack` would rebuild dist/ in place under the other test files
// that run it; publishing runs it as usual), the
// tarball installed into an empty folder once, then every command and subcommand from there — with
// no tsx, no TypeScript sources and no checkout around (DESIGN rule 8): run (embedded, and against an
// `ovc serve --fault`), serve, diff (live vs live, live vs embedded, cassette vs live), pact
// generate|openapi|verify|publish|publish-provider-contract (against the loopback broker stand-in),
// report render|merge|baseline, sign, and each --help. Small --runs and --tags keep it quick.
// Installs with --prefer-offline: the dependencies come from npm's cache when it holds them.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../protocol/signer.ts';
import { HTML_ASSETS } from '../../reports/html-assets.ts';
import { startBrokerStandin, type BrokerStandin } from '../pact/broker-standin.ts';
import { strayPaths } from './dist-scan.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const MAX_TARBALL_BYTES = 5 * 2 ** 20;
const KEY = { accessKeyId: 'pack-test-key', accessKeySecret: 'pack-test-secret' };
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OSS_') && !k.startsWith('OVC_') && !k.startsWith('npm_'))),
  OSS_ACCESS_KEY_ID: KEY.accessKeyId, OSS_ACCESS_KEY_SECRET: KEY.accessKeySecret, PACT_DO_NOT_TRACK: 'true',
};

interface PackFile { path: string; size: number }
let dir: string;
let app: string;
let ovc: string;
let packed: { filename: string; size: number; files: PackFile[] };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ovc-pack-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
  // The JSON array is the last thing printed.
  packed = (JSON.parse(out.slice(out.indexOf('[\n'))) as Array<typeof packed>)[0]!;
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ovc-pack-test', version: '1.0.0', private: true }));
  // Installed by the GitHub Action's own install step (scripts/action-run.sh install), as the
  // action installs it: the tarball into a folder of its own; the step output names the bin.
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  execFileSync('bash', [join(ROOT, 'scripts', 'action-run.sh'), 'install'], {
    cwd: app, stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...ENV, OVC_ACTION_VERSION: join(dir, packed.filename), OVC_ACTION_PREFIX: app, GITHUB_OUTPUT: output, npm_config_prefer_offline: 'true' },
  });
  ovc = /^bin=(.+)$/m.exec(readFileSync(output, 'utf8'))![1]!;
  expect(ovc).toBe(join(app, 'node_modules', '.bin', 'ovc'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the compiled code, the published pact and OpenAPI document, the HTML pages\' CSS and JS, package.json and README only, under 5 MiB', () => {
    expect(packed.size).toBeLessThan(MAX_TARBALL_BYTES);
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/cli/bin.js');
    expect(paths).toContain('dist/suites/vitest.config.js');
    expect(paths.filter((p) => p.endsWith('.suite.js')).length).toBeGreaterThan(5);
    for (const p of paths) expect(p, p).toMatch(/^(dist\/.+\.js|contracts\/pacts\/[^/]+\.json|contracts\/openapi\/[^/]+\.json|reports\/assets\/[^/]+\.(css|js)|package\.json|README\.md)$/);
    expect(paths).toContain('contracts/pacts/ovc-reference-client-oss-vectors.json');
    for (const asset of Object.values(HTML_ASSETS)) expect(paths).toContain(asset);
    expect(existsSync(join(app, 'node_modules', PKG.name, 'dist', 'cli', 'bin.js'))).toBe(true);
    // The build leaves the bin executable, so `npx ovc` also runs it from a checkout (no bin link there).
    expect(statSync(join(ROOT, 'dist', 'cli', 'bin.js')).mode & 0o111).not.toBe(0);
    // No TypeScript runtime: the compiled package runs (and runs its suites) without tsx.
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
  });

  it('the installed dist/ names no path that only exists in a checkout (relative literals and imports stay inside it and exist)', () => {
    const stray = strayPaths(join(app, 'node_modules', PKG.name, 'dist'));
    expect(stray.map((s) => `${s.file}:${s.line} '${s.literal}' ${s.why}`)).toEqual([]);
  });

  it('ovc --version prints the package version', () => {
    const r = spawnSync(ovc, ['--version'], { cwd: app, env: ENV, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it('ovc run --runs 5 passes against the embedded emulator, writes the reports, and writes nothing into the installed package', () => {
    const installed = join(app, 'node_modules', 'oss-vectors-conformance');
    const before = listTree(installed);
    const r = spawnSync(ovc, ['run', '--runs', '5', '--quiet', '--out', 'out'], { cwd: app, env: ENV, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    // vitest's results cache once landed in dist/node_modules/.vite (a global install may be read-only).
    expect(listTree(installed)).toEqual(before);
    const summary = JSON.parse(readFileSync(join(app, 'out', 'summary.json'), 'utf8')) as Record<string, unknown>;
    const counts = summary.counts as { pass: number; fail: number; error: number };
    expect(counts.pass).toBeGreaterThan(0);
    expect(counts.fail + counts.error).toBe(0);
    for (const f of ['results.jsonl', 'junit.xml', 'report.html']) expect(existsSync(join(app, 'out', f)), f).toBe(true);
    // The page carries the installed package's stylesheet and script inline.
    const page = readFileSync(join(app, 'out', 'report.html'), 'utf8');
    for (const asset of [HTML_ASSETS.reportCss, HTML_ASSETS.reportJs]) expect(page).toContain(readFileSync(join(installed, asset), 'utf8'));
  }, 150_000);

  it('ovc pact verify finds the shipped pact by default and verifies it against the embedded emulator', () => {
    const r = spawnSync(ovc, ['pact', 'verify'], { cwd: app, env: ENV, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed, 0 skipped, 0 errors/);
  }, 150_000);

  it('ovc serve starts, answers a signed request, and stops on SIGINT', async () => {
    const child = spawn(ovc, ['serve', '--host', '127.0.0.1', '--port', '0', '--bucket', 'packbucket'], { cwd: app, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const until = Date.now() + 20_000;
      let m: RegExpMatchArray | null = null;
      while (!(m = out.match(/path-style\):\s+http:\/\/127\.0\.0\.1:(\d+)/)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(m, out).not.toBeNull();
      const body = JSON.stringify({ indexName: 'absentIndex' });
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      Object.assign(headers, signRequest({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'packbucket', method: 'POST', query: 'deleteVectorIndex', headers, credentials: KEY }).headers);
      const res = await fetch(`http://127.0.0.1:${m![1]}/packbucket/?deleteVectorIndex`, { method: 'POST', headers, body });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { Error: { Code: string } }).Error.Code).toBe('NoSuchVectorIndex');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});

/** Every path under `dir`, sorted. */
function listTree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** Runs the installed `ovc` (async: a server of this test may answer it meanwhile). */
function ovcAsync(args: string[], env: NodeJS.ProcessEnv = ENV, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ovc, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** No stack trace: a failing command says what is wrong in a sentence, it does not dump its insides. */
function noStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+[(:]\d+/);
  expect(text).not.toMatch(/Error: ENOENT|ERR_MODULE_NOT_FOUND|Cannot find (package|module)/);
}

interface Served { url: string; hook: string; child: ChildProcess }

/** `ovc serve` of the installed package on a free loopback port. */
async function serve(extra: string[]): Promise<Served> {
  const child = spawn(ovc, ['serve', '--host', '127.0.0.1', '--port', '0', ...extra], { cwd: app, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const until = Date.now() + 20_000;
  let m: RegExpMatchArray | null = null;
  while (!(m = out.match(/path-style\):\s+(http:\/\/127\.0\.0\.1:\d+)/)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (!m) { child.kill('SIGKILL'); throw new Error(`ovc serve did not start: ${out}`); }
  return { url: m[1]!, hook: `${m[1]!}/_ovc/provider-states`, child };
}

const TAGS = '204-deleted || 404-no-such-vector-index';
const SMALL = ['--runs', '2', '--seed', '5', '--tags', TAGS, '--quiet'];

describe('every command from the installed package', () => {
  let faithful: Served;
  let faulty: Served;
  let broker: BrokerStandin;
  const BROKER_TOKEN = 'pack-test-broker-token';

  beforeAll(async () => {
    [faithful, faulty] = await Promise.all([serve([]), serve(['--fault', 'status-200-on-delete'])]);
    broker = await startBrokerStandin(({ method, url, body, here }) => {
      if (method === 'GET' && url === '/') {
        return { json: { _links: {
          self: { href: here },
          'pb:publish-contracts': { href: `${here}/contracts/publish` },
          'pf:publish-provider-contract': { href: `${here}/provider-contracts/provider/{provider}/publish`, templated: true },
        } } };
      }
      if (method === 'POST' && url === '/contracts/publish') {
        const b = JSON.parse(body) as { pacticipantName: string; pacticipantVersionNumber: string };
        return { json: {
          notices: [{ type: 'success', text: `Created ${b.pacticipantName} version ${b.pacticipantVersionNumber}` }],
          _embedded: { pacticipant: { name: b.pacticipantName, _links: {} }, version: { number: b.pacticipantVersionNumber, _links: {} } },
          _links: { 'pb:pacticipant': { href: here }, 'pb:pacticipant-version': { href: here }, 'pb:contracts': [] },
        } };
      }
      if (method === 'POST' && url === '/provider-contracts/provider/oss-vectors/publish') {
        const b = JSON.parse(body) as { pacticipantVersionNumber?: string };
        return { json: {
          notices: [{ type: 'success', text: `Published provider contract for oss-vectors version ${b.pacticipantVersionNumber ?? '?'}` }],
          _embedded: { version: { number: b.pacticipantVersionNumber } },
          _links: { 'pb:pacticipant-version-tags': [], 'pf:provider-contract': { href: `${here}/pc` } },
        } };
      }
      return null;
    });
  }, 60_000);

  afterAll(async () => {
    faithful?.child.kill('SIGKILL');
    faulty?.child.kill('SIGKILL');
    await broker?.close();
  });

  it('each command and subcommand answers --help (exit 0, its own usage line)', async () => {
    const commands = [[], ['run'], ['diff'], ['serve'], ['pact'], ['pact', 'generate'], ['pact', 'openapi'], ['pact', 'verify'], ['pact', 'publish'],
      ['pact', 'publish-provider-contract'], ['report'], ['report', 'render'], ['report', 'merge'], ['report', 'baseline'], ['sign']];
    const results = await Promise.all(commands.map((c) => ovcAsync([...c, '--help'])));
    results.forEach((r, i) => {
      const name = ['ovc', ...commands[i]!].join(' ');
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, name).toContain(`Usage: ${name}`);
    });
  }, 60_000);

  it('ovc run against an ovc serve with a fault profile exits 1, against a faithful one 0', async () => {
    const [bad, good] = await Promise.all([
      ovcAsync(['run', '--endpoint', faulty.url, '--state-hook', faulty.hook, ...SMALL, '--out', 'run-faulty']),
      ovcAsync(['run', '--endpoint', faithful.url, '--state-hook', faithful.hook, ...SMALL, '--out', 'run-faithful']),
    ]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/[1-9]\d* failed/);
    expect(good.code, good.stdout + good.stderr).toBe(0);
  }, 120_000);

  it('ovc diff live vs embedded is 0 on a faithful target, live vs live 1 against a fault profile', async () => {
    const [same, differs] = await Promise.all([
      ovcAsync(['diff', '--endpoint', faithful.url, '--state-hook', faithful.hook, '--against', 'embedded', '--seed', '5', '--runs', '2', '--tags', TAGS, '--out', 'diff-embedded']),
      ovcAsync(['diff', '--endpoint', faithful.url, '--state-hook', faithful.hook, '--against', faulty.url, '--against-state-hook', faulty.hook, '--seed', '5', '--runs', '2', '--tags', TAGS, '--out', 'diff-live']),
    ]);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toMatch(/[1-9]\d* same, 0 open, 0 differs/);
    expect(differs.code, differs.stdout + differs.stderr).toBe(1);
    expect(differs.stdout).toMatch(/[1-9]\d* differs/);
    for (const f of ['diff.jsonl', 'diff.md', 'diff.html']) expect(existsSync(join(app, 'diff-live', f)), f).toBe(true);
    expect(readFileSync(join(app, 'diff-live', 'diff.html'), 'utf8')).toContain(readFileSync(join(app, 'node_modules', PKG.name, HTML_ASSETS.diffCss), 'utf8'));
  }, 120_000);

  it('ovc run --record keeps the tags, seed, flags and version in meta.json; ovc diff against that cassette runs the live side with its tags', async () => {
    const rec = await ovcAsync(['run', '--runs', '2', '--seed', '11', '--tags', TAGS, '--quiet', '--out', 'rec-out', '--record', 'rec']);
    expect(rec.code, rec.stdout + rec.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(app, 'rec', 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ format: 'ovc-cassette/1', seed: 11, runs: 2, strict: false, tags: TAGS, ovcVersion: PKG.version });
    expect((meta.flags as Record<string, unknown>).timeoutMs).toBe(15_000);
    const recorded = readFileSync(join(app, 'rec', 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    expect(recorded).toBeGreaterThan(0);
    // No --tags, no --seed: both come from the cassette.
    const d = await ovcAsync(['diff', '--endpoint', faithful.url, '--state-hook', faithful.hook, '--against', 'rec', '--out', 'diff-cassette']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.stderr).toContain('seed 11, runs 2');
    const live = JSON.parse(readFileSync(join(app, 'diff-cassette', 'sides', 'target', 'cassette', 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(live.tags).toBe(TAGS);
    expect(readFileSync(join(app, 'diff-cassette', 'diff.jsonl'), 'utf8').split('\n').filter(Boolean).length).toBe(recorded);
  }, 120_000);

  it('ovc pact generate and ovc pact openapi write (and validate) their documents into the working folder', async () => {
    const [g, o] = await Promise.all([ovcAsync(['pact', 'generate', '--out', 'gen-pacts']), ovcAsync(['pact', 'openapi', '--out', 'gen-openapi'])]);
    expect(g.code, g.stderr).toBe(0);
    expect(o.code, o.stderr).toBe(0);
    expect(readdirSync(join(app, 'gen-pacts'))).toContain('ovc-reference-client-oss-vectors.json');
    const doc = JSON.parse(readFileSync(join(app, 'gen-openapi', 'oss-vectors.openapi.json'), 'utf8')) as { openapi: string; info: { version: string } };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.info.version).toBe(PKG.version);
  }, 60_000);

  it('ovc pact publish verifies the shipped pact, then publishes it to the broker stand-in', async () => {
    broker.reset();
    const r = await ovcAsync(['pact', 'publish', '--broker-url', broker.url, '--consumer-version', '1.2.3', '--branch', 'main'], { ...ENV, PACT_BROKER_TOKEN: BROKER_TOKEN });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const post = broker.seen.find((s) => s.method === 'POST' && s.url === '/contracts/publish');
    expect(post, broker.seen.map((s) => `${s.method} ${s.url}`).join(', ')).toBeDefined();
    expect((JSON.parse(post!.body) as { pacticipantVersionNumber: string }).pacticipantVersionNumber).toBe('1.2.3');
  }, 120_000);

  it('ovc pact publish-provider-contract publishes the shipped OpenAPI document with an ovc run as self-verification', async () => {
    broker.reset();
    expect(existsSync(join(app, 'out', 'results.jsonl')) || (await ovcAsync(['run', '--runs', '2', '--quiet', '--out', 'out'])).code === 0).toBe(true);
    const r = await ovcAsync(['pact', 'publish-provider-contract', '--results', 'out/results.jsonl', '--broker-url', broker.url, '--provider-version', '4.5.6', '--branch', 'main'], { ...ENV, PACT_BROKER_TOKEN: BROKER_TOKEN });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    noStack(r.stderr);
    const post = broker.seen.find((s) => s.method === 'POST' && s.url === '/provider-contracts/provider/oss-vectors/publish');
    expect(post, broker.seen.map((s) => `${s.method} ${s.url}`).join(', ')).toBeDefined();
    const body = JSON.parse(post!.body) as { pacticipantVersionNumber: string; contract: { content: string; selfVerificationResults: { success: boolean; content: string } } };
    expect(body.pacticipantVersionNumber).toBe('4.5.6');
    const shipped = readFileSync(join(app, 'node_modules', PKG.name, 'contracts', 'openapi', 'oss-vectors.openapi.json'), 'utf8');
    expect(Buffer.from(body.contract.content, 'base64').toString('utf8')).toBe(shipped);
    expect(body.contract.selfVerificationResults.success).toBe(true);
    expect((JSON.parse(Buffer.from(body.contract.selfVerificationResults.content, 'base64').toString('utf8')) as { toolVersion: string }).toolVersion).toBe(PKG.version);
  }, 120_000);

  it('ovc report render, merge and baseline work on the runs made here', async () => {
    expect(existsSync(join(app, 'run-faulty', 'results.jsonl'))).toBe(true);
    const [render, merge, baseline] = await Promise.all([
      ovcAsync(['report', 'render', '--from', 'run-faithful', '--out', 'rendered']),
      ovcAsync(['report', 'merge', 'run-faithful', 'run-faulty', '--out', 'merged']),
      ovcAsync(['report', 'baseline', '--from', 'run-faulty', '--out', 'faulty-baseline.yaml']),
    ]);
    expect(render.code, render.stderr).toBe(0);
    expect(existsSync(join(app, 'rendered', 'report.html'))).toBe(true);
    expect(merge.code, merge.stdout + merge.stderr).toBe(1); // one of the merged targets is not conformant
    expect(existsSync(join(app, 'merged', 'matrix.json'))).toBe(true);
    expect(baseline.code, baseline.stderr).toBe(0);
    expect(readFileSync(join(app, 'faulty-baseline.yaml'), 'utf8')).toContain('204');
  }, 60_000);

  it('the GitHub Action\'s run step (scripts/action-run.sh) runs the installed package: exit 1 and exit-code=1 against a fault profile', async () => {
    const output = join(app, 'action-output');
    writeFileSync(output, '');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', [join(ROOT, 'scripts', 'action-run.sh')], { cwd: app, stdio: ['ignore', 'ignore', 'pipe'], env: {
        ...ENV, OVC_BIN: ovc, OVC_ACTION_ENDPOINT: faulty.url, OVC_ACTION_STATE_HOOK: faulty.hook, OVC_ACTION_RUNS: '2', OVC_ACTION_OUT: 'action-reports',
        GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(app, 'action-summary'), GITHUB_ACTIONS: '',
      } });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('exit-code=1\n');
    expect(existsSync(join(app, 'action-reports', 'report.html'))).toBe(true);
  }, 120_000);

  it('ovc sign prints the V4 headers the emulator accepts', async () => {
    const r = await ovcAsync(['sign', '--method', 'POST', '--query', 'deleteVectorIndex', '--bucket', 'ovc-conformance', '-H', 'Content-Type: application/json']);
    expect(r.code, r.stderr).toBe(0);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    for (const line of r.stdout.trim().split('\n')) { const i = line.indexOf(':'); headers[line.slice(0, i)] = line.slice(i + 1).trim(); }
    expect(headers.Authorization ?? headers.authorization).toMatch(/^OSS4-HMAC-SHA256 /);
    const res = await fetch(`${faithful.url}/ovc-conformance/?deleteVectorIndex`, { method: 'POST', headers, body: JSON.stringify({ indexName: 'absentIndex' }) });
    expect(res.status).toBe(404);
  });

  it('bad input and unusable targets: one sentence, exit 2, never a stack trace', async () => {
    const cases: string[][] = [
      ['diff', '--against', 'no-such-cassette'],
      ['pact', 'verify', '--endpoint', 'http://127.0.0.1:9'],
      ['pact', 'publish-provider-contract', '--results', 'no-such-file'],
      ['report', 'merge', 'no-such-run', '--out', 'm2'],
      ['run', '--endpoint', 'http://127.0.0.1:9', '--runs', '1', '--quiet', '--out', 'run-down'],
    ];
    const results = await Promise.all(cases.map((c) => ovcAsync(c)));
    results.forEach((r, i) => {
      const name = cases[i]!.join(' ');
      expect(r.code, `${name}: ${r.stdout}${r.stderr}`).toBe(2);
      noStack(r.stderr);
      expect(r.stderr.trim(), name).not.toBe('');
    });
  }, 60_000);
});
