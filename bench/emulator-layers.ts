// Where the emulator's CPU per request goes, layer by layer: node:http servers that each add one
// part of the emulator's request path to the bare 204 server (bench/lib/layer-server.ts), and the
// whole emulator, under the same load, both request mixes in one run. Server CPU per request is
// split into user time (JavaScript, V8, GC) and system time (the kernel: socket reads and writes)
// from /proc/<pid>/stat — unlike a V8 CPU profile, whose samples are wall-clock and charge the time
// a preempted process waits inside write() to the write. CPU time per request and ratios taken
// side by side in each round hold up on a machine shared with other work; req/s does not.
//
// The two floors: `bare` (node:http, body read, 204) and `bare+v4` (the same plus the V4
// verification the emulator runs: the floor of any server that checks signatures). Targets:
// emulator ≤ 1.5× bare+v4 and ≤ 3× bare, per round, median over rounds.
//   npx tsx bench/emulator-layers.ts [--seconds 3] [--rounds 5] [--connections 16] [--mix absent|cycles|both]
//                                    [--variants bare,bare+v4,emulator] [--no-build] [--name emulator-layers]
import { closeClient, sweepIndexes } from './lib/client.ts';
import { flag, numArg, strArg } from './lib/cli.ts';
import { driveCycles, driveEach, presignAbsentDeletes, presignCycles, rotatedRound, cellTable, ratioRow, summarizeCells, type Cell } from './lib/load.ts';
import { table, writeResult } from './lib/report.ts';
import { build, cpuSplitMs, startLayerServer, type ChildServer } from './lib/servers.ts';
import { fmt } from './lib/stats.ts';

const SECONDS = numArg('seconds', 3);
const ROUNDS = Math.max(3, numArg('rounds', 5));
const CONNECTIONS = numArg('connections', 16);
const MIX_ARG = strArg('mix', 'both');
const MIXES = (MIX_ARG === 'both' ? ['absent', 'cycles'] : [MIX_ARG === 'cycles' ? 'cycles' : 'absent']) as Array<'absent' | 'cycles'>;
const ALL = ['bare', 'bare+v4', 'read', 'read+reply', 'read+error', 'read+verify+reply', 'emulator'] as const;
const VARIANTS = (strArg('variants', ALL.join(',')).split(',').filter((v) => (ALL as readonly string[]).includes(v)));
for (const need of ['bare', 'bare+v4', 'emulator']) if (!VARIANTS.includes(need)) VARIANTS.push(need);
const BUCKET = 'examplebucket';


async function measure(s: ChildServer, mix: 'absent' | 'cycles', prefix: string, seconds: number): Promise<Cell> {
  const o = { connections: CONNECTIONS, seconds };
  const c0 = cpuSplitMs(s.pid);
  const m = mix === 'cycles' ? await driveCycles(s.port, presignCycles(BUCKET, 30_000, prefix), o) : await driveEach(s.port, presignAbsentDeletes(BUCKET, 30_000, prefix), o);
  const c1 = cpuSplitMs(s.pid);
  const n = Math.max(1, m.total);
  const userUs = ((c1.user - c0.user) * 1000) / n;
  const systemUs = ((c1.system - c0.system) * 1000) / n;
  if (s.kind === 'emulator' && mix === 'cycles') await sweepIndexes(s.port, BUCKET);
  // A floor that refused the requests (403) or failed them would measure the wrong thing.
  if (m.status['5xx'] || ((s.kind === 'bare' || s.kind === 'bare+v4') && m.status['4xx'])) throw new Error(`${s.kind} answered ${JSON.stringify(m.status)}`);
  return { rps: m.rps, userUs, systemUs, totalUs: userUs + systemUs, status: m.status };
}


if (!flag('no-build')) build();
const servers: ChildServer[] = [];
const results: Record<string, unknown> = {};
try {
  for (const v of VARIANTS) servers.push(await startLayerServer(v));
  for (const mix of MIXES) for (const s of servers) await measure(s, mix, `warm${mix}${s.kind.replace(/\W/g, '')}`, 2);
  const rounds: Record<string, Array<Record<string, Cell>>> = Object.fromEntries(MIXES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const mix of MIXES) {
      const got = await rotatedRound(servers, r, (s) => measure(s, mix, `r${r}${mix}${s.kind.replace(/\W/g, '')}`, SECONDS));
      rounds[mix]!.push(got);
      console.log(`round ${r + 1}/${ROUNDS} ${mix}: ${VARIANTS.map((v) => `${v} ${fmt(got[v]!.totalUs, 1)} µs`).join(' | ')}`);
    }
  }
  const ratioRows: Array<Array<string | number>> = [];
  for (const mix of MIXES) {
    const rs = rounds[mix]!;
    const cells = summarizeCells(rs, VARIANTS);
    console.log(`\n${mix} mix, median of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, server CPU per request from /proc:\n`);
    console.log(cellTable(cells, VARIANTS));
    const targets = {
      emulatorOverBareV4: { ratio: cells.emulator!.overBareV4, target: 1.5 },
      emulatorOverBare: { ratio: cells.emulator!.overBare, target: 3 },
      bareV4OverBare: { ratio: cells['bare+v4']!.overBare, target: null },
    };
    for (const [name, t] of Object.entries(targets)) ratioRows.push(ratioRow(mix, name, t));
    results[mix] = { cells, targets, rounds: rs };
  }
  console.log('\nratios of server CPU per request, per round (side by side), median (min–max, spread):\n');
  console.log(table(['mix', 'ratio', 'median (min–max, spread)', 'target', ''], ratioRows));
  console.log(`\nwritten ${writeResult(strArg('name', 'emulator-layers'), { settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, mixes: MIXES }, variants: VARIANTS, note: 'Server CPU per request (user+system, /proc/<pid>/stat) over the requests answered; 2-core machine shared with other work: CPU per request and side-by-side ratios are what to compare, not req/s.', results })}`);
} finally {
  await closeClient();
  for (const s of servers) await s.stop();
}
