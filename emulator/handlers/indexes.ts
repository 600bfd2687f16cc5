// PutVectorIndex, GetVectorIndex, ListVectorIndexes, DeleteVectorIndex (spec §3.5–3.8).
import { LIMITS, METADATA_KEY_PATTERN, type DistanceMetric } from '../../contracts/limits.ts';
import { ApiError, invalidParam } from '../errors.ts';
import { checkRequest, isObject, optionalInteger, optionalString, requireIndexName, type JsonObject } from '../params.ts';
import type { Bucket, IndexSpec, VectorIndex } from '../store.ts';
import { bucketAndBody, type OpContext, type OpResult } from './context.ts';
import { applyWideDeleteFaults, findForDelete } from './deleteFaults.ts';

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
    status: shownStatus(index, fault),
    vectorBucketName: bucket.name,
  };
  if (index.nonFilterableMetadataKeys) view.metadata = { nonFilterableMetadataKeys: [...index.nonFilterableMetadataKeys] };
  return view;
}

/** The status Get/List report: the real one, unless a fault bends it. */
function shownStatus(index: VectorIndex, fault: OpContext['fault']): string {
  if (fault === 'status-enabled-literal' && index.status === 'enable') return 'enabled';
  // Only the window of an API delete: a hook-held 'deleting' index stays as the hook set it.
  if (fault === 'enable-during-deleting' && index.status === 'deleting' && !index.held) return 'enable';
  return index.status;
}

function indexSpec(body: JsonObject, fault: OpContext['fault']): IndexSpec {
  const name = requireIndexName(body, { op: 'PutVectorIndex', fault });
  checkRequest('PutVectorIndex', body, fault);
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
  const { bucket, body } = bucketAndBody(ctx);
  const spec = indexSpec(body, ctx.fault);
  // A name in its 'deleting' window is still taken (spec §12 U7); no idempotent re-create (U8).
  if (bucket.indexes.has(spec.name)) throw new ApiError('VectorBucketIndexAlreadyExist', `index '${spec.name}' already exists`);
  // Indexes in 'creating' or 'deleting' count against the quota until they are removed.
  const quota = ctx.options.indexQuota;
  if (bucket.indexes.size >= quota) throw new ApiError('VectorBucketIndexExceedLimit', `at most ${quota} indexes per bucket`);
  bucket.ghosts.delete(spec.name);
  const orphan = bucket.orphanedVectors.get(spec.name);
  bucket.orphanedVectors.delete(spec.name);
  ctx.store.createIndex(bucket, spec, { vectors: orphan && orphan.dimension === spec.dimension ? orphan : undefined });
  return { status: 200 };
}

export function getVectorIndex(ctx: OpContext): OpResult | ApiError {
  const { bucket, body } = bucketAndBody(ctx);
  const name = requireIndexName(body, { op: 'GetVectorIndex', fault: ctx.fault });
  checkRequest('GetVectorIndex', body, ctx.fault);
  const index = bucket.indexes.get(name) ?? bucket.ghosts.get(name);
  if (!index) return new ApiError('NoSuchVectorIndex', `index '${name}' does not exist`);
  return { status: 200, json: { index: indexView(bucket, index, ctx.fault) } };
}

export function listVectorIndexes(ctx: OpContext): OpResult {
  const { bucket, body } = bucketAndBody(ctx, { emptyMeansNoParameters: true });
  checkRequest('ListVectorIndexes', body, ctx.fault);
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
export function deleteVectorIndex(ctx: OpContext): OpResult | ApiError | Promise<OpResult> {
  const { bucket, body } = bucketAndBody(ctx);
  const name = requireIndexName(body, { op: 'DeleteVectorIndex', checkFormat: ctx.fault !== 'accept-invalid-names', fault: ctx.fault });
  if (ctx.fault !== 'accept-invalid-names') checkRequest('DeleteVectorIndex', body, ctx.fault);
  const index = findForDelete(ctx, bucket, name);
  if (!index) {
    if (ctx.fault === 'second-delete-204') return { status: 204 };
    return new ApiError('NoSuchVectorIndex', `index '${name}' does not exist`);
  }
  if (index.status !== 'enable') {
    const timerCreating = index.status === 'creating' && !index.held;
    if (ctx.fault !== 'delete-creating-succeeds' && !(ctx.fault === 'creating-deleted-204' && timerCreating)) {
      return new ApiError('VectorIndexOperationConflict', `index '${name}' is ${index.status}`);
    }
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
  applyWideDeleteFaults(ctx, bucket, index);
  ctx.store.deleteIndex(bucket, index, { forever: ctx.fault === 'deleting-forever' });
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
