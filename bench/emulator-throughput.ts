// Emulator throughput against its peers, side by side in one run: signed PutVectorIndex +
// DeleteVectorIndex cycles (fresh index name per cycle) under autocannon against
//   (a) the emulator (`ovc serve`), (b) pact's stub server serving our pact file, (c) a bare
//   node:http server answering 204 (the floor).
// Each server is its own child process; autocannon runs in this process. Rounds rotate the order.
//   npx tsx bench/emulator-throughput.ts [--seconds 5] [--rounds 5] [--connections 16]
import { join } from 'node:path';
import { numArg } from './lib/cli.ts';
import { driveCycles, presignCycles, type Measured } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { cpuMs, startBare, startOvcServe, startStub, type ChildServer } from './lib/servers.ts';
import { fmt, fmtSummary, median, summarize } from './lib/stats.ts';

const SECONDS = numArg('seconds', 5);
const ROUNDS = Math.max(3, numArg('rounds', 5));
const CONNECTIONS = numArg('connections', 16);
/** The pact file's interactions address this bucket; the emulator serves the same one. */
const BUCKET = 'examplebucket';
const PACT = join(ROOT, 'contracts', 'pacts', 'ovc-reference-client-oss-vectors.json');
const KINDS = ['emulator', 'stub', 'bare'] as const;
type Kind = (typeof KINDS)[number];

async function main(): Promise<void> {
  const servers: Record<Kind, ChildServer> = {
    emulator: await startOvcServe({ bucket: BUCKET }),
    stub: await startStub(PACT),
    bare: await startBare(),
  };
  try {
    // Warm-up: JIT every server (and autocannon) before anything is measured.
    const warm = presignCycles(BUCKET, 5000, 'warm');
    for (const k of KINDS) await driveCycles(servers[k].port, warm, { connections: CONNECTIONS, seconds: 2 });
    const rounds: Array<Record<Kind, Measured & { serverCpuUsPerReq: number }> & { order: Kind[] }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Signed per round so x-oss-date stays well inside the 15-minute window.
      const cycles = presignCycles(BUCKET, 60_000, `r${round}x`);
      const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
      const got: Partial<Record<Kind, Measured & { serverCpuUsPerReq: number }>> = {};
      for (const k of order) {
        const cpu0 = cpuMs(servers[k].pid);
        const m = await driveCycles(servers[k].port, cycles, { connections: CONNECTIONS, seconds: SECONDS });
        // Server CPU (all threads) per request, from /proc: what one request costs the server.
        got[k] = { ...m, serverCpuUsPerReq: ((cpuMs(servers[k].pid) - cpu0) * 1000) / Math.max(1, m.total) };
      }
      const r = { ...(got as Record<Kind, Measured & { serverCpuUsPerReq: number }>), order };
      rounds.push(r);
      console.log(`round ${round + 1}/${ROUNDS} (${order.join(' → ')}): ${KINDS.map((k) => `${k} ${fmt(r[k].cyclesPerSec)} cycles/s p50 ${r[k].p50} p99 ${r[k].p99} ms`).join(' | ')}`);
    }
    const per = (k: Kind, f: (m: Measured & { serverCpuUsPerReq: number }) => number) => summarize(rounds.map((r) => f(r[k])));
    const ratio = (a: Kind, b: Kind) => summarize(rounds.map((r) => r[a].rps / r[b].rps));
    const emuVsStub = ratio('emulator', 'stub');
    const emuVsBare = ratio('emulator', 'bare');
    const statusOf = (k: Kind) => {
      const s: Record<string, number> = { errors: 0, timeouts: 0 };
      for (const r of rounds) {
        for (const [c, n] of Object.entries(r[k].status)) s[c] = (s[c] ?? 0) + n;
        s.errors! += r[k].errors;
        s.timeouts! += r[k].timeouts;
      }
      return s;
    };
    console.log(`\nmedian of ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections, one child process per server:\n`);
    console.log(table(['server', 'cycles/s median (min–max, spread)', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'answers (all rounds)'], KINDS.map((k) => [
      k, fmtSummary(per(k, (m) => m.cyclesPerSec)), fmt(median(rounds.map((r) => r[k].p50)), 1), fmt(median(rounds.map((r) => r[k].p99)), 1),
      fmt(median(rounds.map((r) => r[k].serverCpuUsPerReq)), 1),
      Object.entries(statusOf(k)).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', '),
    ])));
    console.log(`\nratio emulator/stub  ${fmtSummary(emuVsStub, 2)}  target ≥ 1.00: ${emuVsStub.median >= 1 ? 'met' : 'NOT met'}`);
    console.log(`ratio emulator/bare  ${fmtSummary(emuVsBare, 2)}  target ≥ 0.60: ${emuVsBare.median >= 0.6 ? 'met' : 'NOT met'}`);
    const file = writeResult('emulator-throughput', {
      settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, bucket: BUCKET, pactFile: 'contracts/pacts/ovc-reference-client-oss-vectors.json' },
      note: 'Same pre-signed requests to all three. The stub answers PutVectorIndex 404 (no interaction in the pact file) and DeleteVectorIndex by matching; the bare server answers 204 without reading anything.',
      cyclesPerSec: Object.fromEntries(KINDS.map((k) => [k, per(k, (m) => m.cyclesPerSec)])),
      p50ms: Object.fromEntries(KINDS.map((k) => [k, per(k, (m) => m.p50)])),
      p99ms: Object.fromEntries(KINDS.map((k) => [k, per(k, (m) => m.p99)])),
      serverCpuUsPerReq: Object.fromEntries(KINDS.map((k) => [k, per(k, (m) => m.serverCpuUsPerReq)])),
      answers: Object.fromEntries(KINDS.map((k) => [k, statusOf(k)])),
      ratios: { emulatorOverStub: emuVsStub, emulatorOverBare: emuVsBare },
      targets: { emulatorOverStub: { target: 1.0, met: emuVsStub.median >= 1 }, emulatorOverBare: { target: 0.6, met: emuVsBare.median >= 0.6 } },
      rounds,
    });
    console.log(`\nwritten ${file}`);
  } finally {
    for (const s of Object.values(servers)) await s.stop();
  }
}

await main();
