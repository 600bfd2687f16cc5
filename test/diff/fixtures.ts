// Synthetic cassettes for the diff tests: what `ovc run --record` writes, built by hand. Two
// builds differ in run prefix, request ids and dates only, so they must compare `same`.
import type { CaseResult, Exchange } from '../../reports/model.ts';
import type { CassetteMeta, RecordedExchange } from '../../diff/cassette.ts';
import { writeCassette } from '../../diff/cassette.ts';

export interface Variant {
  runId: string; clock?: number; secrets?: readonly string[];
  /** Where this side's requests went (default http://127.0.0.1:9000); `virtual`: virtual-hosted, the bucket in the Host. */
  origin?: string; virtual?: boolean;
}

export function metaFor(v: Variant, over: Partial<CassetteMeta> = {}): CassetteMeta {
  return {
    format: 'ovc-cassette/1', seed: 7, runs: 3, strict: false, target: `fixture ${v.runId}`,
    prefix: `ovc${v.runId}`, bucket: 'ovc-conformance', otherBucket: null, absentBucket: `ovc-absent-${v.runId}`,
    accountId: '1234567890', region: 'cn-hangzhou', createdAt: '2026-11-30T00:00:00.000Z', ...over,
  };
}

let counter = 0;
const rid = (): string => (++counter).toString(16).padStart(24, 'A');

function baseHeaders(v: Variant): Record<string, string> {
  return { date: new Date(Date.UTC(2026, 10, 30) + (v.clock ?? 0) * 1000).toUTCString(), 'x-oss-request-id': rid(), server: 'AliyunOSS', connection: 'keep-alive', 'keep-alive': 'timeout=5' };
}

function request(v: Variant, op: string, body: string, bucket = 'ovc-conformance'): Exchange['request'] {
  const origin = new URL(v.origin ?? 'http://127.0.0.1:9000');
  // As the client records it: a virtual-hosted request's URL names the virtual host, also where the
  // endpoint is an IP address (`{bucket}-{account}.127.0.0.1`, a host WHATWG's URL parser refuses).
  const host = v.virtual ? `${bucket}-1234567890.${origin.host}` : origin.host;
  return {
    method: 'POST', url: v.virtual ? `${origin.protocol}//${host}/?${op}` : `${origin.origin}/${bucket}/?${op}`, body,
    headers: { authorization: '[REDACTED]', 'content-type': 'application/json', 'x-oss-date': '20261130T000000Z', host },
  };
}

export function errorBody(_v: Variant, code: string, extra: Record<string, string> = {}): string {
  return JSON.stringify({ Error: { Code: code, Message: `message of ${code}`, RequestId: rid(), HostId: '127.0.0.1:9000', EC: '0000-00000000', ...extra } });
}

export function errorResponse(v: Variant, status: number, code: string, o: { headers?: Record<string, string>; body?: string } = {}): NonNullable<Exchange['response']> {
  const body = o.body ?? errorBody(v, code);
  return { status, headers: { ...baseHeaders(v), 'content-type': 'application/json', 'content-length': String(body.length), 'x-oss-ec': '0000-00000000', 'x-oss-server-time': String(1000 + (v.clock ?? 0)), ...o.headers }, body };
}

export function noContent(v: Variant): NonNullable<Exchange['response']> {
  return { status: 204, headers: { ...baseHeaders(v), 'content-length': '0' }, body: '' };
}

export function indexBody(v: Variant, name: string, status = 'enable'): string {
  return JSON.stringify({ index: { indexName: `ovc${v.runId}${name}`, dataType: 'float32', dimension: 4, distanceMetric: 'euclidean', status, createTime: new Date(Date.UTC(2026, 10, 30) + (v.clock ?? 0)).toISOString() } });
}

export function ok200(v: Variant, body = ''): NonNullable<Exchange['response']> {
  return { status: 200, headers: { ...baseHeaders(v), 'content-length': String(body.length), ...(body ? { 'content-type': 'application/json' } : {}) }, body };
}

export function exchange(v: Variant, op: string, response: Exchange['response'], reqBody = '{}', bucket?: string): Exchange {
  return { request: request(v, op, reqBody, bucket), response, startedAt: '2026-11-30T00:00:00.000Z', durationMs: 1 };
}

export function rec(caseId: string, seq: number, role: RecordedExchange['role'], op: string | null, x: Exchange): RecordedExchange {
  return { caseId, seq, role, op, exchange: x };
}

export function result(id: string, over: Partial<CaseResult> = {}): CaseResult {
  return {
    id, response: '204 No Content', outcome: 'pass', expected: { status: 204, code: null }, actual: null,
    labels: [], reason: null, seed: 7, durationMs: 1, ...over,
  };
}

export const IDS = {
  deleted: 'delete-vector-index/204-deleted/empty-index',
  absent: 'delete-vector-index/404-no-such-vector-index/generated-name#0',
  absent1: 'delete-vector-index/404-no-such-vector-index/generated-name#1',
  second: 'delete-vector-index/404-no-such-vector-index/second-delete',
  malformed: 'delete-vector-index/400-malformed-json/generated-body#0',
  noBucket: 'delete-vector-index/404-no-such-bucket/absent-bucket-query-bare',
  multi: 'delete-vector-index/multi-fault/stale-date+index-absent#0',
  race: 'delete-vector-index/races/concurrent-deletes-16',
} as const;

export interface Built { meta: CassetteMeta; exchanges: RecordedExchange[]; results: CaseResult[] }

/** A faithful target's cassette: the emulator's answers to eight cases. */
export function buildCassette(v: Variant): Built {
  const p = `ovc${v.runId}`;
  const x: RecordedExchange[] = [];
  const results: CaseResult[] = [];
  const put = (id: string, seq: number, name: string): void => { x.push(rec(id, seq, 'given', 'PutVectorIndex', exchange(v, 'putVectorIndex', ok200(v), JSON.stringify({ indexName: `${p}${name}` })))); };
  // 204: set-up, delete, then GetVectorIndex answers 404.
  put(IDS.deleted, 0, 'a');
  x.push(rec(IDS.deleted, 1, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', noContent(v))));
  x.push(rec(IDS.deleted, 2, 'then', 'GetVectorIndex', exchange(v, 'getVectorIndex', errorResponse(v, 404, 'NoSuchVectorIndex'))));
  results.push(result(IDS.deleted, { labels: ['index-enable'] }));
  for (const id of [IDS.absent, IDS.absent1]) {
    x.push(rec(id, 0, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', errorResponse(v, 404, 'NoSuchVectorIndex'))));
    results.push(result(id, { response: '404 NoSuchVectorIndex', expected: { status: 404, code: 'NoSuchVectorIndex' }, labels: ['index-absent'] }));
  }
  put(IDS.second, 0, 'b');
  x.push(rec(IDS.second, 1, 'given', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', noContent(v))));
  x.push(rec(IDS.second, 2, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', errorResponse(v, 404, 'NoSuchVectorIndex'))));
  results.push(result(IDS.second, { response: '404 NoSuchVectorIndex', expected: { status: 404, code: 'NoSuchVectorIndex' }, labels: ['index-deleted'], unknown: true }));
  x.push(rec(IDS.malformed, 0, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', errorResponse(v, 400, 'MalformedJson'), '{"indexName":')));
  results.push(result(IDS.malformed, { response: '400 MalformedJson', expected: { status: 400, code: 'MalformedJson' }, labels: ['json-truncated'] }));
  const absentBucket = `ovc-absent-${v.runId}`;
  x.push(rec(IDS.noBucket, 0, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', errorResponse(v, 404, 'NoSuchBucket', { body: errorBody(v, 'NoSuchBucket', { BucketName: absentBucket }) }), '{}', absentBucket)));
  results.push(result(IDS.noBucket, { response: '404 NoSuchBucket', expected: { status: 404, code: 'NoSuchBucket' }, labels: ['bucket-absent'] }));
  x.push(rec(IDS.multi, 0, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', errorResponse(v, 403, 'RequestTimeTooSkewed'))));
  results.push(result(IDS.multi, { response: '403 signature family', expected: { status: 403, code: null, codes: ['RequestTimeTooSkewed', 'NoSuchVectorIndex'] }, labels: ['stale-date', 'index-absent'], precedence: 'RequestTimeTooSkewed' }));
  put(IDS.race, 0, 'c');
  for (let i = 0; i < 16; i++) {
    const res = i === 3 ? noContent(v) : errorResponse(v, 404, 'NoSuchVectorIndex');
    x.push(rec(IDS.race, i + 1, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', res)));
  }
  results.push(result(IDS.race, { response: 'races', expected: { status: 204, code: null, codes: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] }, labels: ['index-enable'] }));
  return { meta: metaFor(v), exchanges: x, results };
}

export function writeBuilt(dir: string, b: Built, secrets: readonly string[] = []): string {
  writeCassette(dir, b.meta, b.exchanges, b.results, secrets);
  return dir;
}

/** Replaces the `when` answer(s) of one case (and, optionally, its outcome). */
export function tamper(b: Built, caseId: string, answer: (x: RecordedExchange) => Exchange['response'], over: Partial<CaseResult> = {}): Built {
  return {
    meta: b.meta,
    exchanges: b.exchanges.map((x) => (x.caseId === caseId && x.role === 'when' ? { ...x, exchange: { ...x.exchange, response: answer(x) } } : x)),
    results: b.results.map((r) => (r.id === caseId ? { ...r, ...over } : r)),
  };
}
