// A server's cost from its first request, as `ovc run` meets it: the property phase's requests
// (`ovc run --tags 'property && !lifecycle'`, recorded once through a proxy) replayed several times
// in a row to a fresh server process, paced at about the suites' own rate with the suites'
// concurrency; server CPU per request for each pass from /proc/<pid>/stat (all threads, so V8's
// background compilation counts). Three servers, each a fresh process every round, in rotating order:
//   bare     — node:http reading the body and answering 204;
//   bare+v4  — the same plus the emulator's V4 verifier (dist/);
//   emulator — `node dist/cli/bin.js serve`, as users start it.
// Pass 1 is what a run pays (every `ovc run` starts a fresh embedded emulator); the last pass is
// the settled cost bench:serve-process measures after its 10-s warm-up.
//   npx tsx bench/cold-serve.ts [--rounds 3] [--passes 4] [--runs 500] [--rate 1000] [--concurrency 8] [--no-build] [--name cold-serve]
import { flag, numArg, strArg } from './lib/cli.ts';
import { rotatedRound } from './lib/load.ts';
import { table, writeResult } from './lib/report.ts';
import { bareLoop, recordPropertyPhase, type Recorded } from './lib/replay.ts';
import { build, cpuMs, startBare, startBareV4, startOvcServe, type ChildServer } from './lib/servers.ts';
import { fmt, fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 3));
const PASSES = Math.max(2, numArg('passes', 4));
const RUNS = numArg('runs', 500);
const RATE = numArg('rate', 1000);
const CONCURRENCY = numArg('concurrency', 8);
const BUCKET = 'ovc-conformance';
const KINDS = ['bare', 'bare+v4', 'emulator'] as const;
type Kind = (typeof KINDS)[number];

const start: Record<Kind, () => Promise<ChildServer>> = {
  bare: () => startBare(),
  'bare+v4': () => startBareV4(BUCKET),
  emulator: () => startOvcServe({ bucket: BUCKET, args: ['--no-state-hook'] }),
};

interface Passes { startupCpuMs: number; usPerRequest: number[]; rps: number[]; statuses: Array<Record<string, number>> }

/** A fresh server of `kind`, the recorded requests replayed PASSES times; CPU per request per pass. */
async function measure(kind: Kind, reqs: Recorded[]): Promise<Passes> {
  const s = await start[kind]();
  try {
    const out: Passes = { startupCpuMs: cpuMs(s.pid), usPerRequest: [], rps: [], statuses: [] };
    for (let p = 0; p < PASSES; p++) {
      const c0 = cpuMs(s.pid);
      const m = await bareLoop(s.port, reqs, CONCURRENCY, RATE);
      out.usPerRequest.push(((cpuMs(s.pid) - c0) * 1000) / reqs.length);
      out.rps.push(m.rps);
      out.statuses.push(m.statuses);
      // A server that failed requests would measure the wrong thing.
      if (Object.keys(m.statuses).some((k) => Number(k) >= 500)) throw new Error(`${kind} answered ${JSON.stringify(m.statuses)}\n${s.stderr()}`);
    }
    return out;
  } finally {
    await s.stop();
  }
}

if (!flag('no-build')) build();
console.log(`recording the property phase's requests (--runs ${RUNS}) …`);
const reqs = await recordPropertyPhase(RUNS);
console.log(`  ${reqs.length} requests; replayed ${PASSES}× per fresh server, ${CONCURRENCY} in flight, ${RATE > 0 ? `paced at ${RATE} req/s` : 'unpaced'}`);
const rounds: Array<Record<Kind, Passes>> = [];
for (let r = 0; r < ROUNDS; r++) {
  const got = await rotatedRound(KINDS.map((kind) => ({ kind })), r, ({ kind }) => measure(kind, reqs)) as Record<Kind, Passes>;
  rounds.push(got);
  console.log(`round ${r + 1}/${ROUNDS}: ${KINDS.map((k) => `${k} ${got[k].usPerRequest.map((x) => fmt(x)).join(' → ')} µs`).join(' | ')}`);
}

const perPass = (k: Kind, p: number) => summarize(rounds.map((r) => r[k].usPerRequest[p]!));
const ratio = (a: Kind, b: Kind, p: number) => summarize(rounds.map((r) => r[a].usPerRequest[p]! / r[b].usPerRequest[p]!));
const coldOverWarm = (k: Kind) => summarize(rounds.map((r) => r[k].usPerRequest[0]! / r[k].usPerRequest[PASSES - 1]!));
const passes = Array.from({ length: PASSES }, (_, p) => p);
console.log(`\nserver CPU per request (µs, user + system, all threads), median (min–max, spread) of ${ROUNDS} rounds:\n`);
console.log(table(['pass', ...KINDS, 'emulator ÷ bare', 'emulator ÷ bare+v4'], passes.map((p) => [String(p + 1), ...KINDS.map((k) => fmtSummary(perPass(k, p))), fmtSummary(ratio('emulator', 'bare', p), 2), fmtSummary(ratio('emulator', 'bare+v4', p), 2)])));
console.log(`\npass 1 ÷ pass ${PASSES} (what a fresh process pays over a settled one): ${KINDS.map((k) => `${k} ${fmtSummary(coldOverWarm(k), 2)}`).join('; ')}`);
console.log(`start-up CPU before the first request: ${KINDS.map((k) => `${k} ${fmtSummary(summarize(rounds.map((r) => r[k].startupCpuMs)))} ms`).join('; ')}`);
console.log(`\nwritten ${writeResult(strArg('name', 'cold-serve'), {
  settings: { rounds: ROUNDS, passes: PASSES, runs: RUNS, rate: RATE, concurrency: CONCURRENCY, requests: reqs.length },
  note: 'Server process CPU per request (user + system, all threads, /proc/<pid>/stat) for each replay of the same recorded property-phase requests to a fresh server process; pass 1 is cold (what every ovc run pays its embedded emulator), later passes settle.',
  perPass: Object.fromEntries(KINDS.map((k) => [k, passes.map((p) => perPass(k, p))])),
  emulatorOverBare: passes.map((p) => ratio('emulator', 'bare', p)),
  emulatorOverBareV4: passes.map((p) => ratio('emulator', 'bare+v4', p)),
  coldOverWarm: Object.fromEntries(KINDS.map((k) => [k, coldOverWarm(k)])),
  rounds,
})}`);
