// The suite's own speed:
//   1. wall time of the default run (`node dist/cli/bin.js run --quiet --out …`, embedded emulator)
//      and how many requests it sends (counted by `ovc serve --client-log`, one line per request);
//   2. checked requests/s of the property phase (`--tags property`) against `ovc serve`, next to
//      a bare undici loop replaying the very same requests (recorded through a proxy in a separate
//      pass, signatures still valid) to the same server at the same concurrency, and again from a
//      fresh Node process to a fresh `ovc serve` (as cold as the suites: bench/lib/replay.ts);
//   3. the scaling curve: property runs sized for about 1k, 10k and 100k requests.
// `--root DIR` runs another checkout's `ovc` (a local experiment on a copy of the suites).
//   npx tsx bench/suite-throughput.ts [--tsx] [--rounds 3] [--concurrency 8] [--sizes 1000,10000,100000] [--skip-scaling] [--skip-default] [--root DIR] [--name suite-throughput]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { flag, numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { bareLoop, coldBareLoop, recordingProxy, runOvc, writeRecorded, type OvcRun } from './lib/replay.ts';
import { startOvcServe, type ChildServer } from './lib/servers.ts';
import { fmt, fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 3));
const CONCURRENCY = numArg('concurrency', 8);
const SIZES = strArg('sizes', '1000,10000,100000').split(',').map(Number);
const BUCKET = 'ovc-conformance';
const RUN_ROOT = strArg('root', ROOT);
const NAME = strArg('name', 'suite-throughput');
// The compiled package's bin, as users run it (`npm run build` first); `--tsx` runs the TypeScript entry.
const OVC = flag('tsx') ? join(RUN_ROOT, 'cli', 'bin', 'ovc.mjs') : join(RUN_ROOT, 'dist', 'cli', 'bin.js');
const ovcRun = (args: string[]): Promise<OvcRun> => runOvc(OVC, RUN_ROOT, args);

interface Logged { requests: number; firstMs: number; lastMs: number; /** request start times, in log order */ times: number[] }

function readClientLog(file: string): Logged {
  const times = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
  return { requests: times.length, firstMs: Math.min(...times), lastMs: Math.max(...times), times };
}

async function withServe<T>(fn: (s: ChildServer, log: string) => Promise<T>): Promise<{ result: T; log: Logged }> {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-bench-log-'));
  const log = join(dir, 'client.jsonl');
  const server = await startOvcServe({ bucket: BUCKET, args: ['--client-log', log], root: RUN_ROOT });
  try {
    const result = await fn(server, log);
    await server.stop();
    return { result, log: readClientLog(log) };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Unpaced: `ovc serve` here has no rate limit, and the bare loop it is compared with is not paced
// either (against any other target `ovc run` paces PutVectorIndex at the documented 5/s).
const endpointArgs = (s: ChildServer, port = s.port) => ['--endpoint', `http://127.0.0.1:${port}`, '--state-hook', `http://127.0.0.1:${s.port}/_ovc/provider-states`, '--put-index-rps', '0'];

async function main(): Promise<void> {
  // 1. The default run, as a user types it (embedded emulator), and its request count.
  console.log('default run (embedded emulator) …');
  const defaults: OvcRun[] = [];
  for (let i = 0; i < (flag('skip-default') ? 0 : ROUNDS); i++) {
    const r = await ovcRun(['--seed', String(100 + i)]);
    rmSync(r.out, { recursive: true, force: true });
    defaults.push(r);
    console.log(`  round ${i + 1}: ${fmt(r.wallMs / 1000, 2)} s wall, ${r.cases} cases, exit ${r.code}`);
  }
  const counted = flag('skip-default') ? null : await withServe((s) => ovcRun(['--seed', '100', ...endpointArgs(s)]));
  if (counted) {
    rmSync(counted.result.out, { recursive: true, force: true });
    console.log(`  the same run against ovc serve: ${counted.log.requests} requests (client log), ${counted.result.cases} cases, ${fmt(counted.result.wallMs / 1000, 2)} s`);
  }

  // 2. Property phase vs a bare loop of the same requests, same server, same concurrency.
  console.log('\nproperty phase vs bare undici loop …');
  const PROP_RUNS = 500;
  const rounds: Array<{ suiteRps: number; suiteWallRps: number; bareRps: number; ratio: number; requests: number; recorded: number; suitesOnlyRps: number; suitesOnlyRequests: number; startGapMs: number; ratioSuitesOnly: number; bareColdClientRps: number; ratioColdClient: number; bareColdRps: number; bareColdCpuMs: number; bareColdStatuses: Record<string, number>; ratioCold: number; ratioColdSuitesOnly: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const seed = String(200 + i);
    // Recording pass (not timed): the requests exactly as the suite sends them.
    const rec = await withServe(async (s) => {
      const proxy = await recordingProxy(s.port);
      try { await ovcRun(['--seed', seed, '--runs', String(PROP_RUNS), '--tags', 'property', ...endpointArgs(s, proxy.port)]); } finally { await proxy.close(); }
      return proxy.recorded;
    });
    const recFile = join(mkdtempSync(join(tmpdir(), 'ovc-bench-rec-')), 'requests.jsonl');
    writeRecorded(recFile, rec.result);
    // Timed pass: the suite straight at the server, then the bare loop at the same server (from
    // this process, warm), then the loop from a fresh Node process at that server (a cold client).
    const timed = await withServe(async (s) => {
      const run = await ovcRun(['--seed', seed, '--runs', String(PROP_RUNS), '--tags', 'property', ...endpointArgs(s)]);
      rmSync(run.out, { recursive: true, force: true });
      const bare = await bareLoop(s.port, rec.result, CONCURRENCY);
      const coldClient = await coldBareLoop(s.port, recFile, CONCURRENCY);
      return { run, bare, coldClient };
    });
    // The same loop as cold as the suites were: a fresh Node process and a fresh `ovc serve` (the
    // loops above run against the server the suites just warmed up).
    const cold = await withServe((s) => coldBareLoop(s.port, recFile, CONCURRENCY));
    rmSync(dirname(recFile), { recursive: true, force: true });
    // The client log holds the suite's requests, then the bare loop's: the suite's come first.
    const suiteRequests = timed.log.requests - rec.result.length;
    const suiteTimes = timed.log.times.slice(0, suiteRequests);
    const suiteRps = (suiteRequests / Math.max(1, Math.max(...suiteTimes) - Math.min(...suiteTimes))) * 1000;
    // The same from the suites' first request: the preflight's requests come from the parent, then
    // nothing while the suite child starts its worker — the longest gap in the log's first half.
    const sorted = [...suiteTimes].sort((a, b) => a - b);
    let cut = 1;
    for (let k = 1; k < sorted.length / 2; k++) if (sorted[k]! - sorted[k - 1]! > sorted[cut]! - sorted[cut - 1]!) cut = k;
    const suitesOnly = sorted.slice(cut);
    const suitesRps = (suitesOnly.length / Math.max(1, suitesOnly.at(-1)! - suitesOnly[0]!)) * 1000;
    const row = { suiteRps, suiteWallRps: (suiteRequests / timed.result.run.wallMs) * 1000, bareRps: timed.result.bare.rps, ratio: suiteRps / timed.result.bare.rps, requests: suiteRequests, recorded: rec.result.length, suitesOnlyRps: suitesRps, suitesOnlyRequests: suitesOnly.length, startGapMs: sorted[cut]! - sorted[cut - 1]!, ratioSuitesOnly: suitesRps / timed.result.bare.rps, bareColdClientRps: timed.result.coldClient.rps, ratioColdClient: suiteRps / timed.result.coldClient.rps, bareColdRps: cold.result.rps, bareColdCpuMs: cold.result.cpuMs, bareColdStatuses: cold.result.statuses, ratioCold: suiteRps / cold.result.rps, ratioColdSuitesOnly: suitesRps / cold.result.rps };
    rounds.push(row);
    console.log(`  round ${i + 1}: suite ${fmt(row.suiteRps)} checked req/s (phase), ${fmt(row.suiteWallRps)} req/s over the whole command; from the suites' first request ${fmt(suitesRps)} req/s (${suitesOnly.length} requests, after a ${fmt(row.startGapMs)} ms gap); bare loop ${fmt(row.bareRps)} req/s; ratio ${fmt(row.ratio, 2)}, from the suites' first request ${fmt(row.ratioSuitesOnly, 2)} (${suiteRequests} requests); from a fresh process at the warmed server ${fmt(row.bareColdClientRps)} req/s (ratio ${fmt(row.ratioColdClient, 2)}); bare loop cold (fresh process, fresh server) ${fmt(row.bareColdRps)} req/s, ratio ${fmt(row.ratioCold, 2)}, from the suites' first request ${fmt(row.ratioColdSuitesOnly, 2)}`);
  }

  // 3. Scaling: property runs sized for ~1k / 10k / 100k requests.
  const perRun = rounds[0]!.requests / PROP_RUNS;
  const scaling: Array<{ targetRequests: number; runs: number; requests: number; wallMs: number; phaseMs: number; usPerRequest: number; cases: number }> = [];
  if (!flag('skip-scaling')) {
    console.log('\nscaling (--tags property) …');
    for (const target of SIZES) {
      const runs = Math.max(1, Math.round(target / perRun));
      const m = await withServe((s) => ovcRun(['--seed', '300', '--runs', String(runs), '--tags', 'property', ...endpointArgs(s)]));
      rmSync(m.result.out, { recursive: true, force: true });
      const phaseMs = m.log.lastMs - m.log.firstMs;
      scaling.push({ targetRequests: target, runs, requests: m.log.requests, wallMs: m.result.wallMs, phaseMs, usPerRequest: (phaseMs * 1000) / m.log.requests, cases: m.result.cases });
      console.log(`  --runs ${runs}: ${m.log.requests} requests, ${m.result.cases} cases, ${fmt(m.result.wallMs / 1000, 1)} s wall, ${fmt((phaseMs * 1000) / m.log.requests)} µs per request in the phase`);
    }
  }

  const wall = summarize(defaults.map((d) => d.wallMs / 1000));
  const requestsCounted = counted?.log.requests ?? NaN;
  const ratio = summarize(rounds.map((r) => r.ratio));
  console.log(`\nmedian of ${ROUNDS} rounds:\n`);
  console.log(table(['measure', 'median (min–max, spread)', 'target'], [
    ['default run wall time, s', fmtSummary(wall, 2), `< 10 s: ${wall.median < 10 ? 'met' : 'NOT met'}`],
    ['default run requests (ovc serve client log)', String(requestsCounted), `≥ 2000: ${requestsCounted >= 2000 ? 'met' : 'NOT met'}`],
    ['default run cases', String(defaults[0]?.cases ?? ''), ''],
    ['property phase, checked req/s', fmtSummary(summarize(rounds.map((r) => r.suiteRps))), ''],
    ['same, from the suites\' first request (after the child\'s start-up gap)', fmtSummary(summarize(rounds.map((r) => r.suitesOnlyRps))), ''],
    ['bare undici loop, same requests, req/s', fmtSummary(summarize(rounds.map((r) => r.bareRps))), `concurrency ${CONCURRENCY}`],
    ['ratio suite / bare', fmtSummary(ratio, 2), `≥ 0.5: ${ratio.median >= 0.5 ? 'met' : 'NOT met'}`],
    ['same, from the suites\' first request', fmtSummary(summarize(rounds.map((r) => r.ratioSuitesOnly)), 2), ''],
    ['bare undici loop from a fresh process, warmed server, req/s', fmtSummary(summarize(rounds.map((r) => r.bareColdClientRps))), 'a cold client only'],
    ['ratio suite / that loop', fmtSummary(summarize(rounds.map((r) => r.ratioColdClient)), 2), ''],
    ['bare undici loop cold (fresh process, fresh ovc serve), req/s', fmtSummary(summarize(rounds.map((r) => r.bareColdRps))), 'as cold as the suites'],
    ['ratio suite / cold bare loop', fmtSummary(summarize(rounds.map((r) => r.ratioCold)), 2), ''],
    ['same, from the suites\' first request', fmtSummary(summarize(rounds.map((r) => r.ratioColdSuitesOnly)), 2), ''],
  ]));
  const bareMedian = summarize(rounds.map((r) => r.bareRps)).median;
  const marginals: Array<{ from: number; to: number; rps: number; ratioToBare: number; wallMsPerRequest: number }> = [];
  if (scaling.length) {
    console.log('\nscaling:\n');
    console.log(table(['target requests', '--runs', 'requests', 'cases', 'wall s', 'µs/request (phase)'], scaling.map((s) => [s.targetRequests, s.runs, s.requests, s.cases, fmt(s.wallMs / 1000, 1), fmt(s.usPerRequest)])));
    const lin = scaling[scaling.length - 1]!.usPerRequest / scaling[0]!.usPerRequest;
    console.log(`µs per request at ${scaling[scaling.length - 1]!.requests} vs ${scaling[0]!.requests} requests: × ${fmt(lin, 2)} (1.0 = proportional; below 1: fixed costs amortised, nothing grows faster than the request count)`);
    for (let i = 1; i < scaling.length; i++) {
      const a = scaling[i - 1]!;
      const b = scaling[i]!;
      const marginal = ((b.requests - a.requests) / (b.phaseMs - a.phaseMs)) * 1000;
      marginals.push({ from: a.requests, to: b.requests, rps: marginal, ratioToBare: marginal / bareMedian, wallMsPerRequest: (b.wallMs - a.wallMs) / (b.requests - a.requests) });
      console.log(`marginal rate ${a.requests} → ${b.requests} requests: ${fmt(marginal)} checked req/s (phase), ${fmt((b.wallMs - a.wallMs) / (b.requests - a.requests), 3)} ms wall per request; vs the bare loop's ${fmt(bareMedian)} req/s: ${fmt(marginal / bareMedian, 2)}`);
    }
  }
  console.log(`\nwritten ${writeResult(NAME, {
    settings: { rounds: ROUNDS, concurrency: CONCURRENCY, propertyRuns: PROP_RUNS, sizes: SIZES, root: RUN_ROOT === ROOT ? '.' : RUN_ROOT },
    defaultRun: { wallSeconds: wall, cases: defaults.map((d) => d.cases), exitCodes: defaults.map((d) => d.code), requestsCounted, casesCounted: counted?.result.cases ?? null },
    propertyPhase: { suiteRps: summarize(rounds.map((r) => r.suiteRps)), suiteWallRps: summarize(rounds.map((r) => r.suiteWallRps)), bareRps: summarize(rounds.map((r) => r.bareRps)), ratio, bareColdClientRps: summarize(rounds.map((r) => r.bareColdClientRps)), ratioColdClient: summarize(rounds.map((r) => r.ratioColdClient)), bareColdRps: summarize(rounds.map((r) => r.bareColdRps)), ratioCold: summarize(rounds.map((r) => r.ratioCold)), ratioColdSuitesOnly: summarize(rounds.map((r) => r.ratioColdSuitesOnly)), rounds },
    scaling,
    marginals,
    targets: { defaultWallUnder10s: wall.median < 10, atLeast2000Requests: requestsCounted >= 2000, ratioAtLeast05: ratio.median >= 0.5 },
  })}`);
}

await main();
