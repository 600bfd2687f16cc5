// PutVectorIndex, GetVectorIndex, ListVectorIndexes, DeleteVectorIndex (spec §3.5–3.8).
import { LIMITS, METADATA_KEY_PATTERN, type DistanceMetric } from '../../contracts/limits.ts';
import { ApiError, invalidParam } from '../errors.ts';
import { checkRequest, isObject, optionalInteger, optionalString, parseJsonBody, requireIndexName, requireObject, type JsonObject } from '../params.ts';
import type { Bucket, IndexSpec, VectorIndex } from '../store.ts';
import { requireBucket, type OpContext, type OpResult } from './context.ts';

/** Fault `concurrent-deletes-succeed`: how long the faulty delete waits between its check and the removal. */
const CHECK_TO_REMOVE_GAP_MS = 25;

/** The index object of GetVectorIndex and ListVectorIndexes (spec §3.6). */
export function indexView(bucket: Bucket, index: VectorIndex, fault: OpContext['fault'] = null): Record<string, unknown> {
  const view: Record<string, unknown> = {
    indexName: index.name,
    createTime: index.createTime.toISOString(),
    dataType: index.dataType,
    dimension: index.dimension,
    distanceMetric: index.distanceMetric,
    status: fault === 'status-enabled-literal' && index.status === 'enable' ? 'enabled' : index.status,
    vectorBucketName: bucket.name,
  };
  if (index.nonFilterableMetadataKeys) view.metadata = { nonFilterableMetadataKeys: [...index.nonFilterableMetadataKeys] };
  return view;
}

function indexSpec(body: JsonObject): IndexSpec {
  const name = requireIndexName(body, { op: 'PutVectorIndex' });
  checkRequest('PutVectorIndex', body);
  if (body.dataType !== 'float32') throw invalidParam("dataType is required and must be 'float32'");
  const dimension = body.dimension;
  if (typeof dimension !== 'number' || !Number.isInteger(dimension) || dimension < LIMITS.dimensionMin || dimension > LIMITS.dimensionMax) {
    throw invalidParam(`dimension is required and must be an integer in ${LIMITS.dimensionMin}..${LIMITS.dimensionMax}`);
  }
  const metric = body.distanceMetric;
  if (!(LIMITS.distanceMetrics as readonly unknown[]).includes(metric)) throw invalidParam(`distanceMetric is required and must be one of ${LIMITS.distanceMetrics.join(', ')}`);
  const spec: IndexSpec = { name, dimension, distanceMetric: metric as DistanceMetric };
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) throw invalidParam('metadata must be an object');
    const keys = body.metadata.nonFilterableMetadataKeys;
    if (keys !== undefined) {
      if (!Array.isArray(keys) || keys.length < 1 || keys.length > LIMITS.nonFilterableKeysMax) throw invalidParam(`nonFilterableMetadataKeys must hold 1..${LIMITS.nonFilterableKeysMax} names`);
      for (const k of keys) if (typeof k !== 'string' || !METADATA_KEY_PATTERN.test(k)) throw invalidParam(`'${String(k)}' is not a valid metadata key name`);
      spec.nonFilterableMetadataKeys = [...new Set(keys as string[])];
    }
  }
  return spec;
}

export function putVectorIndex(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  const spec = indexSpec(requireObject(parseJsonBody(ctx.body, ctx.fault)));
  // A name in its 'deleting' window is still taken (spec §12 U7); no idempotent re-create (U8).
  if (bucket.indexes.has(spec.name)) throw new ApiError('VectorBucketIndexAlreadyExist', `index '${spec.name}' already exists`);
  if (bucket.indexes.size >= LIMITS.indexesPerBucket) throw new ApiError('VectorBucketIndexExceedLimit', `at most ${LIMITS.indexesPerBucket} indexes per bucket`);
  bucket.ghosts.delete(spec.name);
  const orphan = bucket.orphanedVectors.get(spec.name);
  bucket.orphanedVectors.delete(spec.name);
  ctx.store.createIndex(bucket, spec, { vectors: orphan && orphan.dimension === spec.dimension ? orphan : undefined });
  return { status: 200 };
}

export function getVectorIndex(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  const body = requireObject(parseJsonBody(ctx.body, ctx.fault));
  const name = requireIndexName(body, { op: 'GetVectorIndex' });
  checkRequest('GetVectorIndex', body);
  const index = bucket.indexes.get(name) ?? bucket.ghosts.get(name);
  if (!index) throw new ApiError('NoSuchVectorIndex', `index '${name}' does not exist`);
  return { status: 200, json: { index: indexView(bucket, index, ctx.fault) } };
}

export function listVectorIndexes(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  const body = requireObject(parseJsonBody(ctx.body, ctx.fault, { emptyMeansNoParameters: true }));
  checkRequest('ListVectorIndexes', body);
  const maxResults = optionalInteger(body, 'maxResults', 0, LIMITS.listIndexesMax) || LIMITS.listIndexesDefault;
  const nextToken = optionalString(body, 'nextToken', 1, 512);
  const prefix = body.prefix === undefined ? '' : body.prefix;
  if (typeof prefix !== 'string') throw invalidParam('prefix must be a string');
  const visible = new Map(bucket.ghosts);
  for (const [n, i] of bucket.indexes) visible.set(n, i);
  // Lexicographic by name; the token is the last name returned (spec §12 U21).
  const names = [...visible.keys()].filter((n) => n.startsWith(prefix) && (nextToken === undefined || n > nextToken)).sort();
  const page = names.slice(0, maxResults);
  const result: Record<string, unknown> = { indexes: page.map((n) => indexView(bucket, visible.get(n)!, ctx.fault)) };
  if (names.length > page.length) result.nextToken = page[page.length - 1];
  return { status: 200, json: result };
}

/**
 * Check order (spec §12 U2): [auth, done by the dispatcher] → bucket → JSON → indexName →
 * lookup → state → 204. Everything from the lookup to the mutation is synchronous.
 */
export function deleteVectorIndex(ctx: OpContext): OpResult | Promise<OpResult> {
  const bucket = requireBucket(ctx);
  const body = requireObject(parseJsonBody(ctx.body, ctx.fault));
  const name = requireIndexName(body, { op: 'DeleteVectorIndex', checkFormat: ctx.fault !== 'accept-invalid-names' });
  if (ctx.fault !== 'accept-invalid-names') checkRequest('DeleteVectorIndex', body);
  const index = bucket.indexes.get(name);
  if (!index) {
    if (ctx.fault === 'second-delete-204') return { status: 204 };
    throw new ApiError('NoSuchVectorIndex', `index '${name}' does not exist`);
  }
  if (index.status !== 'enable') {
    if (ctx.fault !== 'delete-creating-succeeds') throw new ApiError('VectorIndexOperationConflict', `index '${name}' is ${index.status}`);
    ctx.store.removeIndex(bucket, index);
    return deleted(ctx, name);
  }
  if (ctx.fault === 'concurrent-deletes-succeed') {
    // Deliberately not linearizable: other requests run between the check above and the removal.
    // One event-loop turn is too short for parallel requests to overlap reliably, hence a timer.
    return new Promise((resolve) => setTimeout(() => {
      ctx.store.deleteIndex(bucket, index);
      resolve(deleted(ctx, name));
    }, CHECK_TO_REMOVE_GAP_MS));
  }
  applyDeleteFaults(ctx, bucket, index);
  ctx.store.deleteIndex(bucket, index);
  return deleted(ctx, name);
}

function applyDeleteFaults(ctx: OpContext, bucket: Bucket, index: VectorIndex): void {
  switch (ctx.fault) {
    case 'vectors-survive-delete':
      bucket.orphanedVectors.set(index.name, index.vectors);
      break;
    case 'deleted-index-visible':
      bucket.ghosts.set(index.name, { ...index, status: 'enable' });
      break;
    case 'delete-touches-other':
      for (const other of bucket.indexes.values()) if (other !== index) other.vectors.clear();
      break;
    default:
      break;
  }
}

function deleted(ctx: OpContext, name: string): OpResult {
  if (ctx.fault === 'status-200-on-delete') return { status: 200 };
  if (ctx.fault === 'body-on-204') return { status: 204, bodyOn204: { indexName: name, deleted: true } };
  return { status: 204 };
}
