// DeleteVectorIndex cost against the number of vectors in the index: 0 vs 1,000,000 × 128-dim.
// The index is filled directly through the store API (not HTTP); the delete is a signed HTTP
// request, timed end to end, median over repeats. Also: the store's typed-array bytes vs raw.
// In-process, so the server's GC can be forced between repeats; bench/emulator-scale.ts measures
// the same over HTTP against `ovc serve` in a child process.
//   npx tsx --expose-gc bench/emulator-delete-scale.ts [--vectors 1000000] [--reps 5]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { createEmulatorInstance } from '../emulator/index.ts';
import { fillDeterministic } from '../emulator/vectorData.ts';
import { numArg } from './lib/cli.ts';
import { presign } from './lib/load.ts';
import { writeResult } from './lib/report.ts';
import { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION } from './lib/servers.ts';
import { median } from './lib/stats.ts';

const VECTORS = numArg('vectors', 1_000_000);
const REPS = Math.max(3, numArg('reps', 5));
const DIM = 128;
const BUCKET = 'bench';

const instance = createEmulatorInstance({ identities: [{ ...BENCH_KEY }], region: BENCH_REGION, accountId: BENCH_ACCOUNT, buckets: [BUCKET], stateHook: false });
const { store } = instance.emulator;
const server = createServer(instance.handler);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const gc = (globalThis as { gc?: () => void }).gc;

function makeIndex(name: string, count: number): void {
  const bucket = store.bucket(BUCKET)!;
  const index = store.createIndex(bucket, { name, dimension: DIM, distanceMetric: 'cosine' });
  fillDeterministic(index.vectors, count);
}

async function timedDelete(name: string): Promise<number> {
  const { path, headers, body } = presign(BUCKET, 'deleteVectorIndex', JSON.stringify({ indexName: name }));
  const started = process.hrtime.bigint();
  const res = await request(`${url}${path}`, { method: 'POST', headers, body });
  await res.body.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.statusCode !== 204) throw new Error(`DeleteVectorIndex answered ${res.statusCode}`);
  return ms;
}

async function measure(count: number): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const name = `scale${count}r${rep}`;
    makeIndex(name, count);
    // Collect the previous repeat's garbage now, so it is not charged to this delete.
    gc?.();
    all.push(await timedDelete(name));
  }
  return { median: median(all), all };
}

// Warm-up: JIT the request path.
for (let i = 0; i < 200; i++) { makeIndex(`warm${i}`, 1); await timedDelete(`warm${i}`); }

const empty = await measure(0);
const full = await measure(VECTORS);

// Bytes: once with exact reservation (what the provider-state hook does), once through plain
// put() calls that grow the array (what PutVectors does).
const raw = VECTORS * DIM * 4;
makeIndex('reserved', VECTORS);
const reservedBytes = store.typedArrayBytes();
await timedDelete('reserved');
gc?.();
{
  const index = store.createIndex(store.bucket(BUCKET)!, { name: 'grown', dimension: DIM, distanceMetric: 'cosine' });
  const row = new Float32Array(DIM).fill(0.5);
  for (let i = 0; i < VECTORS; i++) { row[0] = i; index.vectors.put(`k${i}`, row); }
}
const grownBytes = store.typedArrayBytes();

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(', ');
console.log(`DeleteVectorIndex over HTTP, median of ${REPS} (all runs in ms):`);
console.log(`  0 vectors:             ${empty.median.toFixed(3)} ms  [${fmt(empty.all)}]`);
console.log(`  ${VECTORS.toLocaleString('en')} × ${DIM}: ${full.median.toFixed(3)} ms  [${fmt(full.all)}]`);
console.log(`  ratio full/empty:      ${(full.median / empty.median).toFixed(2)}  (target ≤ 2: ${full.median / empty.median <= 2 ? 'met' : 'NOT met'})`);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
console.log(`store typed arrays for ${VECTORS.toLocaleString('en')} × ${DIM} (raw float32 ${mib(raw)}):`);
console.log(`  reserved exactly (provider-state fill): ${mib(reservedBytes)} = ${(reservedBytes / raw).toFixed(3)}×`);
console.log(`  grown by put() (PutVectors path):       ${mib(grownBytes)} = ${(grownBytes / raw).toFixed(3)}×`);
console.log(`  process RSS now: ${mib(process.memoryUsage().rss)} (includes the JS heap: keys map, slot keys)`);
if (!gc) console.log('  note: run with --expose-gc for steadier figures');
console.log(`written ${writeResult('emulator-delete-scale', {
  settings: { vectors: VECTORS, reps: REPS, dimension: DIM, gcBetweenRepeats: Boolean(gc) },
  deleteMs: { empty, full, ratio: full.median / empty.median },
  typedArrayBytes: { raw, reserved: reservedBytes, grown: grownBytes, reservedRatio: reservedBytes / raw, grownRatio: grownBytes / raw },
})}`);

server.close();
server.closeAllConnections();
await instance.close();
