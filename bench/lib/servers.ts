// The servers the benchmarks drive, each in its own child process so the load generator never
// shares an event loop (or a V8 heap) with the server it measures. Loopback only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './report.ts';

export interface ChildServer {
  kind: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything the child wrote on stderr (kept for error messages). */
  stderr(): string;
  /** What it wrote on stdout (`ovc serve` only: its banner). */
  stdout?: () => string;
  /** SIGINT (graceful; lets --cpu-prof write its file), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Throwaway identity of the benchmark servers (not a secret: it only exists on loopback). */
export const BENCH_KEY = { accessKeyId: 'bench-key', accessKeySecret: 'bench-secret' } as const;
export const BENCH_REGION = 'cn-hangzhou';
export const BENCH_ACCOUNT = '1234567890';

function wrap(kind: string, child: ChildProcess, port: number, err: () => string): ChildServer {
  let exited: Promise<number | null> | null = null;
  const exitPromise = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    kind, port, pid: child.pid!, child, stderr: err,
    stop: (graceMs = 5000) => {
      exited ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGINT');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exitPromise;
        clearTimeout(t);
        return code;
      })();
      return exited;
    },
  };
}

function collect(child: ChildProcess): () => string {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { if (err.length < 64 * 1024) err += d.toString(); });
  return () => err;
}

/** Resolves with the first capture of `re` in the child's stdout. */
function waitForLine(child: ChildProcess, re: RegExp, what: string, err: () => string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms\n${err()}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited with ${code} before it was ready\n${err()}`)); });
  });
}

export interface ServeOptions {
  bucket?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  /** Extra `ovc serve` flags, e.g. ['--fault', 'xml-errors']. */
  args?: string[];
  /** Run this checkout's `ovc` from another tree (local experiments on a copy of the emulator). */
  root?: string;
  /** Environment overrides (e.g. other credentials); the default identity is BENCH_KEY. */
  env?: Record<string, string>;
  /** 'dist' (default): the compiled package, as a user runs `ovc`; 'tsx': the TypeScript sources through tsx (cli/bin/ovc.mjs). */
  entry?: 'dist' | 'tsx';
}

/** The `ovc` entry of a checkout: dist/cli/bin.js (the published bin) or the tsx development entry. */
export function ovcEntry(root: string, entry: 'dist' | 'tsx'): string {
  if (entry === 'tsx') return join(root, 'cli', 'bin', 'ovc.mjs');
  const file = join(root, 'dist', 'cli', 'bin.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` in ${root}`);
  return file;
}

/** Compiles a checkout to dist/ (`npm run build`), so a bench never measures a stale build. */
export function build(root: string = ROOT): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

/** `ovc serve` as a user runs it: `node dist/cli/bin.js serve --host 127.0.0.1 --port 0 …` (or through tsx). */
export async function startOvcServe(o: ServeOptions = {}): Promise<ChildServer> {
  const root = o.root ?? ROOT;
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), ovcEntry(root, o.entry ?? 'dist'), 'serve', '--host', '127.0.0.1', '--port', '0', '--bucket', o.bucket ?? 'examplebucket', ...(o.args ?? [])], {
    cwd: root,
    env: { ...process.env, OSS_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, OSS_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret, OSS_SESSION_TOKEN: '', OVC_DENIED_ACCESS_KEY_ID: '', OVC_DENIED_ACCESS_KEY_SECRET: '', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err = collect(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { if (out.length < 64 * 1024) out += d.toString(); });
  const port = Number(await waitForLine(child, /endpoint \(path-style\):\s+http:\/\/127\.0\.0\.1:(\d+)/, 'ovc serve', err));
  return { ...wrap('emulator', child, port, err), stdout: () => out };
}

const BARE_SERVER = `
import { createServer } from 'node:http';
const burnUs = Number(process.env.BARE_BURN_US ?? 0);
const server = createServer((req, res) => { req.resume(); req.on('end', () => {
  if (burnUs > 0) { const t = performance.now(); while (performance.now() - t < burnUs / 1000); }
  res.writeHead(204); res.end();
}); });
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGINT', () => server.close(() => process.exit(0)) && server.closeAllConnections());
`;

/** The floor: node:http that reads the body and answers 204, nothing else (optionally after `burnUs` of busy CPU). */
export async function startBare(nodeArgs: string[] = [], burnUs = 0): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--input-type=module', '-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BARE_BURN_US: String(burnUs) } });
  const err = collect(child);
  const port = Number(await waitForLine(child, /listening (\d+)/, 'bare node:http server', err));
  return wrap('bare', child, port, err);
}

const BARE_V4_SERVER = `
import { createServer } from 'node:http';
const { verifyRequest } = await import(process.env.VERIFIER_URL);
const key = JSON.parse(process.env.BENCH_IDENTITY);
const bucket = process.env.BENCH_BUCKET;
const pairs = (raw) => { const out = []; for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]); return out; };
const verifies = (req) => verifyRequest({ method: req.method, query: req.url.slice(req.url.indexOf('?') + 1), headers: pairs(req.rawHeaders),
  region: process.env.BENCH_REGION, accountId: process.env.BENCH_ACCOUNT, bucket,
  lookupSecret: (id) => (id === key.accessKeyId ? key.accessKeySecret : undefined), now: new Date() }).ok;
const server = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(verifies(req) ? 204 : 403); res.end(); }); });
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGINT', () => server.close(() => process.exit(0)) && server.closeAllConnections());
`;

/**
 * The bare server plus the emulator's own V4 verifier (compiled, from `root`'s dist/), as plain
 * JavaScript: no loader in the process. 204 when the signature holds for `bucket`, else 403.
 */
export async function startBareV4(bucket: string, root: string = ROOT): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE_V4_SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VERIFIER_URL: pathToFileURL(join(root, 'dist', 'protocol', 'verifier.js')).href, BENCH_IDENTITY: JSON.stringify(BENCH_KEY), BENCH_REGION, BENCH_ACCOUNT, BENCH_BUCKET: bucket },
  });
  const err = collect(child);
  const port = Number(await waitForLine(child, /listening (\d+)/, 'bare+v4 server', err));
  return wrap('bare+v4', child, port, err);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string, err: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}\n${err()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms\n${err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pact stub server binary itself (not the npm wrapper, which would outlive a kill). */
export function stubServerBinary(): string {
  const require = createRequire(join(ROOT, 'package.json'));
  const standalone = require('@pact-foundation/pact-cli/src/pact-standalone') as { standalone: () => { pactFullPath: string } };
  return standalone.standalone().pactFullPath;
}

/**
 * pact's stub server serving a pact file (`pact stub -f FILE -p PORT`, what `pact-stub-server`
 * runs); with `providerState`, only the interactions whose provider state matches that regular
 * expression (`-s`).
 */
export async function startStub(pactFile: string, providerState?: string): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(stubServerBinary(), ['stub', '-f', pactFile, '-p', String(port), ...(providerState ? ['-s', providerState] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const err = collect(child);
  child.stdout?.resume();
  await waitForPort(port, child, 'pact stub server', err);
  return wrap('stub', child, port, err);
}

/** Resident set size of a process in KiB, from /proc/<pid>/status (Linux). */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

/** CPU time of a process in ms split into user and system (kernel) time, from /proc/<pid>/stat. */
export function cpuSplitMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / 100, system: (Number(fields[12]) * 1000) / 100 };
}

/** bench/lib/layer-server.ts with one handler variant (node:http plus some of the emulator's layers), through tsx. */
export async function startLayerServer(variant: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', join(ROOT, 'bench', 'lib', 'layer-server.ts'), variant], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const err = collect(child);
  const port = Number(await waitForLine(child, /listening (\d+)/, `layer server ${variant}`, err));
  return wrap(variant, child, port, err);
}
