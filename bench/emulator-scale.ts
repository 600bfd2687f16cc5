// The emulator at scale, against `ovc serve` in a child process (state hook on loopback):
//   1. memory per vector: RSS of the server before/after 1M × 128-dim vectors (target ≤ 1.2 × raw
//      float32), and the JS heap + ArrayBuffer cost of the PutVectors growth path (in-process, gc);
//   2. DeleteVectorIndex latency at 0 … 1M vectors (flat: O(1) in the vector count);
//   3. ListVectorIndexes latency with 1, 10, 100 indexes;
//   4. ListVectors pagination: time per page at the start vs the end of a full listing, and the
//      first page's time as the index grows (a listing costs pages × per-page time);
//   5. (`--parts q`) QueryVectors latency, topK 10, over 100k vectors (a full scan per query).
// `--root DIR` runs another checkout's `ovc serve` (a local experiment on a copy of the emulator).
//   npx tsx --expose-gc bench/emulator-scale.ts [--vectors 1000000] [--reps 7] [--parts mem,del,li,lv,q] [--root DIR] [--name emulator-scale]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { numArg, strArg } from './lib/cli.ts';
import { call, closeClient, stateHook } from './lib/client.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { rssKiB, startOvcServe, type ChildServer } from './lib/servers.ts';
import { fmt, median, summarize, type Summary } from './lib/stats.ts';
import { VectorData } from '../emulator/vectorData.ts';

const MAX = numArg('vectors', 1_000_000);
const REPS = Math.max(3, numArg('reps', 7));
const DIM = 128;
const BUCKET = 'examplebucket';
const root = strArg('root', ROOT);
const NAME = strArg('name', 'emulator-scale');
const PARTS = new Set(strArg('parts', 'mem,del,li,lv').split(','));
const SIZES = [0, 1_000, 10_000, 100_000, MAX].filter((n, i, a) => n <= MAX && a.indexOf(n) === i);

const setupIndex = (port: number, indexName: string, vectorCount: number, dimension = DIM) =>
  stateHook(port, { state: 'a vector index exists', params: { bucket: BUCKET, indexName, vectorCount, dimension, status: 'enable' } });

async function settle(pid: number): Promise<number> {
  // RSS after the allocator has had a moment (no GC handle on the child: RSS is what the OS sees).
  await new Promise((r) => setTimeout(r, 1500));
  return rssKiB(pid);
}

async function memory(server: ChildServer): Promise<Record<string, number>> {
  const before = await settle(server.pid);
  await setupIndex(server.port, 'memidx', MAX);
  const loaded = await settle(server.pid);
  const raw = MAX * DIM * 4;
  await call(server.port, BUCKET, 'deleteVectorIndex', { indexName: 'memidx' });
  // A few requests so V8 sees allocation pressure and collects the dropped index.
  for (let i = 0; i < 200; i++) await call(server.port, BUCKET, 'listVectorIndexes', {});
  const after = await settle(server.pid);
  return { vectors: MAX, dimension: DIM, rawBytes: raw, rssBeforeKiB: before, rssLoadedKiB: loaded, rssAfterDeleteKiB: after, bytesPerVector: ((loaded - before) * 1024) / MAX, ratioToRaw: ((loaded - before) * 1024) / raw };
}

/** The PutVectors path grows the typed array as vectors arrive (no reserve): its heap + ArrayBuffer cost, in-process. */
function growthPathMemory(): Record<string, number> | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  const m0 = process.memoryUsage();
  const v = new VectorData(DIM);
  const row = new Float32Array(DIM).fill(0.5);
  for (let i = 0; i < MAX; i++) v.put(`k${i}`, row);
  gc();
  const m1 = process.memoryUsage();
  const used = m1.heapUsed + m1.arrayBuffers - (m0.heapUsed + m0.arrayBuffers);
  const raw = MAX * DIM * 4;
  const result = { vectors: v.size, rawBytes: raw, typedArrayBytes: v.typedArrayBytes(), heapAndBuffersBytes: used, bytesPerVector: used / MAX, ratioToRaw: used / raw, keyOverheadBytesPerVector: (used - v.typedArrayBytes()) / MAX };
  v.clear();
  return result;
}

/**
 * DeleteVectorIndex latency by vector count. Filling an index allocates millions of objects, and
 * V8 collects them on its own schedule: after each fill the server is left to settle, and a
 * GetVectorIndex (O(1), same index) is timed just before the delete as a control — a delete
 * that costs what the control costs does no per-vector work.
 */
async function deleteLatency(server: ChildServer): Promise<Array<{ vectors: number; ms: Summary; controlMs: Summary }>> {
  const out = [];
  for (const n of SIZES) {
    const ms: number[] = [];
    const control: number[] = [];
    for (let r = 0; r < (n >= 100_000 ? Math.min(REPS, 5) : REPS); r++) {
      await setupIndex(server.port, `del${r}`, n);
      await new Promise((res) => setTimeout(res, n >= 100_000 ? 1500 : 100));
      for (let i = 0; i < 20; i++) await call(server.port, BUCKET, 'getVectorIndex', { indexName: `del${r}` });
      control.push((await call(server.port, BUCKET, 'getVectorIndex', { indexName: `del${r}` })).ms);
      const a = await call(server.port, BUCKET, 'deleteVectorIndex', { indexName: `del${r}` });
      if (a.status !== 204) throw new Error(`delete at ${n} vectors: ${a.status}`);
      ms.push(a.ms);
    }
    out.push({ vectors: n, ms: summarize(ms), controlMs: summarize(control) });
    console.log(`  DeleteVectorIndex with ${n} vectors: median ${fmt(median(ms), 2)} ms (GetVectorIndex just before: ${fmt(median(control), 2)} ms)`);
  }
  return out;
}

async function listIndexes(server: ChildServer): Promise<Array<{ indexes: number; ms: Summary }>> {
  const out = [];
  let created = 0;
  for (const n of [1, 10, 100]) {
    for (; created < n; created++) await setupIndex(server.port, `li${created}`, 0, 4);
    const ms: number[] = [];
    for (let r = 0; r < REPS * 5; r++) {
      const a = await call(server.port, BUCKET, 'listVectorIndexes', { maxResults: 100 });
      if (a.status !== 200 || (a.json as { indexes: unknown[] }).indexes.length !== n) throw new Error(`ListVectorIndexes with ${n}: ${a.status}`);
      ms.push(a.ms);
    }
    out.push({ indexes: n, ms: summarize(ms) });
    console.log(`  ListVectorIndexes with ${n} indexes: median ${fmt(median(ms), 2)} ms`);
  }
  for (let i = 0; i < created; i++) await call(server.port, BUCKET, 'deleteVectorIndex', { indexName: `li${i}` });
  return out;
}

/** QueryVectors over `n` vectors: a full scan of the index per query. */
async function queryScan(server: ChildServer, n: number): Promise<{ vectors: number; ms: Summary }> {
  await setupIndex(server.port, 'scanme', n);
  const q = { float32: Array.from({ length: DIM }, (_, j) => ((j * 7) % 13) + 1) };
  const ms: number[] = [];
  for (let r = 0; r < REPS * 3; r++) {
    const a = await call(server.port, BUCKET, 'queryVectors', { indexName: 'scanme', queryVector: q, topK: 10, returnDistance: true });
    if (a.status !== 200 || (a.json as { vectors: unknown[] }).vectors.length !== 10) throw new Error(`QueryVectors: ${a.status}`);
    ms.push(a.ms);
  }
  await call(server.port, BUCKET, 'deleteVectorIndex', { indexName: 'scanme' });
  return { vectors: n, ms: summarize(ms) };
}

interface Listing { vectors: number; pages: number; complete: boolean; firstPagesMs: number; lastPagesMs: number; totalMs: number; projectedFullMs: number }

/** Pages through an index of `n` vectors (maxResults 1000), for at most `budgetMs`. */
async function listing(server: ChildServer, n: number, budgetMs: number): Promise<Listing> {
  await setupIndex(server.port, 'listme', n, 4);
  const times: number[] = [];
  let token: string | undefined;
  let seen = 0;
  const started = performance.now();
  do {
    const a = await call(server.port, BUCKET, 'listVectors', { indexName: 'listme', maxResults: 1000, ...(token ? { nextToken: token } : {}) });
    if (a.status !== 200) throw new Error(`ListVectors: ${a.status} ${JSON.stringify(a.json)}`);
    const page = a.json as { vectors: unknown[]; nextToken?: string };
    seen += page.vectors.length;
    token = page.nextToken;
    times.push(a.ms);
  } while (token && performance.now() - started < budgetMs);
  const pages = Math.ceil(n / 1000);
  const k = Math.min(5, Math.floor(times.length / 2) || 1);
  const first = median(times.slice(0, k));
  const last = median(times.slice(-k));
  const complete = !token;
  if (complete && seen !== n) throw new Error(`ListVectors returned ${seen} of ${n} vectors`);
  await call(server.port, BUCKET, 'deleteVectorIndex', { indexName: 'listme' });
  return { vectors: n, pages: times.length, complete, firstPagesMs: first, lastPagesMs: last, totalMs: times.reduce((s, x) => s + x, 0), projectedFullMs: complete ? times.reduce((s, x) => s + x, 0) : median(times) * pages };
}

const growth = PARTS.has('mem') ? growthPathMemory() : null;
// A million vectors of dimension 128 take ~0.6 GiB: above the default memory budget (256 MiB) of
// `ovc serve`. A checkout that predates --max-memory-mb gets no flag.
const hasBudgetFlag = readFileSync(join(root, 'cli', 'serve.ts'), 'utf8').includes('--max-memory-mb');
const server = await startOvcServe({ bucket: BUCKET, root, args: hasBudgetFlag ? ['--max-memory-mb', '8192'] : [] });
let results;
try {
  console.log(`memory: ${MAX} × ${DIM}-dim vectors …`);
  const mem = PARTS.has('mem') ? await memory(server) : null;
  console.log('DeleteVectorIndex latency by vector count …');
  const del = PARTS.has('del') ? await deleteLatency(server) : [];
  console.log('ListVectorIndexes latency by index count …');
  const li = PARTS.has('li') ? await listIndexes(server) : [];
  console.log('ListVectors pagination (maxResults 1000) …');
  const lv: Listing[] = [];
  for (const n of [10_000, 100_000, MAX].filter((x, i, a) => PARTS.has('lv') && x <= MAX && a.indexOf(x) === i)) {
    const l = await listing(server, n, 60_000);
    lv.push(l);
    console.log(`  ${n} vectors: ${l.pages} pages${l.complete ? '' : ' (stopped at the time budget)'}; first pages ${fmt(l.firstPagesMs, 1)} ms, last pages ${fmt(l.lastPagesMs, 1)} ms; full listing ${l.complete ? '' : 'projected '}${fmt(l.projectedFullMs / 1000, 1)} s`);
  }
  const qs = PARTS.has('q') ? await queryScan(server, 100_000) : null;
  if (qs) console.log(`  QueryVectors over ${qs.vectors} vectors: median ${fmt(qs.ms.median, 1)} ms`);
  results = { mem, growth, del, li, lv, qs };
} finally {
  await server.stop();
  await closeClient();
}

const { mem, del, li, lv, qs } = results;
if (mem) {
  console.log(`\nmemory, ${MAX} × ${DIM}-dim (raw float32 ${fmt(mem.rawBytes! / 2 ** 20)} MiB):\n`);
  console.log(table(['measure', 'bytes/vector', '× raw', 'target ≤ 1.2×'], [
    ['ovc serve RSS delta (state hook, reserved)', fmt(mem.bytesPerVector!), fmt(mem.ratioToRaw!, 3), mem.ratioToRaw! <= 1.2 ? 'met' : 'NOT met'],
    ...(growth ? [['heap + ArrayBuffers, PutVectors growth path (in-process)', fmt(growth.bytesPerVector!), fmt(growth.ratioToRaw!, 3), growth.ratioToRaw! <= 1.2 ? 'met' : 'NOT met']] : []),
  ]));
  console.log(`RSS: before ${fmt(mem.rssBeforeKiB! / 1024)} MiB, loaded ${fmt(mem.rssLoadedKiB! / 1024)} MiB, after DeleteVectorIndex ${fmt(mem.rssAfterDeleteKiB! / 1024)} MiB`);
}
if (del.length) console.log('\nDeleteVectorIndex latency (client side, loopback):\n');
const flat = del.length ? del[del.length - 1]!.ms.median / Math.max(0.01, del[0]!.ms.median) : null;
if (del.length) {
  console.log(table(['vectors', 'median ms', 'min ms', 'max ms', 'GetVectorIndex control ms'], del.map((d) => [d.vectors, fmt(d.ms.median, 2), fmt(d.ms.min, 2), fmt(d.ms.max, 2), fmt(d.controlMs.median, 2)])));
  console.log(`ratio ${MAX} vectors / 0 vectors: ${fmt(flat!, 2)}`);
}
if (li.length) {
  console.log('\nListVectorIndexes latency:\n');
  console.log(table(['indexes', 'median ms', 'min ms', 'max ms'], li.map((d) => [d.indexes, fmt(d.ms.median, 2), fmt(d.ms.min, 2), fmt(d.ms.max, 2)])));
}
if (lv.length) console.log('\nListVectors pagination, maxResults 1000:\n');
if (lv.length) console.log(table(['vectors', 'pages timed', 'first pages ms', 'last pages ms', 'full listing s'], lv.map((l) => [l.vectors, `${l.pages}${l.complete ? '' : ' (budget)'}`, fmt(l.firstPagesMs, 1), fmt(l.lastPagesMs, 1), `${l.complete ? '' : '~'}${fmt(l.projectedFullMs / 1000, 1)}`])));
console.log(`\nwritten ${writeResult(NAME, { settings: { vectors: MAX, dimension: DIM, reps: REPS, parts: [...PARTS], root: root === ROOT ? '.' : root }, memory: mem, growthPathMemory: growth, deleteLatency: del, deleteFlatRatio: flat, listVectorIndexes: li, listVectors: lv, queryVectors: qs })}`);
