// Where the emulator's CPU per request goes, layer by layer: node:http servers that each add one
// part of the emulator's request path to the bare 204 server (bench/lib/layer-server.ts), and the
// whole emulator, under the same load. Server CPU per request is split into user time (JavaScript,
// V8, GC) and system time (the kernel: socket reads and writes) from /proc/<pid>/stat — unlike a
// V8 CPU profile, whose samples are wall-clock and charge the time a preempted process waits
// inside write() to the write.
//   npx tsx bench/emulator-layers.ts [--seconds 3] [--rounds 5] [--connections 16] [--mix absent|cycles] [--no-build]
import { flag, numArg, strArg } from './lib/cli.ts';
import { driveCycles, driveEach, presignAbsentDeletes, presignCycles, type Measured } from './lib/load.ts';
import { table, writeResult } from './lib/report.ts';
import { build, cpuSplitMs, startLayerServer, type ChildServer } from './lib/servers.ts';
import { fmt, fmtSummary, summarize } from './lib/stats.ts';

const SECONDS = numArg('seconds', 3);
const ROUNDS = Math.max(3, numArg('rounds', 5));
const CONNECTIONS = numArg('connections', 16);
const MIX = strArg('mix', 'absent') === 'cycles' ? 'cycles' : 'absent';
const VARIANTS = ['bare', 'read', 'read+reply', 'read+error', 'read+verify+reply', 'emulator'] as const;
const BUCKET = 'examplebucket';

interface Cell { rps: number; userUs: number; systemUs: number; totalUs: number; status: Measured['status'] }

async function measure(s: ChildServer, prefix: string, seconds: number): Promise<Cell> {
  const o = { connections: CONNECTIONS, seconds };
  const c0 = cpuSplitMs(s.pid);
  const m = MIX === 'cycles' ? await driveCycles(s.port, presignCycles(BUCKET, 30_000, prefix), o) : await driveEach(s.port, presignAbsentDeletes(BUCKET, 30_000, prefix), o);
  const c1 = cpuSplitMs(s.pid);
  const n = Math.max(1, m.total);
  const userUs = ((c1.user - c0.user) * 1000) / n;
  const systemUs = ((c1.system - c0.system) * 1000) / n;
  return { rps: m.rps, userUs, systemUs, totalUs: userUs + systemUs, status: m.status };
}

if (!flag('no-build')) build();
const servers: ChildServer[] = [];
try {
  for (const v of VARIANTS) servers.push(await startLayerServer(v));
  for (const s of servers) await measure(s, 'warm', 2);
  const rounds: Array<Record<string, Cell>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const got: Record<string, Cell> = {};
    for (let i = 0; i < servers.length; i++) {
      const s = servers[(i + r) % servers.length]!;
      got[s.kind] = await measure(s, `r${r}${s.kind.replace(/\W/g, '')}`, SECONDS);
    }
    rounds.push(got);
    console.log(`round ${r + 1}/${ROUNDS}: ${VARIANTS.map((v) => `${v} ${fmt(got[v]!.totalUs, 1)} µs`).join(' | ')}`);
  }
  const per = (v: string, f: (c: Cell) => number) => summarize(rounds.map((r) => f(r[v]!)));
  const cells = Object.fromEntries(VARIANTS.map((v) => [v, { rps: per(v, (c) => c.rps), userUs: per(v, (c) => c.userUs), systemUs: per(v, (c) => c.systemUs), totalUs: per(v, (c) => c.totalUs), overBare: per(v, (c) => c.totalUs) }]));
  for (const v of VARIANTS) cells[v]!.overBare = summarize(rounds.map((r) => r[v]!.totalUs / r.bare!.totalUs));
  console.log(`\n${MIX} mix, median of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, server CPU per request from /proc:\n`);
  console.log(table(['server', 'req/s median (min–max)', 'user µs/req', 'system µs/req', 'total µs/req (min–max, spread)', '× bare'], VARIANTS.map((v) => [
    v, fmtSummary(cells[v]!.rps), fmt(cells[v]!.userUs.median, 1), fmt(cells[v]!.systemUs.median, 1), fmtSummary(cells[v]!.totalUs, 1), fmt(cells[v]!.overBare.median, 2),
  ])));
  console.log(`\nwritten ${writeResult(`emulator-layers-${MIX}`, { settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, mix: MIX }, variants: VARIANTS, cells, rounds })}`);
} finally {
  for (const s of servers) await s.stop();
}
