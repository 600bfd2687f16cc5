// Emulator throughput and CPU per request against its peers, side by side in one run.
//
// Two request mixes, each signed up front (the same bytes to every server):
//   cycles  signed PutVectorIndex + DeleteVectorIndex pairs, a fresh index name per pair;
//   absent  signed DeleteVectorIndex of an index that does not exist (404 NoSuchVectorIndex).
// Servers, each its own child process (autocannon runs in this one):
//   emulator     `ovc serve` as a user runs it: the compiled package, node dist/cli/bin.js serve …
//   bare         node:http answering 204 after reading the body (the floor);
//   stub         pact's stub server on the whole pact file (it matches the Delete of a cycle and
//                answers the Put 404 unmatched: the comparison of earlier runs, kept);
//   stub-404     pact's stub server restricted with `-s "no vector index exists"`: it MATCHES the
//                absent Delete (checked before measuring: 404 with Code NoSuchVectorIndex).
// Two load shapes:
//   saturated  16 connections as fast as each server answers: requests/s, and server CPU per
//              request from /proc (user + system, all threads);
//   paced      the same connections at a fixed --rate (default 1000 req/s, below every server's
//              capacity but the stub's): server CPU per request when neither side is the bottleneck.
// Rounds rotate the order of the servers.
//   npx tsx bench/emulator-throughput.ts [--seconds 4] [--rounds 5] [--connections 16] [--rate 1000] [--entry dist|tsx] [--no-build] [--name emulator-throughput]
import { join } from 'node:path';
import { request } from 'undici';
import { closeClient, sweepIndexes } from './lib/client.ts';
import { flag, numArg, strArg } from './lib/cli.ts';
import { driveCycles, driveEach, presignAbsentDeletes, presignCycles, type Measured, type Prepared } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { build, cpuMs, startBare, startOvcServe, startStub, type ChildServer } from './lib/servers.ts';
import { fmt, fmtSummary, summarize, type Summary } from './lib/stats.ts';

const SECONDS = numArg('seconds', 4);
const ROUNDS = Math.max(3, numArg('rounds', 5));
const CONNECTIONS = numArg('connections', 16);
const RATE = numArg('rate', 1000);
/** The pact file's interactions address this bucket; the emulator serves the same one. */
const BUCKET = 'examplebucket';
const PACT = join(ROOT, 'contracts', 'pacts', 'ovc-reference-client-oss-vectors.json');
const MATCHED_STATE = 'no vector index exists';
/** dist (default): the compiled package; tsx: the sources through tsx (how `ovc` ran before it was compiled). */
const ENTRY = strArg('entry', 'dist') === 'tsx' ? 'tsx' : 'dist';

type ServerName = 'emulator' | 'bare' | 'stub' | 'stub-404';
type Mix = 'cycles' | 'absent';
type Shape = 'saturated' | 'paced';
interface Cell extends Measured { serverCpuUsPerReq: number }
/** One measurement: which server, mix and shape. */
interface Slot { server: ServerName; mix: Mix; shape: Shape }
const key = (s: Slot): string => `${s.server}/${s.mix}/${s.shape}`;

/** What each round measures, in rotating order within each (mix, shape) group. */
const GROUPS: Array<{ mix: Mix; shape: Shape; servers: ServerName[] }> = [
  { mix: 'cycles', shape: 'saturated', servers: ['emulator', 'stub', 'bare'] },
  { mix: 'absent', shape: 'saturated', servers: ['emulator', 'stub-404', 'bare'] },
  { mix: 'cycles', shape: 'paced', servers: ['emulator', 'bare'] },
  { mix: 'absent', shape: 'paced', servers: ['emulator', 'bare'] },
];

async function answer(port: number, p: Prepared): Promise<{ status: number; code: string | null }> {
  const res = await request(`http://127.0.0.1:${port}${p.path}`, { method: p.method, headers: p.headers, body: p.body });
  const text = await res.body.text();
  let code: string | null = null;
  try { code = (JSON.parse(text) as { Error?: { Code?: string } }).Error?.Code ?? null; } catch { /* not JSON */ }
  return { status: res.statusCode, code };
}

/** What each server answers to one request of each mix, before anything is measured. */
async function preflight(servers: Record<ServerName, ChildServer>): Promise<Record<string, unknown>> {
  const [put, del] = presignCycles(BUCKET, 1, 'preflight')[0]!;
  const [absent] = presignAbsentDeletes(BUCKET, 1, 'preflightAbsent');
  const seen: Record<string, unknown> = {};
  for (const name of ['emulator', 'stub', 'bare'] as const) seen[`${name} cycle`] = [await answer(servers[name].port, put), await answer(servers[name].port, del)];
  for (const name of ['emulator', 'stub-404', 'bare'] as const) seen[`${name} absent`] = await answer(servers[name].port, absent!);
  const matched = seen['stub-404 absent'] as { status: number; code: string | null };
  const emu = seen['emulator absent'] as { status: number; code: string | null };
  if (matched.status !== 404 || matched.code !== 'NoSuchVectorIndex') throw new Error(`the stub (-s "${MATCHED_STATE}") did not match the absent delete: ${JSON.stringify(matched)}`);
  if (emu.status !== 404 || emu.code !== 'NoSuchVectorIndex') throw new Error(`the emulator did not answer the absent delete with 404 NoSuchVectorIndex: ${JSON.stringify(emu)}`);
  return seen;
}

interface Load { cycles: ReturnType<typeof presignCycles>; pacedCycles: ReturnType<typeof presignCycles>; absent: Prepared[] }

async function measure(server: ChildServer, mix: Mix, shape: Shape, load: Load): Promise<Cell> {
  const o = { connections: CONNECTIONS, seconds: SECONDS, rate: shape === 'paced' ? RATE : undefined };
  const cpu0 = cpuMs(server.pid);
  // Cycles get index names never used before on the emulator (a deleted name may still be taken
  // for a moment, spec §12 U7): one list per load shape, long enough not to wrap around.
  const m = mix === 'cycles' ? await driveCycles(server.port, shape === 'paced' ? load.pacedCycles : load.cycles, o) : await driveEach(server.port, load.absent, o);
  const cell = { ...m, serverCpuUsPerReq: ((cpuMs(server.pid) - cpu0) * 1000) / Math.max(1, m.total) };
  if (server.kind === 'emulator' && mix === 'cycles') await sweepIndexes(server.port, BUCKET);
  return cell;
}


async function main(): Promise<void> {
  if (!flag('no-build') && ENTRY === 'dist') build();
  const servers: Record<ServerName, ChildServer> = {
    emulator: await startOvcServe({ bucket: BUCKET, entry: ENTRY }),
    bare: await startBare(),
    stub: await startStub(PACT),
    'stub-404': await startStub(PACT, MATCHED_STATE),
  };
  try {
    const answers = await preflight(servers);
    console.log(`preflight answers: ${JSON.stringify(answers)}\n`);
    // Warm-up: JIT every server (and autocannon) before anything is measured.
    const warm: Load = { cycles: presignCycles(BUCKET, 5000, 'warm'), pacedCycles: [], absent: presignAbsentDeletes(BUCKET, 5000, 'warmAbsent') };
    for (const g of GROUPS.slice(0, 2)) for (const s of g.servers) await measure(servers[s], g.mix, 'saturated', warm);

    const rounds: Array<Record<string, Cell>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Signed per round so x-oss-date stays well inside the 15-minute window.
      const load: Load = {
        cycles: presignCycles(BUCKET, Math.max(10_000, SECONDS * 15_000), `r${round}s`),
        pacedCycles: presignCycles(BUCKET, Math.ceil((RATE * SECONDS) / 2) + 1000, `r${round}p`),
        absent: presignAbsentDeletes(BUCKET, 20_000, `r${round}a`),
      };
      const got: Record<string, Cell> = {};
      for (const g of GROUPS) {
        const order = g.servers.map((_, i) => g.servers[(i + round) % g.servers.length]!);
        for (const s of order) got[key({ server: s, mix: g.mix, shape: g.shape })] = await measure(servers[s], g.mix, g.shape, load);
      }
      rounds.push(got);
      console.log(`round ${round + 1}/${ROUNDS}: ${Object.entries(got).map(([k, c]) => `${k} ${fmt(c.rps)} req/s ${fmt(c.serverCpuUsPerReq, 1)} µs`).join(' | ')}`);
    }

    const per = (k: string, f: (c: Cell) => number): Summary => summarize(rounds.map((r) => f(r[k]!)));
    const ratio = (a: string, b: string, f: (c: Cell) => number): Summary => summarize(rounds.map((r) => f(r[a]!) / f(r[b]!)));
    const statusOf = (k: string): Record<string, number> => {
      const s: Record<string, number> = { errors: 0, timeouts: 0 };
      for (const r of rounds) {
        for (const [c, n] of Object.entries(r[k]!.status)) s[c] = (s[c] ?? 0) + n;
        s.errors! += r[k]!.errors;
        s.timeouts! += r[k]!.timeouts;
      }
      return s;
    };
    const rows: Array<Array<string | number>> = [];
    const cells: Record<string, unknown> = {};
    for (const g of GROUPS) {
      for (const s of g.servers) {
        const k = key({ server: s, mix: g.mix, shape: g.shape });
        const summary = { rps: per(k, (c) => c.rps), cpuUsPerReq: per(k, (c) => c.serverCpuUsPerReq), p50: per(k, (c) => c.p50), p99: per(k, (c) => c.p99), answers: statusOf(k) };
        cells[k] = summary;
        rows.push([g.mix, g.shape, s, fmtSummary(summary.rps), fmtSummary(summary.cpuUsPerReq, 1), fmt(summary.p50.median, 1), fmt(summary.p99.median, 1),
          Object.entries(summary.answers).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ')]);
      }
    }
    console.log(`\nmedian of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections (paced: ${RATE} req/s), one child process per server, emulator ${ENTRY === 'dist' ? 'compiled (dist/)' : 'through tsx'}:\n`);
    console.log(table(['mix', 'load', 'server', 'req/s median (min–max, spread)', 'server CPU µs/req (min–max, spread)', 'p50 ms', 'p99 ms', 'answers (all rounds)'], rows));

    const cpu = (c: Cell): number => c.serverCpuUsPerReq;
    const rps = (c: Cell): number => c.rps;
    const ratios = {
      cyclesThroughputEmulatorOverBare: ratio('emulator/cycles/saturated', 'bare/cycles/saturated', rps),
      absentThroughputEmulatorOverBare: ratio('emulator/absent/saturated', 'bare/absent/saturated', rps),
      cyclesCpuEmulatorOverBareSaturated: ratio('emulator/cycles/saturated', 'bare/cycles/saturated', cpu),
      absentCpuEmulatorOverBareSaturated: ratio('emulator/absent/saturated', 'bare/absent/saturated', cpu),
      cyclesCpuEmulatorOverBarePaced: ratio('emulator/cycles/paced', 'bare/cycles/paced', cpu),
      absentCpuEmulatorOverBarePaced: ratio('emulator/absent/paced', 'bare/absent/paced', cpu),
      cyclesThroughputEmulatorOverStub: ratio('emulator/cycles/saturated', 'stub/cycles/saturated', rps),
      absentThroughputEmulatorOverMatchingStub: ratio('emulator/absent/saturated', 'stub-404/absent/saturated', rps),
      absentCpuEmulatorOverMatchingStub: ratio('emulator/absent/saturated', 'stub-404/absent/saturated', cpu),
    };
    const targets: Record<string, { target: string; median: number; met: boolean }> = {};
    const check = (name: keyof typeof ratios, op: '<=' | '>=', t: number): void => {
      const m = ratios[name].median;
      targets[name] = { target: `${op} ${t}`, median: m, met: op === '<=' ? m <= t : m >= t };
    };
    check('cyclesCpuEmulatorOverBareSaturated', '<=', 2);
    check('absentCpuEmulatorOverBareSaturated', '<=', 2);
    check('cyclesCpuEmulatorOverBarePaced', '<=', 2);
    check('absentCpuEmulatorOverBarePaced', '<=', 2);
    check('cyclesThroughputEmulatorOverBare', '>=', 0.5);
    check('absentThroughputEmulatorOverBare', '>=', 0.5);
    check('absentThroughputEmulatorOverMatchingStub', '>=', 1);
    console.log('\nratios per round, median (min–max, spread):\n');
    console.log(table(['ratio', 'median (min–max, spread)', 'target', ''], Object.entries(ratios).map(([n, s]) => [n, fmtSummary(s, 2), targets[n]?.target ?? '', targets[n] ? (targets[n]!.met ? 'met' : 'NOT met') : ''])));
    const file = writeResult(strArg('name', 'emulator-throughput'), {
      settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, pacedRate: RATE, bucket: BUCKET, pactFile: 'contracts/pacts/ovc-reference-client-oss-vectors.json', stubMatchedState: MATCHED_STATE, emulator: ENTRY === 'dist' ? 'node dist/cli/bin.js serve (compiled)' : 'node cli/bin/ovc.mjs serve (tsx)' },
      note: 'Same pre-signed requests to every server of a mix; every Put+Delete cycle on the emulator uses an index name not used before. CPU per request is the server process\'s user+system time (/proc/<pid>/stat, all threads) over the requests it answered. The bare server answers 204 after reading the body. The full-pact stub answers the cycle\'s Put 404 unmatched; stub-404 matches the absent delete (checked in preflight).',
      preflight: answers, cells, ratios, targets, rounds,
    });
    console.log(`\nwritten ${file}`);
  } finally {
    await closeClient();
    for (const s of Object.values(servers)) await s.stop();
  }
}

await main();
