// PutVectors, GetVectors, ListVectors, DeleteVectors, QueryVectors (spec §3.9–3.13).
import { crc32 } from 'node:zlib';
import { LIMITS } from '../../contracts/limits.ts';
import { ApiError, invalidParam } from '../errors.ts';
import { compileFilter } from '../filter.ts';
import { formatBytes } from '../memory.ts';
import { checkRequest, isObject, optionalBoolean, optionalInteger, optionalString, requireFloat32, requireIndexName, requireKeys, type JsonObject } from '../params.ts';
import type { Bucket, VectorIndex } from '../store.ts';
import type { Metadata } from '../vectorData.ts';
import { bucketAndBody, type OpContext, type OpResult } from './context.ts';

const FILTERABLE_MAX_KEYS = 10;
const FILTERABLE_MAX_BYTES = 2 * 1024;

type VectorOp = 'PutVectors' | 'GetVectors' | 'ListVectors' | 'DeleteVectors' | 'QueryVectors';

/** Bucket → body → indexName → index exists → index is 'enable' (data-plane calls on other states: 409, spec §12 U6). */
function openIndex(ctx: OpContext, op: VectorOp): { bucket: Bucket; body: JsonObject; index: VectorIndex } {
  const { bucket, body } = bucketAndBody(ctx);
  const name = requireIndexName(body, { op, fault: ctx.fault });
  const index = bucket.indexes.get(name);
  if (!index) throw new ApiError('NoSuchVectorIndex', `index '${name}' does not exist`);
  if (index.status !== 'enable') throw new ApiError('VectorIndexOperationConflict', `index '${name}' is ${index.status}`);
  // The rest of the body against the contract's schema, after the lookup (check order of U2/U6).
  checkRequest(op, body, ctx.fault);
  return { bucket, body, index };
}

/** Metadata values: strings, finite numbers, booleans, string arrays (spec §12 U19, lenient reading). */
function checkMetadata(v: unknown, nonFilterable: readonly string[] = []): Metadata | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalidParam('metadata must be an object');
  for (const [k, val] of Object.entries(v)) {
    const ok = typeof val === 'string' || typeof val === 'boolean' || (typeof val === 'number' && Number.isFinite(val))
      || (Array.isArray(val) && val.every((x) => typeof x === 'string'));
    if (!ok) throw invalidParam(`metadata value of '${k}' must be a string, number, boolean or array of strings`);
  }
  if (Buffer.byteLength(JSON.stringify(v)) > LIMITS.metadataMaxBytes) throw invalidParam('metadata is larger than 40 KB');
  const filterable = Object.fromEntries(Object.entries(v).filter(([k]) => !nonFilterable.includes(k)));
  if (Object.keys(filterable).length > FILTERABLE_MAX_KEYS) throw invalidParam(`at most ${FILTERABLE_MAX_KEYS} filterable metadata keys`);
  if (Buffer.byteLength(JSON.stringify(filterable)) > FILTERABLE_MAX_BYTES) throw invalidParam('filterable metadata is larger than 2 KB');
  return v as Metadata;
}

export function putVectors(ctx: OpContext): OpResult {
  const { body, index } = openIndex(ctx, 'PutVectors');
  const list = body.vectors;
  if (!Array.isArray(list) || list.length < 1 || list.length > LIMITS.vectorsPerPut) throw invalidParam(`vectors must hold 1..${LIMITS.vectorsPerPut} entries`);
  // Everything is checked before anything is written: a bad entry fails the whole request.
  const seen = new Set<string>();
  const rows = list.map((item, i) => {
    if (!isObject(item)) throw invalidParam(`vectors[${i}] must be an object`);
    const key = item.key;
    if (typeof key !== 'string' || key.length < 1 || key.length > LIMITS.vectorKeyMaxChars) throw invalidParam(`vectors[${i}].key must be a string of 1..${LIMITS.vectorKeyMaxChars} characters`);
    if (seen.has(key)) throw invalidParam(`key '${key}' appears twice in one request`);
    seen.add(key);
    const values = requireFloat32(item.data, index.dimension, `vectors[${i}].data`);
    if (index.distanceMetric === 'cosine' && values.every((x) => x === 0)) throw invalidParam(`vectors[${i}] is a zero vector, which cosine distance cannot use`);
    return { key, values, metadata: checkMetadata(item.metadata, index.nonFilterableMetadataKeys) };
  });
  // The memory budget (emulator/memory.ts), before anything is written: all or nothing.
  let adding = 0;
  for (const r of rows) adding += index.vectors.bytesToPut(r.key, r.metadata);
  if (!ctx.store.hasRoom(adding)) throw overBudget(ctx, adding);
  for (const r of rows) index.vectors.put(r.key, r.values, r.metadata);
  return { status: 200 };
}

/**
 * An emulator limit, not a service one (docs/emulator.md): 400 EntityTooLarge (the catalogue's
 * "Your proposed upload exceeds the maximum allowed size"), never retried by the SDKs, with the
 * budget named in x-ovc-memory-limit.
 */
function overBudget(ctx: OpContext, adding: number): ApiError {
  const limit = `${formatBytes(ctx.store.maxBytes)} (ovc serve --max-memory-mb)`;
  return new ApiError('EntityTooLarge', `these vectors (${formatBytes(adding)}) exceed the emulator's memory budget of ${limit}`, undefined, { 'x-ovc-memory-limit': limit });
}

function vectorView(index: VectorIndex, key: string, withData: boolean, withMetadata: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { key };
  if (withData) out.data = { float32: Array.from(index.vectors.values(key)!) };
  const m = withMetadata ? index.vectors.metadataOf(key) : undefined;
  if (m) out.metadata = m;
  return out;
}

export function getVectors(ctx: OpContext): OpResult {
  const { body, index } = openIndex(ctx, 'GetVectors');
  const keys = requireKeys(body, LIMITS.getVectorsKeysMax);
  const withData = optionalBoolean(body, 'returnData');
  const withMetadata = optionalBoolean(body, 'returnMetadata');
  // Keys that do not exist are silently left out (spec §3.10).
  const vectors = keys.filter((k) => index.vectors.has(k)).map((k) => vectorView(index, k, withData, withMetadata));
  return { status: 200, json: { vectors } };
}

/**
 * Segment of a key for ListVectors' segmentCount/segmentIndex: CRC-32 (IEEE) of the key's UTF-8
 * bytes modulo segmentCount (docs/emulator.md U21a). Stable per key, so a segment's pages stay
 * consistent while other keys come and go; the SDKs' own test (one key, `vector-key-1`, in segment
 * 1 of 2) agrees with it.
 */
export function segmentOf(key: string, count: number): number {
  return crc32(key) % count;
}

export function listVectors(ctx: OpContext): OpResult {
  const { body, index } = openIndex(ctx, 'ListVectors');
  const maxResults = optionalInteger(body, 'maxResults', 1, LIMITS.listVectorsMax) ?? LIMITS.listVectorsDefault;
  const token = optionalString(body, 'nextToken', 1, 2048);
  const withData = optionalBoolean(body, 'returnData');
  const withMetadata = optionalBoolean(body, 'returnMetadata');
  const segmentCount = optionalInteger(body, 'segmentCount', 1, LIMITS.listVectorsSegmentsMax);
  const segmentIndex = optionalInteger(body, 'segmentIndex', 0, LIMITS.listVectorsSegmentsMax - 1);
  if ((segmentCount === undefined) !== (segmentIndex === undefined)) throw invalidParam('segmentCount and segmentIndex go together');
  if (segmentCount !== undefined && segmentIndex! >= segmentCount) throw invalidParam('segmentIndex must be less than segmentCount');
  // The token is the last key returned, base64url-encoded so it is opaque and header-safe.
  const after = token === undefined ? undefined : Buffer.from(token, 'base64url').toString('utf8');
  // Binary search to the token, then walk forward: O(log n + page) per page, not O(n log n).
  const sorted = index.vectors.sortedKeys();
  const page: string[] = [];
  let more = false;
  for (let i = after === undefined ? 0 : index.vectors.firstAfter(after); i < sorted.length; i++) {
    const k = sorted[i]!;
    if (segmentCount !== undefined && segmentOf(k, segmentCount) !== segmentIndex) continue;
    if (page.length === maxResults) { more = true; break; }
    page.push(k);
  }
  const result: Record<string, unknown> = { vectors: page.map((k) => vectorView(index, k, withData, withMetadata)) };
  // No token when nothing remains (spec §3.11): paginators stop on its absence.
  if (more) result.nextToken = Buffer.from(page[page.length - 1]!, 'utf8').toString('base64url');
  return { status: 200, json: result };
}

export function deleteVectors(ctx: OpContext): OpResult {
  const { body, index } = openIndex(ctx, 'DeleteVectors');
  for (const k of requireKeys(body, LIMITS.deleteVectorsKeysMax)) index.vectors.delete(k);
  return { status: 204 };
}

export function queryVectors(ctx: OpContext): OpResult {
  const { body, index } = openIndex(ctx, 'QueryVectors');
  const q = requireFloat32(body.queryVector, index.dimension, 'queryVector');
  const topK = body.topK;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < LIMITS.topKMin || topK > LIMITS.topKMax) throw invalidParam(`topK is required and must be an integer in ${LIMITS.topKMin}..${LIMITS.topKMax}`);
  const withDistance = optionalBoolean(body, 'returnDistance');
  const withMetadata = optionalBoolean(body, 'returnMetadata');
  const accept = compileFilter(body.filter, index.nonFilterableMetadataKeys);
  const cosine = index.distanceMetric === 'cosine';
  let qNorm = 0;
  for (let j = 0; j < q.length; j++) qNorm += q[j]! * q[j]!;
  qNorm = Math.sqrt(qNorm);
  if (cosine && qNorm === 0) throw invalidParam('queryVector is a zero vector, which cosine distance cannot use');

  const v = index.vectors;
  const d = index.dimension;
  const best: Array<{ key: string; distance: number }> = [];
  for (let slot = 0; slot < v.size; slot++) {
    const key = v.keyAt(slot);
    if (!accept(v.metadataOf(key))) continue;
    const raw = v.blockAt(slot);
    const base = v.offsetAt(slot);
    let distance: number;
    if (cosine) {
      let dot = 0;
      let norm = 0;
      for (let j = 0; j < d; j++) { const x = raw[base + j]!; dot += x * q[j]!; norm += x * x; }
      distance = 1 - dot / (Math.sqrt(norm) * qNorm);
    } else {
      let sum = 0;
      for (let j = 0; j < d; j++) { const diff = raw[base + j]! - q[j]!; sum += diff * diff; }
      distance = Math.sqrt(sum);
    }
    insertTopK(best, { key, distance }, topK);
  }
  const vectors = best.map((b) => {
    const out: Record<string, unknown> = { key: b.key };
    if (withDistance) out.distance = b.distance;
    const m = withMetadata ? v.metadataOf(b.key) : undefined;
    if (m) out.metadata = m;
    return out;
  });
  return { status: 200, json: { vectors } };
}

/** Keeps `best` sorted by distance (ties by key, for deterministic answers) and at most k long. */
function insertTopK(best: Array<{ key: string; distance: number }>, item: { key: string; distance: number }, k: number): void {
  const before = (a: { key: string; distance: number }, b: { key: string; distance: number }): boolean =>
    a.distance < b.distance || (a.distance === b.distance && a.key < b.key);
  if (best.length === k && !before(item, best[k - 1]!)) return;
  let i = best.length < k ? best.length : k - 1;
  if (best.length < k) best.push(item);
  while (i > 0 && before(item, best[i - 1]!)) { best[i] = best[i - 1]!; i--; }
  best[i] = item;
}
