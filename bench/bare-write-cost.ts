// Why the emulator/bare ratio is what it is on a small machine: the cost of the socket write
// (V8 frame `writeLatin1String`, i.e. the kernel's loopback send) grows when the server is slower,
// because the load generator is then asleep and every answer must wake it. A bare node:http 204
// server with 0, 25 and 50 µs of busy CPU per request, profiled under the same load as the
// throughput bench: server CPU per request, and the share spent in the write.
//   npx tsx bench/bare-write-cost.ts [--seconds 5] [--connections 16]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numArg } from './lib/cli.ts';
import { monotonicUs, summarizeProfile } from './lib/cpuprofile.ts';
import { driveCycles, presignCycles } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { cpuMs, startBare } from './lib/servers.ts';

const SECONDS = numArg('seconds', 5);
const CONNECTIONS = numArg('connections', 16);
const rows = [];
for (const burnUs of [0, 25, 50]) {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-burn-'));
  const server = await startBare(['--cpu-prof', `--cpu-prof-dir=${dir}`], burnUs);
  let m;
  let cpu;
  let window: [number, number];
  try {
    await driveCycles(server.port, presignCycles('examplebucket', 3000, 'warm'), { connections: CONNECTIONS, seconds: 2 });
    const cycles = presignCycles('examplebucket', 60_000);
    const c0 = cpuMs(server.pid);
    const t0 = monotonicUs();
    m = await driveCycles(server.port, cycles, { connections: CONNECTIONS, seconds: SECONDS });
    window = [t0, monotonicUs()];
    cpu = cpuMs(server.pid) - c0;
  } finally {
    await server.stop(15_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const p = summarizeProfile(join(dir, file), ROOT, ['writeLatin1String'], 5, window);
  rmSync(dir, { recursive: true, force: true });
  const writeMs = p.top.find((f) => f.frame === 'writeLatin1String')?.selfMs ?? 0;
  const row = { burnUs, rps: m.rps, cpuUsPerReq: (cpu * 1000) / m.total, writeUsPerReq: (writeMs * 1000) / m.total, idlePct: p.idlePct };
  rows.push(row);
  console.log(`burn ${burnUs} µs: ${row.rps.toFixed(0)} req/s, server CPU ${row.cpuUsPerReq.toFixed(1)} µs/req, of which socket write ${row.writeUsPerReq.toFixed(1)} µs/req`);
}
console.log(`\n${table(['busy µs/request', 'req/s', 'server CPU µs/req', 'socket write µs/req'], rows.map((r) => [r.burnUs, r.rps.toFixed(0), r.cpuUsPerReq.toFixed(1), r.writeUsPerReq.toFixed(1)]))}`);
console.log(`\nwritten ${writeResult('bare-write-cost', { settings: { seconds: SECONDS, connections: CONNECTIONS }, rows })}`);
