// PutVectorBucket, GetVectorBucket, DeleteVectorBucket, ListVectorBuckets (spec §3.1–3.4).
import { isValidBucketName, LIMITS } from '../../contracts/limits.ts';
import { arn } from '../../protocol/signer.ts';
import { ApiError } from '../errors.ts';
import type { Bucket } from '../store.ts';
import { requireBucket, type OpContext, type OpResult } from './context.ts';

/**
 * The endpoint (`host[:port]`, as the service reports `cn-hangzhou.oss-vectors.aliyuncs.com`) a
 * client reaches this emulator at: the advertised one, else the request's Host without the
 * virtual-hosted `{bucket}-{account}.` label. Never the cloud's: a client that follows it stays here.
 */
export function selfEndpoint(ctx: OpContext): string {
  if (ctx.options.advertisedHost) return ctx.options.advertisedHost;
  const raw = ctx.headers.host ?? 'localhost';
  const host = Array.isArray(raw) ? raw[0]! : raw;
  const dot = host.indexOf('.');
  return dot > 0 && /^[a-z0-9][a-z0-9-]*-\d+$/.test(host.slice(0, dot).toLowerCase()) ? host.slice(dot + 1) : host;
}

function bucketInfo(ctx: OpContext, b: Bucket): Record<string, string> {
  const { region, accountId } = ctx.options;
  const endpoint = selfEndpoint(ctx);
  return {
    Name: arn(region, accountId, b.name),
    CreationDate: b.createdAt.toISOString(),
    ExtranetEndpoint: endpoint,
    IntranetEndpoint: endpoint,
    Location: `oss-${region}`,
    Region: region,
    ResourceGroupId: b.resourceGroupId,
  };
}

function headerValue(ctx: OpContext, name: string): string | undefined {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function putVectorBucket(ctx: OpContext): OpResult {
  const name = ctx.bucketName!;
  if (!isValidBucketName(name)) throw new ApiError('InvalidVectorBucketName', 'bucket names are 3-32 characters of a-z, 0-9 and -, not starting or ending with -', name);
  if (ctx.store.buckets.has(name)) throw new ApiError('BucketAlreadyExists', `bucket '${name}' already exists`, name);
  if (ctx.store.buckets.size >= LIMITS.bucketsPerRegion) throw new ApiError('TooManyBuckets', `at most ${LIMITS.bucketsPerRegion} vector buckets`, name);
  ctx.store.createBucket(name, headerValue(ctx, 'x-oss-resource-group-id') || undefined);
  return { status: 200, headers: { Location: `/${name}` } };
}

export function getVectorBucket(ctx: OpContext): OpResult {
  return { status: 200, json: { BucketInfo: bucketInfo(ctx, requireBucket(ctx)) } };
}

export function deleteVectorBucket(ctx: OpContext): OpResult {
  const name = ctx.bucketName!;
  if (!isValidBucketName(name)) throw new ApiError('InvalidVectorBucketName', 'the bucket name is not valid', name);
  const bucket = requireBucket(ctx);
  // Every index counts, whatever its state: one still in its 'deleting' window (still visible to
  // reads) keeps the bucket non-empty until it is removed. Clients wait for it (DESIGN rule 5).
  if (bucket.indexes.size > 0) throw new ApiError('VectorBucketNotEmpty', `bucket '${name}' still has ${bucket.indexes.size} index(es)`, name);
  if (ctx.fault === 'bucket-counts-deleted-indexes' && bucket.everHeldIndex) throw new ApiError('VectorBucketNotEmpty', `bucket '${name}' has held indexes`, name);
  ctx.store.deleteBucket(name);
  return { status: 204 };
}

export function listVectorBuckets(ctx: OpContext): OpResult {
  const param = (k: string): string | undefined => ctx.query.find((p) => p.key === k)?.value;
  const prefix = param('prefix') ?? '';
  const marker = param('marker') ?? '';
  const maxKeysRaw = param('max-keys');
  let maxKeys: number = LIMITS.listBucketsDefault;
  if (maxKeysRaw !== undefined) {
    maxKeys = Number(maxKeysRaw);
    if (!/^\d+$/.test(maxKeysRaw) || maxKeys < 1 || maxKeys > LIMITS.listBucketsMax) throw new ApiError('InvalidArgument', `max-keys must be an integer in 1..${LIMITS.listBucketsMax}`);
  }
  const names = [...ctx.store.buckets.keys()].filter((n) => n.startsWith(prefix) && n > marker).sort();
  const page = names.slice(0, maxKeys);
  const truncated = names.length > page.length;
  const result: Record<string, unknown> = {};
  // The doc omits the paging fields when everything fit in one page (spec §3.3).
  if (param('prefix') !== undefined) result.Prefix = prefix;
  if (param('marker') !== undefined) result.Marker = marker;
  if (maxKeysRaw !== undefined) result.MaxKeys = maxKeys;
  if (truncated) {
    result.IsTruncated = true;
    result.NextMarker = page[page.length - 1];
  }
  result.Buckets = page.map((n) => bucketInfo(ctx, ctx.store.buckets.get(n)!));
  return { status: 200, json: { ListAllMyBucketsResult: result } };
}
