// What an operation handler receives and returns. Handlers are synchronous (one fault profile
// excepted): all checks and the mutation they guard run without yielding to other requests.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.ts';
import { parseJsonBody, requireObject, type JsonObject } from '../params.ts';
import type { FaultName } from '../faults.ts';
import type { ResolvedOptions } from '../options.ts';
import type { QueryParam } from '../request.ts';
import type { Bucket, Store } from '../store.ts';

export interface OpContext {
  store: Store;
  options: ResolvedOptions;
  now: Date;
  /** The bucket named by the address (undefined for service-level requests). */
  bucketName: string | undefined;
  body: Buffer;
  query: readonly QueryParam[];
  headers: IncomingHttpHeaders;
  fault: FaultName | null;
}

export interface OpResult {
  status: number;
  /** A JSON body; absent means an empty body with Content-Length 0. */
  json?: unknown;
  /** A JSON body already serialised, sent as it is (GetBucketPolicy); takes precedence over `json`. */
  jsonText?: string;
  headers?: Record<string, string>;
  /** Fault `body-on-204` only: a body to force onto a 204 response. */
  bodyOn204?: unknown;
}

/**
 * A handler answers with a result, or with an error it returns (the lifecycle's common refusals)
 * or throws (its checks, wherever they sit). Returned, the refusal costs less: V8 counts a
 * function's way to optimisation on its returns and loops, so a function that only ever throws —
 * a handler under a load of refused requests — is never optimised and runs interpreted.
 */
export type OpHandler = (ctx: OpContext) => OpResult | ApiError | Promise<OpResult>;

export function requireBucket(ctx: OpContext): Bucket {
  const bucket = ctx.store.bucket(ctx.bucketName);
  if (!bucket) throw new ApiError('NoSuchBucket', `bucket '${ctx.bucketName}' does not exist`, ctx.bucketName);
  return bucket;
}

/**
 * The bucket, then the JSON body (spec §12 U2: bucket before JSON). Under the `json-before-bucket`
 * fault the body is parsed first. `emptyMeansNoParameters`: ListVectorIndexes.
 */
export function bucketAndBody(ctx: OpContext, opts: { emptyMeansNoParameters?: boolean } = {}): { bucket: Bucket; body: JsonObject } {
  if (ctx.fault === 'json-before-bucket') {
    const parsed = parseJsonBody(ctx.body, ctx.fault, opts);
    return { bucket: requireBucket(ctx), body: requireObject(parsed) };
  }
  const bucket = requireBucket(ctx);
  return { bucket, body: requireObject(parseJsonBody(ctx.body, ctx.fault, opts)) };
}
