// Bucket policy and bucket logging of a vector bucket (the SDKs' PutBucketPolicy, GetBucketPolicy,
// DeleteBucketPolicy, PutBucketLogging, GetBucketLogging, DeleteBucketLogging; docs/emulator.md U24).
// Both configurations live on the bucket record, so they go when the bucket is deleted.
import { ApiError } from '../errors.ts';
import { parseJsonBody } from '../params.ts';
import type { LoggingConfig } from '../store.ts';
import { requireBucket, type OpContext, type OpResult } from './context.ts';

/** A policy document as OSS checks it: a JSON object with Version "1" and a Statement array. */
function checkPolicy(body: Buffer): string {
  let doc: unknown;
  const text = body.toString('utf8');
  try {
    if (!body.equals(Buffer.from(text, 'utf8'))) throw new Error('not UTF-8');
    doc = JSON.parse(text);
  } catch {
    throw new ApiError('InvalidPolicyDocument', 'the policy is not a JSON document');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ApiError('InvalidPolicyDocument', 'the policy must be a JSON object');
  const { Version, Statement } = doc as Record<string, unknown>;
  if (Version !== '1') throw new ApiError('InvalidPolicyDocument', 'the policy Version must be the string "1"');
  if (!Array.isArray(Statement) || Statement.length === 0) throw new ApiError('InvalidPolicyDocument', 'the policy needs a non-empty Statement array');
  return text;
}

export function putBucketPolicy(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  bucket.policy = checkPolicy(ctx.body);
  return { status: 200 };
}

export function getBucketPolicy(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  if (bucket.policy === null) throw new ApiError('NoSuchBucketPolicy', `bucket '${bucket.name}' has no policy`);
  return { status: 200, jsonText: bucket.policy };
}

export function deleteBucketPolicy(ctx: OpContext): OpResult {
  // Deleting a policy that is not there succeeds (204), as OSS's DeleteBucketPolicy does.
  requireBucket(ctx).policy = null;
  return { status: 204 };
}

function optionalText(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ApiError('InvalidArgument', `LoggingEnabled.${key} must be a string`);
  return v;
}

export function putBucketLogging(ctx: OpContext): OpResult {
  const bucket = requireBucket(ctx);
  const doc = parseJsonBody(ctx.body, null);
  const status = (doc as Record<string, unknown> | null)?.BucketLoggingStatus;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || typeof status !== 'object' || status === null || Array.isArray(status)) {
    throw new ApiError('InvalidArgument', 'the body must be {"BucketLoggingStatus":{"LoggingEnabled":{…}}}');
  }
  const enabled = (status as Record<string, unknown>).LoggingEnabled;
  if (enabled === undefined || enabled === null) {
    // An empty BucketLoggingStatus switches logging off, as in OSS.
    bucket.logging = null;
    return { status: 200 };
  }
  if (typeof enabled !== 'object' || Array.isArray(enabled)) throw new ApiError('InvalidArgument', 'LoggingEnabled must be an object');
  const e = enabled as Record<string, unknown>;
  const targetBucket = optionalText(e, 'TargetBucket');
  if (!targetBucket) throw new ApiError('InvalidArgument', 'LoggingEnabled.TargetBucket is required');
  const targetPrefix = optionalText(e, 'TargetPrefix');
  const loggingRole = optionalText(e, 'LoggingRole');
  // The log target is a plain OSS bucket of the same account (made with the plain PutBucket).
  if (!ctx.store.ossBuckets.has(targetBucket)) throw new ApiError('InvalidTargetBucketForLogging', `target bucket '${targetBucket}' does not exist`);
  const config: LoggingConfig = { targetBucket };
  if (targetPrefix !== undefined) config.targetPrefix = targetPrefix;
  if (loggingRole !== undefined) config.loggingRole = loggingRole;
  bucket.logging = config;
  return { status: 200 };
}

export function getBucketLogging(ctx: OpContext): OpResult {
  const { logging } = requireBucket(ctx);
  // Logging off: an empty LoggingEnabled (what the Python SDK's integration test reads after a delete).
  const enabled: Record<string, string> = {};
  if (logging) {
    enabled.TargetBucket = logging.targetBucket;
    if (logging.targetPrefix !== undefined) enabled.TargetPrefix = logging.targetPrefix;
    if (logging.loggingRole !== undefined) enabled.LoggingRole = logging.loggingRole;
  }
  return { status: 200, json: { BucketLoggingStatus: { LoggingEnabled: enabled } } };
}

export function deleteBucketLogging(ctx: OpContext): OpResult {
  requireBucket(ctx).logging = null;
  return { status: 204 };
}
