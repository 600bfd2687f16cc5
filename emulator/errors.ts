// API errors raised by the emulator's checks. Handlers throw them; the dispatcher renders them.
import { BUCKET_CONFIG_ERROR_CODES, type BucketConfigErrorCode } from '../contracts/bucketConfig.ts';
import { ERROR_CODES, type ErrorCode, type ErrorCodeEntry } from '../contracts/errors.ts';

/**
 * Every code the emulator answers with is in a contract catalogue: contracts/errors.ts, or
 * contracts/bucketConfig.ts for the bucket policy/logging operations.
 */
export type ApiCode = ErrorCode | BucketConfigErrorCode;

function entryOf(code: ApiCode): ErrorCodeEntry {
  return (ERROR_CODES as Record<string, ErrorCodeEntry>)[code] ?? BUCKET_CONFIG_ERROR_CODES[code as BucketConfigErrorCode];
}

/** Codes that concern a bucket: their envelope carries BucketName (spec §12 U23). */
const BUCKET_CODES: ReadonlySet<ApiCode> = new Set<ApiCode>(['NoSuchBucket', 'BucketAlreadyExists', 'VectorBucketNotEmpty', 'InvalidVectorBucketName', 'TooManyBuckets']);

/**
 * An answer, not a bug: thrown on every refused request, so it carries no stack trace (capturing
 * one cost about 6 % of the server's CPU under a load of 404s).
 */
export class ApiError extends Error {
  /** Extra response headers (e.g. Retry-After on a throttled answer). */
  constructor(readonly code: ApiCode, readonly detail?: string, readonly bucketName?: string, readonly headers?: Record<string, string>) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail ? `${code}: ${detail}` : code);
    Error.stackTraceLimit = limit;
  }

  get status(): number {
    return statusOf(this.code);
  }

  get concernsBucket(): boolean {
    return BUCKET_CODES.has(this.code);
  }
}

export function statusOf(code: ApiCode): number {
  return entryOf(code).status;
}

export function messageOf(code: ApiCode): string {
  return entryOf(code).message;
}

/** Shorthand for the most common parameter error of index and vector operations. */
export function invalidParam(detail: string): ApiError {
  return new ApiError('VectorIndexParameterInvalid', detail);
}
