// A client's cost from its first request, as every `ovc run`'s suite thread meets it: the property
// phase's requests (recorded once, bench/lib/replay.ts) sent PASSES times in a row from a **fresh**
// Node process, 8 in flight, to one `ovc serve` warmed beforehand, for each transport:
//   ovc          — client/http.ts `send()` from dist/ (undici's Agent and a dispatch handler of our
//                  own), with the wasm tiering every `ovc` process sets (client/wasm-tiers.ts);
//   undici       — undici's own `request`, the body read whole;
//   node:http    — Node's own HTTP client, a keep-alive Agent of 8 sockets, the body read whole.
// Client CPU per request for each pass (process.cpuUsage: every thread of the process, V8's
// background compilation included), and the CPU the process spent before its first request
// (loading its transport). Variants in rotating order, a fresh process each, round after round.
//   npx tsx bench/cold-client.ts [--rounds 5] [--passes 3] [--runs 500] [--no-build] [--name cold-client]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, numArg, strArg } from './lib/cli.ts';
import { rotatedRound } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { bareLoop, recordPropertyPhase, runScript, undiciUrl, writeRecorded } from './lib/replay.ts';
import { build, startOvcServe } from './lib/servers.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 5));
const PASSES = Math.max(2, numArg('passes', 3));
const RUNS = numArg('runs', 500);
const WIDTH = 8;
const VARIANTS = ['ovc', 'undici', 'node:http'] as const;
type Variant = (typeof VARIANTS)[number];

// One fresh process: loads its transport, then sends the file's requests PASSES times.
const CLIENT = `
import { readFileSync } from 'node:fs';
const t0 = process.cpuUsage();
const { VARIANT, PORT, FILE, PASSES, WIDTH, DIST, UNDICI } = process.env;
const origin = 'http://127.0.0.1:' + PORT;
const skip = /^(connection|keep-alive|transfer-encoding|host|content-length)$/i;
let send;
if (VARIANT === 'ovc') {
  const { keepBaselineWasm } = await import(DIST + '/client/wasm-tiers.js');
  keepBaselineWasm();
  const http = await import(DIST + '/client/http.js');
  send = async (r) => (await http.send({ origin, method: r.method, path: r.path, headers: r.headers, body: r.body })).status;
} else if (VARIANT === 'undici') {
  const { request, Agent } = await import(UNDICI);
  const agent = new Agent({ connections: Number(WIDTH), pipelining: 1 });
  send = async (r) => { const res = await request(origin + r.path, { method: r.method, headers: r.headers, body: r.body.length ? r.body : undefined, dispatcher: agent }); await res.body.arrayBuffer(); return res.statusCode; };
} else {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(WIDTH) });
  send = (r) => new Promise((ok, ko) => {
    const q = http.request({ host: '127.0.0.1', port: Number(PORT), path: r.path, method: r.method, headers: { ...r.headers, 'content-length': String(r.body.length) }, agent }, (res) => {
      const chunks = []; res.on('data', (d) => chunks.push(d)); res.on('end', () => { Buffer.concat(chunks); ok(res.statusCode); }); res.on('error', ko);
    });
    q.on('error', ko);
    q.end(r.body);
  });
}
const reqs = readFileSync(FILE, 'utf8').split('\\n').filter(Boolean).map((l) => {
  const r = JSON.parse(l); const headers = {};
  for (const k of Object.keys(r.headers)) if (!skip.test(k)) headers[k.toLowerCase()] = r.headers[k];
  return { method: r.method, path: r.path, headers, body: Buffer.from(r.body, 'base64') };
});
const loaded = process.cpuUsage(t0);
const passes = [];
for (let p = 0; p < Number(PASSES); p++) {
  const c0 = process.cpuUsage();
  const started = performance.now();
  const statuses = {};
  let next = 0;
  await Promise.all(Array.from({ length: Number(WIDTH) }, async () => {
    while (next < reqs.length) { const s = await send(reqs[next++]); statuses[s] = (statuses[s] ?? 0) + 1; }
  }));
  const c = process.cpuUsage(c0);
  passes.push({ usPerRequest: (c.user + c.system) / reqs.length, ms: performance.now() - started, statuses });
}
console.log(JSON.stringify({ startupCpuMs: (loaded.user + loaded.system) / 1000, passes }));
process.exit(0);
`;

interface ClientRun { startupCpuMs: number; passes: Array<{ usPerRequest: number; ms: number; statuses: Record<string, number> }> }

function runClient(variant: Variant, port: number, file: string): Promise<ClientRun> {
  return runScript<ClientRun>(CLIENT, {
    VARIANT: variant, PORT: String(port), FILE: file, PASSES: String(PASSES), WIDTH: String(WIDTH),
    DIST: pathToFileURL(join(ROOT, 'dist')).href, UNDICI: undiciUrl(),
  }, `the ${variant} client`);
}

if (!flag('no-build')) build();
console.log(`recording the property phase's requests (--runs ${RUNS}) …`);
const reqs = await recordPropertyPhase(RUNS);
const dir = mkdtempSync(join(tmpdir(), 'ovc-bench-cold-client-'));
const file = join(dir, 'requests.jsonl');
writeRecorded(file, reqs);
const server = await startOvcServe({ bucket: 'ovc-conformance', args: ['--no-state-hook'] });
const rounds: Array<Record<Variant, ClientRun>> = [];
try {
  // The server settles first (two passes from this process), so every client meets the same server.
  for (let i = 0; i < 2; i++) await bareLoop(server.port, reqs, WIDTH);
  console.log(`  ${reqs.length} requests; ${PASSES} passes per fresh client process, ${WIDTH} in flight, unpaced, to one warmed ovc serve`);
  for (let r = 0; r < ROUNDS; r++) {
    const got = await rotatedRound(VARIANTS.map((kind) => ({ kind })), r, ({ kind }) => runClient(kind, server.port, file)) as Record<Variant, ClientRun>;
    // Every transport must have had the same answers, or it measured something else.
    const first = JSON.stringify(got.ovc.passes[0]!.statuses);
    for (const v of VARIANTS) for (const p of got[v].passes) if (JSON.stringify(p.statuses) !== first) throw new Error(`${v} saw ${JSON.stringify(p.statuses)}, ovc ${first}`);
    rounds.push(got);
    console.log(`round ${r + 1}/${ROUNDS}: ${VARIANTS.map((v) => `${v} ${got[v].passes.map((p) => p.usPerRequest.toFixed(0)).join(' → ')} µs (load ${got[v].startupCpuMs.toFixed(0)} ms)`).join(' | ')}`);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const passes = Array.from({ length: PASSES }, (_, p) => p);
const per = (v: Variant, p: number) => summarize(rounds.map((r) => r[v].passes[p]!.usPerRequest));
const over = (a: Variant, b: Variant, p: number) => summarize(rounds.map((r) => r[a].passes[p]!.usPerRequest / r[b].passes[p]!.usPerRequest));
console.log(`\nclient CPU per request (µs), median (min–max, spread) of ${ROUNDS} rounds, a fresh process each:\n`);
console.log(table(['pass', ...VARIANTS, 'ovc ÷ node:http', 'undici ÷ node:http'], passes.map((p) => [String(p + 1), ...VARIANTS.map((v) => fmtSummary(per(v, p))), fmtSummary(over('ovc', 'node:http', p), 2), fmtSummary(over('undici', 'node:http', p), 2)])));
console.log(`\nCPU before the first request (the transport's load): ${VARIANTS.map((v) => `${v} ${fmtSummary(summarize(rounds.map((r) => r[v].startupCpuMs)))} ms`).join('; ')}`);
console.log(`\nwritten ${writeResult(strArg('name', 'cold-client'), {
  settings: { rounds: ROUNDS, passes: PASSES, runs: RUNS, width: WIDTH, requests: reqs.length },
  note: 'Client process CPU per request (process.cpuUsage, all threads) for each pass of the same recorded property-phase requests from a fresh process; pass 1 is what a run\'s suite thread pays its transport.',
  perPass: Object.fromEntries(VARIANTS.map((v) => [v, passes.map((p) => per(v, p))])),
  ovcOverNodeHttp: passes.map((p) => over('ovc', 'node:http', p)),
  undiciOverNodeHttp: passes.map((p) => over('undici', 'node:http', p)),
  startupCpuMs: Object.fromEntries(VARIANTS.map((v) => [v, summarize(rounds.map((r) => r[v].startupCpuMs))])),
  rounds,
})}`);
