// Load generation: pre-signed OSS Vectors requests and an autocannon driver for
// PutVectorIndex + DeleteVectorIndex cycles with a fresh index name per cycle.
import autocannon, { type AutocannonResult } from 'autocannon';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest, type Credentials } from '../../protocol/signer.ts';
import { table } from './report.ts';
import { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION } from './servers.ts';
import { fmt, fmtSummary, summarize, type Summary } from './stats.ts';

export interface Prepared { method: 'POST'; path: string; headers: Record<string, string>; body: string | Buffer }

/** One signed POST to `/<bucket>/?<query>` (path-style). x-oss-date is now: valid for 15 minutes. */
export function presign(bucket: string, query: string, body: string | Buffer, credentials: Credentials = BENCH_KEY, time = new Date()): Prepared {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-MD5': contentMd5(body) };
  Object.assign(headers, signRequest({ region: BENCH_REGION, accountId: BENCH_ACCOUNT, bucket, method: 'POST', query, headers, credentials, time }).headers);
  return { method: 'POST', path: `/${bucket}/?${query}`, headers, body };
}

export type Cycle = [put: Prepared, del: Prepared];

/** `count` PutVectorIndex + DeleteVectorIndex pairs, index names `${prefix}${i}` (fresh per cycle). */
export function presignCycles(bucket: string, count: number, prefix = 'bench'): Cycle[] {
  const time = new Date();
  const out: Cycle[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    out.push([
      presign(bucket, 'putVectorIndex', JSON.stringify({ indexName: name, dataType: 'float32', dimension: 128, distanceMetric: 'cosine' }), BENCH_KEY, time),
      presign(bucket, 'deleteVectorIndex', JSON.stringify({ indexName: name }), BENCH_KEY, time),
    ]);
  }
  return out;
}

export interface Measured {
  /** Requests per second (autocannon's per-second average). */
  rps: number;
  /** Put + Delete cycles per second (rps / 2). */
  cyclesPerSec: number;
  p50: number;
  p99: number;
  /** Answers by status class, and transport errors / timeouts. */
  status: Record<string, number>;
  errors: number;
  timeouts: number;
  total: number;
}

export function measured(r: AutocannonResult): Measured {
  return {
    rps: r.requests.average, cyclesPerSec: r.requests.average / 2, p50: r.latency.p50, p99: r.latency.p99,
    status: { '2xx': r['2xx'], '4xx': r['4xx'], '5xx': r['5xx'] },
    errors: r.errors, timeouts: r.timeouts, total: r.requests.total,
  };
}

export interface DriveOptions {
  connections: number;
  seconds: number;
  /** Paced load: this many requests per second over all connections (default: as fast as the server answers). */
  rate?: number;
}

/** Drives `port` with the cycles for `seconds` (bounded: autocannon stops by itself). */
export async function driveCycles(port: number, cycles: Cycle[], o: DriveOptions): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      { setupRequest: (req, context) => {
        const i = next++ % cycles.length;
        context.cycle = i;
        return { ...req, ...cycles[i]![0] };
      } },
      { setupRequest: (req, context) => ({ ...req, ...cycles[context.cycle as number]![1] }) },
    ],
  });
  return measured(result);
}

/** `count` signed DeleteVectorIndex requests of indexes that do not exist (`${prefix}${i}`). */
export function presignAbsentDeletes(bucket: string, count: number, prefix = 'absent'): Prepared[] {
  const time = new Date();
  const out: Prepared[] = [];
  for (let i = 0; i < count; i++) out.push(presign(bucket, 'deleteVectorIndex', JSON.stringify({ indexName: `${prefix}${i}` }), BENCH_KEY, time));
  return out;
}

/** Drives `port` with single requests taken round-robin from `list`. */
export async function driveEach(port: number, list: Prepared[], o: DriveOptions): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [{ setupRequest: (req) => ({ ...req, ...list[next++ % list.length]! }) }],
  });
  return measured(result);
}

/**
 * One round of a side-by-side comparison: each server measured once, in an order rotated by the
 * round number, so no server always runs first (or right after the same neighbour).
 */
export async function rotatedRound<S extends { kind: string }, C>(servers: readonly S[], round: number, measureOne: (s: S) => Promise<C>): Promise<Record<string, C>> {
  const got: Record<string, C> = {};
  for (let i = 0; i < servers.length; i++) {
    const s = servers[(i + round) % servers.length]!;
    got[s.kind] = await measureOne(s);
  }
  return got;
}

/** One server's CPU per request in one round of one mix (bench:serve-process, bench:emulator-layers). */
export interface Cell { rps: number; userUs: number; systemUs: number; totalUs: number; status: Measured['status'] }

export interface CellSummary { rps: Summary; userUs: Summary; systemUs: Summary; totalUs: Summary; overBare: Summary; overBareV4: Summary }

/** Per server, over the rounds of one mix: its medians, and its CPU per request over the `bare` and `bare+v4` servers' of the same round. */
export function summarizeCells(rounds: ReadonlyArray<Record<string, Cell>>, servers: readonly string[]): Record<string, CellSummary> {
  const per = (v: string, f: (c: Cell) => number): Summary => summarize(rounds.map((r) => f(r[v]!)));
  const over = (v: string, floor: string): Summary => summarize(rounds.map((r) => r[v]!.totalUs / r[floor]!.totalUs));
  return Object.fromEntries(servers.map((v) => [v, { rps: per(v, (c) => c.rps), userUs: per(v, (c) => c.userUs), systemUs: per(v, (c) => c.systemUs), totalUs: per(v, (c) => c.totalUs), overBare: over(v, 'bare'), overBareV4: over(v, 'bare+v4') }]));
}

/** One mix's table: a row per server. */
export function cellTable(cells: Record<string, CellSummary>, servers: readonly string[]): string {
  return table(['server', 'req/s median (min–max)', 'user µs/req', 'system µs/req', 'total µs/req (min–max, spread)', '× bare', '× bare+v4'], servers.map((v) => [
    v, fmtSummary(cells[v]!.rps), fmt(cells[v]!.userUs.median, 1), fmt(cells[v]!.systemUs.median, 1), fmtSummary(cells[v]!.totalUs, 1), fmt(cells[v]!.overBare.median, 2), fmt(cells[v]!.overBareV4.median, 2),
  ]));
}

/** A row of the ratio table: the mix, the ratio's name, its median (spread), its target and whether it is met. */
export function ratioRow(mix: string, name: string, t: { ratio: Summary; target: number | null }): Array<string | number> {
  return [mix, name, fmtSummary(t.ratio, 2), t.target === null ? '' : `≤ ${t.target}`, t.target === null ? '' : t.ratio.median <= t.target ? 'met' : 'NOT met'];
}
