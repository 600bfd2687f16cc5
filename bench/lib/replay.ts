// Requests as the suites send them, recorded once and replayed by a bare undici loop: the
// property phase's floor (bench:suite) and the cold server's load (bench:cold-serve).
//   recordingProxy — a proxy in front of a server that keeps every request as sent;
//   bareLoop       — the recorded requests sent from this process, `width` in flight, optionally
//                    paced to a request rate (the suites' own rate, so a server sees the same
//                    arrival pattern);
//   coldBareLoop   — the same loop in a fresh Node process: a client as cold as the suites'.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { ROOT } from './report.ts';
import { BENCH_KEY, startOvcServe } from './servers.ts';

/** The benchmarks' throwaway identity for `ovc run`, nothing of the caller's own. */
const OVC_ENV = { OSS_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, OSS_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret, OSS_SESSION_TOKEN: '', OVC_DENIED_ACCESS_KEY_ID: '', OVC_DENIED_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

export interface OvcRun { code: number | null; wallMs: number; cases: number; out: string }

/** `node OVC run --quiet --out TMP …args` in `root`, timed from spawn to exit (the caller removes `out`). */
export function runOvc(ovc: string, root: string, args: string[]): Promise<OvcRun> {
  const out = mkdtempSync(join(tmpdir(), 'ovc-bench-run-'));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ovc, 'run', '--quiet', '--out', out, ...args], { cwd: root, env: { ...process.env, ...OVC_ENV }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { if (err.length < 20_000) err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      let cases = 0;
      try { cases = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).length; } catch { /* none written */ }
      if (code !== 0) process.stderr.write(`ovc run ${args.join(' ')} exited ${code}\n${err.slice(-2000)}\n`);
      resolve({ code, wallMs, cases, out });
    });
  });
}

export interface Recorded { method: string; path: string; headers: Record<string, string>; body: Buffer }
export interface LoopResult { rps: number; ms: number; statuses: Record<string, number> }

const HOP = /^(connection|keep-alive|transfer-encoding)$/i;

/** A recording proxy in front of `upstream`: keeps every request as sent, forwards it unchanged. */
export async function recordingProxy(upstream: number): Promise<{ port: number; recorded: Recorded[]; close(): Promise<void> }> {
  const recorded: Recorded[] = [];
  const agent = new Agent({ connections: 64 });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
      const r: Recorded = { method: req.method!, path: req.url!, headers, body: Buffer.concat(chunks) };
      recorded.push(r);
      const forward = Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP.test(k)));
      request(`http://127.0.0.1:${upstream}${r.path}`, { method: r.method as 'POST', headers: forward, body: r.body.length ? r.body : undefined, dispatcher: agent })
        .then(async (up) => {
          const body = Buffer.from(await up.body.arrayBuffer());
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP.test(k)) h[k] = v;
          res.writeHead(up.statusCode, h).end(body);
        })
        .catch(() => { res.destroy(); });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, recorded, close: async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); await agent.close(); } };
}

// The loop itself, as plain JavaScript so a fresh process runs it without a loader: the same code
// in this process (bareLoop) and in a cold one (coldBareLoop).
const LOOP = `
async function loop(request, Agent, port, reqs, width, rate) {
  const agent = new Agent({ connections: width, pipelining: 1 });
  const statuses = {};
  const skip = /^(connection|keep-alive|transfer-encoding|host)$/i;
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < reqs.length) {
      const i = next++;
      const r = reqs[i];
      if (rate > 0) { const due = t + (i * 1000) / rate - performance.now(); if (due > 1) await new Promise((ok) => setTimeout(ok, due)); }
      const headers = {};
      for (const k of Object.keys(r.headers)) if (!skip.test(k)) headers[k] = r.headers[k];
      const res = await request('http://127.0.0.1:' + port + r.path, { method: r.method, headers, body: r.body.length ? r.body : undefined, dispatcher: agent });
      await res.body.arrayBuffer();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  }));
  const ms = performance.now() - t;
  await agent.close();
  return { rps: (reqs.length / ms) * 1000, ms, statuses };
}`;

const loop = new Function(`${LOOP}; return loop;`)() as (req: typeof request, A: typeof Agent, port: number, reqs: Recorded[], width: number, rate: number) => Promise<LoopResult>;

/** Sends the recorded requests with `width` in flight (paced to `rate` requests/s when > 0), from this process. */
export function bareLoop(port: number, reqs: Recorded[], width: number, rate = 0): Promise<LoopResult> {
  return loop(request, Agent, port, reqs, width, rate);
}

/** Writes recorded requests to a file (one JSON line each, bodies in base64) for a fresh process to replay. */
export function writeRecorded(file: string, reqs: readonly Recorded[]): void {
  writeFileSync(file, reqs.map((r) => JSON.stringify({ method: r.method, path: r.path, headers: r.headers, body: r.body.toString('base64') })).join('\n'));
}

/**
 * The bare loop in a fresh Node process (undici from this checkout, no loader): the client is as
 * cold as the suites' own. Resolves with the loop's rate and the process's CPU in all.
 */
export function coldBareLoop(port: number, file: string, width: number, rate = 0): Promise<LoopResult & { cpuMs: number }> {
  const undici = undiciUrl();
  const script = `
import { readFileSync } from 'node:fs';
const { request, Agent } = (await import(${JSON.stringify(undici)})).default ?? await import(${JSON.stringify(undici)});
${LOOP}
const reqs = readFileSync(process.env.REPLAY_FILE, 'utf8').split('\\n').filter(Boolean).map((l) => { const r = JSON.parse(l); r.body = Buffer.from(r.body, 'base64'); return r; });
const out = await loop(request, Agent, Number(process.env.REPLAY_PORT), reqs, Number(process.env.REPLAY_WIDTH), Number(process.env.REPLAY_RATE));
const u = process.cpuUsage();
console.log(JSON.stringify({ ...out, cpuMs: (u.user + u.system) / 1000 }));
`;
  return runScript(script, { REPLAY_FILE: file, REPLAY_PORT: String(port), REPLAY_WIDTH: String(width), REPLAY_RATE: String(rate) }, 'the cold bare loop');
}

/** undici's entry in this checkout, as a URL a fresh process imports. */
export function undiciUrl(): string {
  return pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('undici')).href;
}

/** Runs an ES module `script` in a fresh Node process with `env` added; resolves with the JSON of its last line of output. */
export function runScript<T>(script: string, env: Record<string, string>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { if (err.length < 20_000) err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${what} exited ${code}\n${err}`));
      try { resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T); } catch (e) { reject(new Error(`${what} printed no result: ${out}\n${err}`, { cause: e })); }
    });
  });
}

/**
 * The property phase's requests as the suites send them: `ovc run --tags 'property && !lifecycle'
 * --runs RUNS --seed 500` (this checkout's dist/) through a recording proxy in front of a fresh
 * `ovc serve`, states set through its hook (not recorded).
 */
export async function recordPropertyPhase(runs: number, bucket = 'ovc-conformance'): Promise<Recorded[]> {
  const server = await startOvcServe({ bucket });
  const proxy = await recordingProxy(server.port);
  try {
    const r = await runOvc(join(ROOT, 'dist', 'cli', 'bin.js'), ROOT, ['--seed', '500', '--runs', String(runs), '--tags', 'property && !lifecycle', '--endpoint', `http://127.0.0.1:${proxy.port}`, '--state-hook', `http://127.0.0.1:${server.port}/_ovc/provider-states`, '--put-index-rps', '0']);
    rmSync(r.out, { recursive: true, force: true });
    if (r.code !== 0) throw new Error(`the recording run exited ${r.code}`);
    return proxy.recorded;
  } finally {
    await proxy.close();
    await server.stop();
  }
}
