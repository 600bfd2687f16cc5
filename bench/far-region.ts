// The default `ovc run` against a far region: the emulator in the cloud-like profile with a
// cross-region round trip (what `ovc serve --realistic --latency-ms 150-250` serves: 150–250 ms
// before each answer, 200–1500 ms transitions, 5 PutVectorIndex/s), with the state hook and a
// second bucket. The emulator runs in this process (the same server `ovc serve` starts), wrapped
// to count what reaches it; the run is the compiled bin (`npx ovc run`), spawned.
//
// Reported per run: wall, requests, requests in flight on average (requests × median latency ÷
// wall), the time each suite took (the sum of its tests' times: a file's tests run one after
// another), throttled answers — beside the floor the service's own limits allow:
//   max(PutVectorIndex count ÷ 5/s, the longest chain of transitions)
// where the chain is the longest lifecycle sequence (its commands go one after another, each
// create and delete waiting out its transition), as a ratio wall ÷ floor.
//   npx tsx bench/far-region.ts [--rounds 1] [--workers N] [--concurrency N] [--throttle-rps N] [--put-index-rps N] [--runs 500]
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulatorInstance } from '../emulator/index.ts';
import { numArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { median } from './lib/stats.ts';

const ROUNDS = numArg('rounds', 1);
const WORKERS = numArg('workers', 0);
const CONCURRENCY = numArg('concurrency', 0);
const THROTTLE_RPS = numArg('throttle-rps', 0);
const PUT_INDEX_RPS = numArg('put-index-rps', 0);
const RUNS = numArg('runs', 500);
const DOCUMENTED_PUT_INDEX_RPS = 5;
const BUCKETS = ['ovc-conformance', 'ovc-far-b2'];
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
if (!existsSync(BIN)) throw new Error('dist/ is missing: npm run build first');

interface Seen { op: string; ms: number; status: number }

interface Sample {
  wallMs: number; code: number | null; requests: number; putIndex: number; putIndex503: number; throttled: number;
  medianLatencyMs: number; inFlightAvg: number; suites: Record<string, number>; longestTests: Array<[string, number]>; longestChainMs: number;
  floorMs: number; ratio: number; ops: Record<string, number>; timingLine: string; summaryLine: string; chose: string; loadavg1: number;
}

async function once(): Promise<Sample> {
  const instance = createEmulatorInstance({ realistic: true, latencyMs: [150, 250], buckets: BUCKETS, stateHook: true, ...(THROTTLE_RPS ? { throttleRps: THROTTLE_RPS } : {}) });
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const query = (req.url ?? '').split('?')[1] ?? '';
    const op = req.url?.startsWith('/_ovc/') ? 'hook' : (query.split('&')[0]!.split('=')[0] || `${req.method} /`);
    res.on('finish', () => { seen.push({ op, ms: performance.now() - t0, status: res.statusCode }); });
    instance.handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = mkdtempSync(join(tmpdir(), 'ovc-bench-far-'));
  const args = [BIN, 'run', '--endpoint', url, '--state-hook', `${url}/_ovc/provider-states`, '--other-bucket', BUCKETS[1]!, '--runs', String(RUNS), '--out', out,
    ...(WORKERS ? ['--workers', String(WORKERS)] : []), ...(CONCURRENCY ? ['--concurrency', String(CONCURRENCY)] : []), ...(PUT_INDEX_RPS ? ['--put-index-rps', String(PUT_INDEX_RPS)] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OSS_ACCESS_KEY_ID: 'ovc-test-key', OSS_ACCESS_KEY_SECRET: 'ovc-test-secret', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wallMs = performance.now() - started;
  await new Promise<void>((r) => server.close(() => r()));
  await instance.close();

  // Each test's time from the progress lines; a suite's time is the sum of its tests'.
  const suites: Record<string, number> = {};
  const tests: Array<[string, number]> = [];
  for (const m of stderr.matchAll(/^ {2}[✓✗-] ((.+?) > .*) \((\d+) ms\)$/gmu)) {
    suites[m[2]!] = (suites[m[2]!] ?? 0) + Number(m[3]);
    tests.push([m[1]!, Number(m[3])]);
  }
  tests.sort((a, b) => b[1] - a[1]);
  const api = seen.filter((s) => s.op !== 'hook');
  const putIndex = api.filter((s) => s.op === 'putVectorIndex');
  const resultsFile = join(out, 'results.jsonl');
  const results = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; durationMs: number; outcome: string }) : [];
  const bad = results.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  if (bad.length) process.stderr.write(`  ${bad.length} failing/error case(s): ${bad.slice(0, 3).map((r) => r.id).join(', ')}\n`);
  const longestChainMs = Math.max(0, ...results.filter((r) => r.id.startsWith('delete-vector-index/lifecycle/sequence')).map((r) => r.durationMs));
  rmSync(out, { recursive: true, force: true });
  const medianLatencyMs = median(api.map((s) => s.ms));
  const floorMs = Math.max((putIndex.length / DOCUMENTED_PUT_INDEX_RPS) * 1000, longestChainMs);
  return {
    wallMs, code, requests: api.length, putIndex: putIndex.length, putIndex503: putIndex.filter((s) => s.status === 503).length,
    throttled: api.filter((s) => s.status === 503 || s.status === 429).length,
    ops: Object.fromEntries([...new Set(seen.map((x) => x.op))].map((o) => [o, seen.filter((x) => x.op === o).length])),
    medianLatencyMs, inFlightAvg: (api.length * medianLatencyMs) / wallMs, suites, longestTests: tests.slice(0, 12), longestChainMs, floorMs, ratio: wallMs / floorMs,
    timingLine: /^timing: .*$/m.exec(stdout)?.[0] ?? '', summaryLine: /^\d+ passed.*$/m.exec(stdout)?.[0] ?? '',
    chose: /^ovc: \d+ worker.*$/m.exec(stderr)?.[0] ?? '', loadavg1: loadavg()[0]!,
  };
}

const samples: Sample[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const s = await once();
  samples.push(s);
  process.stderr.write(`round ${r + 1}/${ROUNDS}: exit ${s.code}, ${(s.wallMs / 1000).toFixed(1)} s wall, ${s.requests} requests (${s.putIndex} PutVectorIndex, ${s.throttled} throttled), ${s.inFlightAvg.toFixed(1)} in flight on average; floor ${(s.floorMs / 1000).toFixed(1)} s → ${s.ratio.toFixed(2)}× (load average ${s.loadavg1.toFixed(1)})\n  ${s.chose}\n  ${s.timingLine}\n  ${s.summaryLine}\n`);
}
// The round with the median wall (its other figures are that round's).
const s = [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((samples.length - 1) / 2)]!;
const f = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
process.stdout.write(`${table(['figure', 'value'], [
  ['wall', f(s.wallMs)], ['requests', s.requests], ['median latency', `${s.medianLatencyMs.toFixed(0)} ms`], ['in flight on average', s.inFlightAvg.toFixed(1)],
  ['PutVectorIndex', `${s.putIndex} (${s.putIndex503} answered 503)`], ['throttled answers (503/429)', s.throttled],
  ['floor: PutVectorIndex ÷ 5/s', f((s.putIndex / DOCUMENTED_PUT_INDEX_RPS) * 1000)], ['floor: longest chain (lifecycle sequence)', f(s.longestChainMs)],
  ['wall ÷ floor', `${s.ratio.toFixed(2)}×`], ['exit', String(s.code)],
])}\n\n${table(['suite', 'time (sum of its tests)'], Object.entries(s.suites).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, f(v)]))}\n\n${table(['longest tests', 'time'], s.longestTests.map(([k, v]) => [k, f(v)]))}\n`);
const name = THROTTLE_RPS ? 'far-region-throttled' : WORKERS === 1 && CONCURRENCY === 1 ? 'far-region-serial' : 'far-region';
writeResult(name, { rounds: ROUNDS, workers: WORKERS || 'auto', concurrency: CONCURRENCY || 'auto', throttleRps: THROTTLE_RPS, putIndexRps: PUT_INDEX_RPS || 'default', samples });
