// What the client pays to make one request before it is sent: `TargetClient.build` (body, Content-MD5,
// headers) and `sign` (V4), of this checkout's dist/ and, with `--base DIR`, another checkout's,
// loaded into this one process and measured in alternating rounds (the steadiest comparison on a
// shared machine: no socket, no server, no second process).
//   npx tsx bench/client-request-build.ts [--base DIR] [--rounds 8] [--requests 100000] [--name client-request-build]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(4, numArg('rounds', 8));
const REQUESTS = numArg('requests', 100_000);
const BASE = strArg('base', '');
const NAME = strArg('name', 'client-request-build');

interface ClientModule {
  TargetClient: new (target: unknown, identities: unknown, pacer: unknown) => { build(op: string, body: unknown): unknown; sign(req: unknown): unknown };
  Pacer: new (pacing: unknown) => unknown;
}

const TARGET = { name: 'bench', endpoint: 'http://127.0.0.1:9', region: 'cn-hangzhou', bucket: 'bench-bucket', accountId: '1234567890', addressing: 'path', timeoutMs: 1000, maxResponseBytes: 1 << 20, otherBucket: null };
const IDENTITIES = { main: { accessKeyId: 'bench-key', accessKeySecret: 'bench-secret-value' }, denied: null };
const PACING = { putIndexRps: 0, maxRps: 0, concurrency: 8, throttleAttempts: 3, throttleBudgetMs: 1000 };

/** µs per build + sign over `REQUESTS` DeleteVectorIndex requests (after a warm-up). */
function measure(m: ClientModule): number {
  const client = new m.TargetClient(TARGET, IDENTITIES, new m.Pacer(PACING));
  for (let i = 0; i < 5000; i++) client.sign(client.build('DeleteVectorIndex', { indexName: `bench${i}` }));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) client.sign(client.build('DeleteVectorIndex', { indexName: `bench${i}` }));
  return Number(process.hrtime.bigint() - t0) / REQUESTS / 1000;
}

async function main(): Promise<void> {
  const builds = [{ name: 'this', root: ROOT }, ...(BASE ? [{ name: 'base', root: BASE }] : [])];
  const mods = new Map<string, ClientModule>();
  for (const b of builds) mods.set(b.name, await import(pathToFileURL(join(b.root, 'dist', 'client', 'client.js')).href) as ClientModule);
  const samples: Record<string, number[]> = Object.fromEntries(builds.map((b) => [b.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const b of round % 2 === 0 ? builds : [...builds].reverse()) samples[b.name]!.push(measure(mods.get(b.name)!));
    process.stderr.write(`round ${round + 1}/${ROUNDS}: ${builds.map((b) => `${b.name} ${samples[b.name]![round]!.toFixed(2)} µs`).join(' | ')}\n`);
  }
  const ratio = BASE ? summarize(samples.this!.map((x, i) => x / samples.base![i]!)) : null;
  console.log(`\nbuild + sign of one DeleteVectorIndex request, ${ROUNDS} rounds of ${REQUESTS}, alternating:\n`);
  console.log(table(['build', 'µs per request, median (min–max)'], builds.map((b) => [b.name, fmtSummary(summarize(samples[b.name]!), 2)])));
  if (ratio) console.log(`\nthis ÷ base, per round: ${fmtSummary(ratio, 2)}`);
  console.log(`written ${writeResult(NAME, { settings: { rounds: ROUNDS, requests: REQUESTS, base: BASE || null }, samples, thisOverBase: ratio })}`);
}

await main();
