// The published package as a user gets it: `npm pack` (which builds dist/ through `prepack`), the
// tarball installed into an empty folder, then `ovc --version`, `ovc run --runs 5` and `ovc serve`
// (start, one signed request, stop) from there — with no tsx and no TypeScript sources installed.
// Installs with --prefer-offline: the dependencies come from npm's cache when it holds them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../protocol/signer.ts';

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
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
  // `prepack` output may precede the JSON; the JSON array is the last thing printed.
  packed = (JSON.parse(out.slice(out.indexOf('[\n'))) as Array<typeof packed>)[0]!;
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ovc-pack-test', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', join(dir, packed.filename)], { cwd: app, env: ENV, stdio: ['ignore', 'inherit', 'inherit'] });
  ovc = join(app, 'node_modules', '.bin', 'ovc');
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the compiled code, the published pact and OpenAPI document, package.json and README only, under 5 MiB', () => {
    expect(packed.size).toBeLessThan(MAX_TARBALL_BYTES);
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/cli/bin.js');
    expect(paths).toContain('dist/suites/vitest.config.js');
    expect(paths.filter((p) => p.endsWith('.suite.js')).length).toBeGreaterThan(5);
    for (const p of paths) expect(p, p).toMatch(/^(dist\/.+\.js|contracts\/pacts\/[^/]+\.json|contracts\/openapi\/[^/]+\.json|package\.json|README\.md)$/);
    expect(paths).toContain('contracts/pacts/ovc-reference-client-oss-vectors.json');
    expect(existsSync(join(app, 'node_modules', PKG.name, 'dist', 'cli', 'bin.js'))).toBe(true);
    // The build leaves the bin executable, so `npx ovc` also runs it from a checkout (no bin link there).
    expect(statSync(join(ROOT, 'dist', 'cli', 'bin.js')).mode & 0o111).not.toBe(0);
    // No TypeScript runtime: the compiled package runs (and runs its suites) without tsx.
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
  });

  it('ovc --version prints the package version', () => {
    const r = spawnSync(ovc, ['--version'], { cwd: app, env: ENV, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it('ovc run --runs 5 passes against the embedded emulator and writes the reports', () => {
    const r = spawnSync(ovc, ['run', '--runs', '5', '--quiet', '--out', 'out'], { cwd: app, env: ENV, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const summary = JSON.parse(readFileSync(join(app, 'out', 'summary.json'), 'utf8')) as Record<string, unknown>;
    const counts = summary.counts as { pass: number; fail: number; error: number };
    expect(counts.pass).toBeGreaterThan(0);
    expect(counts.fail + counts.error).toBe(0);
    for (const f of ['results.jsonl', 'junit.xml', 'report.html']) expect(existsSync(join(app, 'out', f)), f).toBe(true);
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
