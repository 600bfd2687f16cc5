// CPU profile of `ovc serve` under the throughput load (signed PutVectorIndex + DeleteVectorIndex
// cycles): top frames by self time, the share of the hot paths (signature verification, JSON
// parsing, routing, response writing), and server CPU time per request next to the bare
// node:http floor under the same load. Only samples taken during the measured load count.
// `--root DIR` profiles another checkout (a local experiment on a copy of the emulator).
// The emulator runs compiled (dist/, built first) unless `--entry tsx`.
//   npx tsx bench/emulator-profile.ts [--seconds 10] [--connections 16] [--root DIR] [--entry dist|tsx] [--mix cycles|absent] [--rate N] [--name emulator-profile]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numArg, strArg } from './lib/cli.ts';
import { monotonicUs, summarizeProfile, type ProfileSummary } from './lib/cpuprofile.ts';
import { driveCycles, driveEach, presignAbsentDeletes, presignCycles, type Measured } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { build, cpuMs, startBare, startOvcServe, type ChildServer } from './lib/servers.ts';

const SECONDS = numArg('seconds', 10);
const CONNECTIONS = numArg('connections', 16);
const root = strArg('root', ROOT).replace(/\/?$/, '/');
const NAME = strArg('name', 'emulator-profile');
const ENTRY = strArg('entry', 'dist') === 'tsx' ? 'tsx' : 'dist';
/** cycles: signed Put+Delete pairs; absent: signed DeleteVectorIndex of indexes that do not exist (404). */
const MIX = strArg('mix', 'cycles') === 'absent' ? 'absent' : 'cycles';
/** Paced load (requests/s over all connections); 0: as fast as the server answers. */
const RATE = numArg('rate', 0);
const BUCKET = 'examplebucket';

/** The hot paths named in the issue, by the function that owns each. */
const HOT: Record<string, string> = {
  handleRequest: 'whole request (dispatcher)',
  readBody: 'reading the body',
  verifyRequest: 'signature verification (V4)',
  canonicalRequest: '  of which: canonical request',
  canonicalFromMap: '  of which: canonical request (from the header map)',
  normalizeHeaders: '  of which: header normalisation',
  parseJsonBody: 'JSON parsing (UTF-8 check + JSON.parse)',
  resolveOperation: 'routing (operation)',
  parseTarget: 'routing (path + query)',
  parseAddress: 'routing (addressing)',
  compareContentMd5: 'Content-MD5 check',
  newRequestId: 'request id',
  sendEmpty: 'response writing (empty)',
  sendError: 'response writing (error envelope)',
  ApiError: 'error object (with its stack trace)',
  writeLatin1String: '  of which: socket write (kernel loopback send)',
  parserOnHeadersComplete: 'node:http header parsing',
};

interface Run { load: Measured; cpuMsPerKReq: number; profile: ProfileSummary | null }

async function measure(start: (nodeArgs: string[]) => Promise<ChildServer>, profile: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-prof-'));
  const server = await start(profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
  let load: Measured;
  let window: [number, number];
  let cpu: number;
  try {
    const drive = (prefix: string, n: number, seconds: number): Promise<Measured> => (MIX === 'cycles'
      ? driveCycles(server.port, presignCycles(BUCKET, n, prefix), { connections: CONNECTIONS, seconds, rate: RATE || undefined })
      : driveEach(server.port, presignAbsentDeletes(BUCKET, n, prefix), { connections: CONNECTIONS, seconds, rate: RATE || undefined }));
    await drive('warm', 5000, 2);
    const run = drive('bench', 60_000, SECONDS);
    const cpu0 = cpuMs(server.pid);
    const t0 = monotonicUs();
    load = await run;
    window = [t0, monotonicUs()];
    cpu = cpuMs(server.pid) - cpu0;
  } finally {
    await server.stop(15_000);
  }
  let summary: ProfileSummary | null = null;
  if (profile) {
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    summary = summarizeProfile(join(dir, file), root, Object.keys(HOT), 25, window);
  }
  rmSync(dir, { recursive: true, force: true });
  return { load, cpuMsPerKReq: (cpu / load.total) * 1000, profile: summary };
}

if (ENTRY === 'dist') build(root);
const bare = await measure((a) => startBare(a), false);
const emu = await measure((a) => startOvcServe({ bucket: BUCKET, root, nodeArgs: a, entry: ENTRY }), true);
const s = emu.profile!;
console.log(`ovc serve (${root === ROOT ? 'this checkout' : root}) under ${CONNECTIONS} connections for ${SECONDS} s: ${emu.load.cyclesPerSec.toFixed(0)} cycles/s, p50 ${emu.load.p50} ms, p99 ${emu.load.p99} ms; server idle ${s.idlePct} % of the window`);
console.log(`server CPU per 1000 requests: emulator ${emu.cpuMsPerKReq.toFixed(0)} ms (profiled), bare node:http ${bare.cpuMsPerKReq.toFixed(0)} ms (${bare.load.cyclesPerSec.toFixed(0)} cycles/s)\n`);
console.log('top frames by self time (% of busy time):\n');
console.log(table(['self %', 'self ms', 'frame'], s.top.map((f) => [f.selfPct.toFixed(1), f.selfMs, f.frame])));
console.log('\nhot paths, inclusive (% of busy time):\n');
console.log(table(['incl %', 'function', 'what'], Object.entries(HOT).map(([fn, what]) => [s.inclusive[fn]!.toFixed(1), fn, what])));
console.log(`\nwritten ${writeResult(NAME, { settings: { seconds: SECONDS, connections: CONNECTIONS, root: root === ROOT ? '.' : root, entry: ENTRY, mix: MIX, rate: RATE || 'saturated' }, emulator: emu, bare: { load: bare.load, cpuMsPerKReq: bare.cpuMsPerKReq }, hotPaths: HOT })}`);
