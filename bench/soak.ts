// Soak: mixed signed load against `ovc serve` (child process, loopback) for a bounded time,
// sampling the server's RSS and the latency percentiles every interval. Not run in CI.
// Each worker cycles through its own index: PutVectorIndex → PutVectors ×k → QueryVectors →
// ListVectors → GetVectors → GetVectorIndex → ListVectorIndexes → DeleteVectorIndex, plus a few
// deliberate errors (404, 400 malformed JSON), so the store never grows without bound.
//   npx tsx bench/soak.ts [--minutes 10] [--sample-seconds 10] [--workers 16]
import { Agent, request } from 'undici';
import { numArg } from './lib/cli.ts';
import { presign } from './lib/load.ts';
import { table, writeResult } from './lib/report.ts';
import { cpuMs, rssKiB, startOvcServe } from './lib/servers.ts';
import { fmt, percentile } from './lib/stats.ts';

const MINUTES = numArg('minutes', 10);
const SAMPLE_S = numArg('sample-seconds', 10);
const WORKERS = numArg('workers', 16);
const DIM = 32;
const BUCKET = 'examplebucket';

interface Sample { t: number; rssMiB: number; requests: number; rps: number; p50: number; p99: number; max: number; non2xxUnexpected: number; transportErrors: number; serverCpuPct: number }

const server = await startOvcServe({ bucket: BUCKET });
const agent = new Agent({ connections: WORKERS, keepAliveTimeout: 10_000 });
const deadline = Date.now() + MINUTES * 60_000;
let window: number[] = [];
let unexpected = 0;
let transport = 0;
let total = 0;

async function op(query: string, body: unknown, expect: number[]): Promise<void> {
  const p = presign(BUCKET, query, typeof body === 'string' ? body : JSON.stringify(body));
  const t = performance.now();
  try {
    const res = await request(`http://127.0.0.1:${server.port}${p.path}`, { method: 'POST', headers: p.headers, body: p.body, dispatcher: agent, headersTimeout: 30_000, bodyTimeout: 30_000 });
    await res.body.arrayBuffer();
    if (!expect.includes(res.statusCode)) unexpected++;
  } catch {
    transport++;
  }
  window.push(performance.now() - t);
  total++;
}

const vec = (i: number, j: number) => Array.from({ length: DIM }, (_, d) => ((i * 7 + j * 13 + d) % 17) + 1);

async function worker(w: number): Promise<void> {
  for (let cycle = 0; Date.now() < deadline; cycle++) {
    const name = `soak${w}x${cycle % 4}`;
    await op('putVectorIndex', { indexName: name, dataType: 'float32', dimension: DIM, distanceMetric: cycle % 2 ? 'cosine' : 'euclidean' }, [200]);
    for (let k = 0; k < 4; k++) await op('putVectors', { indexName: name, vectors: Array.from({ length: 50 }, (_, j) => ({ key: `k${k}x${j}`, data: { float32: vec(k, j) }, metadata: { g: `${j % 3}` } })) }, [200]);
    await op('queryVectors', { indexName: name, queryVector: { float32: vec(1, 1) }, topK: 10, returnDistance: true, filter: { g: { $eq: '1' } } }, [200]);
    await op('listVectors', { indexName: name, maxResults: 100 }, [200]);
    await op('getVectors', { indexName: name, keys: ['k0x1', 'k3x49', 'none'], returnData: true }, [200]);
    await op('getVectorIndex', { indexName: name }, [200]);
    await op('listVectorIndexes', {}, [200]);
    await op('deleteVectorIndex', { indexName: `absent${w}` }, [404]);
    await op('deleteVectorIndex', '{"indexName":', [400]);
    await op('deleteVectorIndex', { indexName: name }, [204]);
  }
}

const samples: Sample[] = [];
const started = Date.now();
let lastCpu = cpuMs(server.pid);
let lastT = performance.now();
const sampler = setInterval(() => {
  const lat = window;
  window = [];
  const now = performance.now();
  const cpu = cpuMs(server.pid);
  const s: Sample = {
    t: Math.round((Date.now() - started) / 1000), rssMiB: rssKiB(server.pid) / 1024, requests: lat.length, rps: (lat.length / (now - lastT)) * 1000,
    p50: percentile(lat, 50), p99: percentile(lat, 99), max: Math.max(...lat), non2xxUnexpected: unexpected, transportErrors: transport, serverCpuPct: ((cpu - lastCpu) / (now - lastT)) * 100,
  };
  lastCpu = cpu;
  lastT = now;
  samples.push(s);
  console.log(`t=${s.t}s rss ${fmt(s.rssMiB, 1)} MiB, ${fmt(s.rps)} req/s, p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, max ${fmt(s.max, 1)} ms, server CPU ${fmt(s.serverCpuPct)} %, unexpected ${unexpected}, transport errors ${transport}`);
}, SAMPLE_S * 1000);

try {
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
} finally {
  clearInterval(sampler);
  await agent.close();
  await server.stop();
}

const first = samples[0];
const last = samples[samples.length - 1];
console.log(`\n${MINUTES} min, ${WORKERS} workers, ${total} requests, sampled every ${SAMPLE_S} s:\n`);
console.log(table(['t s', 'RSS MiB', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'server CPU %'], samples.map((s) => [s.t, fmt(s.rssMiB, 1), fmt(s.rps), fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 1), fmt(s.serverCpuPct)])));
if (first && last) console.log(`\nRSS ${fmt(first.rssMiB, 1)} → ${fmt(last.rssMiB, 1)} MiB; p99 ${fmt(first.p99, 2)} → ${fmt(last.p99, 2)} ms; unexpected answers ${unexpected}, transport errors ${transport}`);
console.log(`\nwritten ${writeResult('soak', { settings: { minutes: MINUTES, sampleSeconds: SAMPLE_S, workers: WORKERS, dimension: DIM }, totalRequests: total, unexpectedAnswers: unexpected, transportErrors: transport, samples })}`);
