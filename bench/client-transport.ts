// The client's transport alone: client/http.ts `send()` of this checkout's build against the one of
// another build (`--base DIR`, e.g. a worktree of the base commit, built), and undici's own
// `request` with the body read whole, as the floor. The same signed-looking DeleteVectorIndex
// request, 8 in flight, to a bare node:http server in a process of its own that answers the
// service's 404 envelope; the CPU counted is this process's only (the client's), per request.
// Rounds alternate the order. Nothing of the suites runs: signing, checks and records are
// bench/suite-client-path.ts's.
//   npx tsx bench/client-transport.ts [--base DIR] [--rounds 6] [--requests 20000] [--name client-transport]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Agent, request } from 'undici';
import { numArg, strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

// As every `ovc` process runs (client/wasm-tiers.ts).
setFlagsFromString('--liftoff-only');

const ROUNDS = numArg('rounds', 6);
const N = numArg('requests', 20_000);
const BASE = strArg('base', '');
const NAME = strArg('name', 'client-transport');
const C = 8;

const SERVER = `
const { createServer } = require('node:http');
const body = '{"Error":{"Code":"NoSuchVectorIndex","Message":"The specified index does not exist.","RequestId":"${'A'.repeat(24)}"}}';
const s = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(404, { 'content-type': 'application/json', 'x-oss-request-id': '${'A'.repeat(24)}', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
const origin = `http://127.0.0.1:${port}`;
const body = Buffer.from('{"indexName":"absentindex1"}');
const headers = { host: 'examplebucket-1234567890.cn-hangzhou.oss-vectors.aliyuncs.com', 'content-type': 'application/json', 'content-md5': 'q1Q8JfrMzD1jO0Ip0wtY3w==', 'x-oss-date': '20261206T000000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', authorization: `OSS4-HMAC-SHA256 Credential=bench/20261206/cn-hangzhou/oss/aliyun_v4_request,Signature=${'0'.repeat(64)}` };

type Send = (req: { origin: string; method: string; path: string; headers: Record<string, string>; body: Buffer }, o?: { timeoutMs?: number }) => Promise<{ status: number; body: Buffer }>;
const load = async (dir: string): Promise<Send> => ((await import(pathToFileURL(join(dir, 'dist', 'client', 'http.js')).href)) as { send: Send }).send;
const bare = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000 });
const entries: Array<{ name: string; fn: () => Promise<unknown> }> = [
  { name: 'this build (send)', fn: (await load(ROOT)).bind(null, { origin, method: 'POST', path: '/?deleteVectorIndex', headers, body }, { timeoutMs: 15_000 }) },
  ...(BASE ? [{ name: `base: ${BASE} (send)`, fn: (await load(BASE)).bind(null, { origin, method: 'POST', path: '/?deleteVectorIndex', headers, body }, { timeoutMs: 15_000 }) }] : []),
  { name: 'undici request, body read whole', fn: async () => { const r = await request(`${origin}/?deleteVectorIndex`, { method: 'POST', headers, body, dispatcher: bare }); await r.body.arrayBuffer(); } },
];

async function loop(fn: () => Promise<unknown>): Promise<{ usPerRequest: number; rps: number }> {
  let i = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, async () => { while (i++ < N) await fn(); }));
  const c = process.cpuUsage(c0);
  return { usPerRequest: (c.user + c.system) / N, rps: N / ((performance.now() - t0) / 1000) };
}

const samples: Record<string, Array<{ usPerRequest: number; rps: number }>> = Object.fromEntries(entries.map((e) => [e.name, []]));
try {
  for (const e of entries) await loop(e.fn); // warm every path once (JIT), unmeasured
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? entries : [...entries].reverse();
    for (const e of order) {
      const s = await loop(e.fn);
      samples[e.name]!.push(s);
      console.log(`round ${r + 1}/${ROUNDS} ${e.name}: ${s.usPerRequest.toFixed(1)} µs CPU per request, ${s.rps.toFixed(0)} req/s`);
    }
  }
} finally {
  server.kill();
  await bare.close();
}
const first = entries[0]!.name;
const rows = entries.map((e) => {
  const us = samples[e.name]!.map((s) => s.usPerRequest);
  const ratio = samples[e.name]!.map((s, i) => s.usPerRequest / samples[first]![i]!.usPerRequest);
  return [e.name, fmtSummary(summarize(us), 1), fmtSummary(summarize(samples[e.name]!.map((s) => s.rps))), e.name === first ? '1' : fmtSummary(summarize(ratio), 2)];
});
console.log(`\n${table(['client', 'µs CPU per request (client process)', 'req/s', `÷ ${first}, per round`], rows)}`);
writeResult(NAME, {
  bench: 'client-transport', takenAt: new Date().toISOString(), machine: machine(), command: `npx tsx bench/client-transport.ts${BASE ? ` --base ${BASE}` : ''} --rounds ${ROUNDS} --requests ${N}`,
  settings: { rounds: ROUNDS, requests: N, concurrency: C, base: BASE || null },
  samples,
});
process.exit(0);
