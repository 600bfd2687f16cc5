// `ovc serve` as users start it, against its two floors, each its own process under the same load:
//   bare     — node:http reading the body and answering 204 (bench/lib/servers.ts startBare);
//   bare+v4  — the same plus the V4 verification the emulator runs (protocol/verifier.ts from
//              dist/), 204 when it holds: the floor of any server that checks signatures;
//   emulator — `node dist/cli/bin.js serve --no-state-hook …`, the compiled package as published;
//   base     — (with `--base <checkout>`) the same command from another checkout's dist/, e.g. a
//              worktree of the base commit, for a before/after taken side by side.
// One autocannon in the bench process sends the same pre-signed requests to every server of a
// mix; server CPU per request (user + system, all threads) comes from /proc/<pid>/stat. Servers
// are measured in rotating order, round after round (ABAB…), and every ratio is taken within a
// round. On a shared machine CPU per request and these ratios hold up; req/s does not.
// Targets (issue 28): emulator ≤ 2.5× bare and ≤ 1.5× bare+v4, both mixes.
//   npx tsx bench/serve-process.ts [--seconds 4] [--rounds 5] [--connections 16] [--mix absent|cycles|both]
//                                  [--warmup-seconds 10] [--base /path/to/checkout] [--no-build] [--name serve-process]
//                                  [--cpu-prof DIR]  (profiles the emulator process into DIR; figures then include the profiler)
import { readFileSync } from 'node:fs';
import { closeClient, sweepIndexes } from './lib/client.ts';
import { flag, numArg, strArg } from './lib/cli.ts';
import { driveCycles, driveEach, presignAbsentDeletes, presignCycles, rotatedRound, cellTable, ratioRow, summarizeCells, type Cell } from './lib/load.ts';
import { table, writeResult } from './lib/report.ts';
import { build, cpuSplitMs, startBare, startBareV4, startOvcServe, type ChildServer } from './lib/servers.ts';
import { fmt, summarize } from './lib/stats.ts';

const SECONDS = numArg('seconds', 4);
const ROUNDS = Math.max(3, numArg('rounds', 5));
const CONNECTIONS = numArg('connections', 16);
const MIX_ARG = strArg('mix', 'both');
const MIXES = (MIX_ARG === 'both' ? ['absent', 'cycles'] : [MIX_ARG === 'cycles' ? 'cycles' : 'absent']) as Array<'absent' | 'cycles'>;
const BASE = strArg('base', '');
const CPU_PROF = strArg('cpu-prof', '');
/**
 * Seconds of load per server and mix before the first round. V8 compiles the hot path on
 * background threads, whose CPU counts in /proc: on a loaded machine a 2-s warm-up left the
 * emulator's first rounds at 3–10× its settled cost (the bare servers have little to compile).
 */
const WARMUP_SECONDS = numArg('warmup-seconds', 10);
const BUCKET = 'examplebucket';

async function measure(s: ChildServer, mix: 'absent' | 'cycles', prefix: string, seconds: number): Promise<Cell> {
  const o = { connections: CONNECTIONS, seconds };
  const load = mix === 'cycles' ? presignCycles(BUCKET, 30_000, prefix) : presignAbsentDeletes(BUCKET, 30_000, prefix);
  const c0 = cpuSplitMs(s.pid);
  const m = mix === 'cycles' ? await driveCycles(s.port, load as ReturnType<typeof presignCycles>, o) : await driveEach(s.port, load as ReturnType<typeof presignAbsentDeletes>, o);
  const c1 = cpuSplitMs(s.pid);
  const n = Math.max(1, m.total);
  const userUs = ((c1.user - c0.user) * 1000) / n;
  const systemUs = ((c1.system - c0.system) * 1000) / n;
  if (s.kind.startsWith('emulator') && mix === 'cycles') await sweepIndexes(s.port, BUCKET);
  // A server that refused the requests, or failed them, would measure the wrong thing.
  if (m.status['5xx'] || m.errors || ((s.kind === 'bare' || s.kind === 'bare+v4') && m.status['4xx'])) throw new Error(`${s.kind} answered ${JSON.stringify(m.status)}, ${m.errors} errors\n${s.stderr()}`);
  if (s.kind.startsWith('emulator') && mix === 'absent' && m.status['2xx']) throw new Error(`${s.kind} answered an absent delete with 2xx: ${JSON.stringify(m.status)}`);
  return { rps: m.rps, userUs, systemUs, totalUs: userUs + systemUs, status: m.status };
}


const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

if (!flag('no-build')) build();
const servers: ChildServer[] = [];
const results: Record<string, unknown> = {};
const loads: string[] = [loadavg()];
try {
  const serveArgs = ['--no-state-hook'];
  const profArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  servers.push(await startBare(), await startBareV4(BUCKET), { ...(await startOvcServe({ args: serveArgs, nodeArgs: profArgs })), kind: 'emulator' });
  if (BASE) servers.push({ ...(await startOvcServe({ root: BASE, args: serveArgs })), kind: 'emulator@base' });
  const KINDS = servers.map((s) => s.kind);
  const warmup: Record<string, Record<string, number>> = {};
  for (const mix of MIXES) for (const s of servers) (warmup[mix] ??= {})[s.kind] = (await measure(s, mix, `warm${mix}${s.kind.replace(/\W/g, '')}`, WARMUP_SECONDS)).totalUs;
  console.log(`warm-up (${WARMUP_SECONDS} s per server and mix), CPU µs/req: ${JSON.stringify(warmup)}`);
  const rounds: Record<string, Array<Record<string, Cell>>> = Object.fromEntries(MIXES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const mix of MIXES) {
      const got = await rotatedRound(servers, r, (s) => measure(s, mix, `r${r}${mix}${s.kind.replace(/\W/g, '')}`, SECONDS));
      rounds[mix]!.push(got);
      loads.push(loadavg());
      console.log(`round ${r + 1}/${ROUNDS} ${mix} (load ${loads.at(-1)}): ${KINDS.map((v) => `${v} ${fmt(got[v]!.totalUs, 1)} µs`).join(' | ')}`);
    }
  }
  const ratioRows: Array<Array<string | number>> = [];
  for (const mix of MIXES) {
    const rs = rounds[mix]!;
    const cells = summarizeCells(rs, KINDS);
    console.log(`\n${mix} mix, median of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, server process CPU per request from /proc:\n`);
    console.log(cellTable(cells, KINDS));
    const targets: Record<string, { ratio: ReturnType<typeof summarize>; target: number | null }> = {
      emulatorOverBare: { ratio: cells.emulator!.overBare, target: 2.5 },
      emulatorOverBareV4: { ratio: cells.emulator!.overBareV4, target: 1.5 },
      bareV4OverBare: { ratio: cells['bare+v4']!.overBare, target: null },
    };
    if (BASE) targets.emulatorOverBase = { ratio: summarize(rs.map((r) => r.emulator!.totalUs / r['emulator@base']!.totalUs)), target: null };
    for (const [name, t] of Object.entries(targets)) ratioRows.push(ratioRow(mix, name, t));
    results[mix] = { cells, targets, rounds: rs };
  }
  console.log('\nratios of server CPU per request, per round (side by side), median (min–max, spread):\n');
  console.log(table(['mix', 'ratio', 'median (min–max, spread)', 'target', ''], ratioRows));
  console.log(`\nload average (1/5/15 min) before and after each round: ${loads.join(' ; ')}`);
  console.log(`written ${writeResult(strArg('name', 'serve-process'), {
    settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, mixes: MIXES, warmupSeconds: WARMUP_SECONDS, base: BASE || null, cpuProf: CPU_PROF || null },
    servers: KINDS, loadAverages: loads, warmupCpuUsPerRequest: warmup,
    note: 'Server process CPU per request (user+system, all threads, /proc/<pid>/stat) over the requests answered; `ovc serve --no-state-hook` from dist/ as users start it. 2 vCPUs shared with other work: CPU per request and side-by-side ratios are what to compare, not req/s.',
    results,
  })}`);
} finally {
  await closeClient();
  for (const s of servers) await s.stop();
}
