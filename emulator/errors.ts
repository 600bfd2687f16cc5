// API errors raised by the emulator's checks. Handlers throw them; the dispatcher renders them.
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';

/** Codes the emulator needs beyond the contract catalogue (none of them is a documented vectors response). */
export const EMULATOR_CODES = {
  NoSuchKey: { status: 404, message: 'The specified key does not exist. Vector buckets are addressed at their root path only.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
} as const;

export type ApiCode = ErrorCode | keyof typeof EMULATOR_CODES;

/** Codes that concern a bucket: their envelope carries BucketName (spec §12 U23). */
const BUCKET_CODES: ReadonlySet<ApiCode> = new Set<ApiCode>(['NoSuchBucket', 'BucketAlreadyExists', 'VectorBucketNotEmpty', 'InvalidVectorBucketName', 'TooManyBuckets']);

export class ApiError extends Error {
  constructor(readonly code: ApiCode, readonly detail?: string, readonly bucketName?: string) {
    super(detail ? `${code}: ${detail}` : code);
  }

  get status(): number {
    return statusOf(this.code);
  }

  get concernsBucket(): boolean {
    return BUCKET_CODES.has(this.code);
  }
}

export function statusOf(code: ApiCode): number {
  return code in ERROR_CODES ? ERROR_CODES[code as ErrorCode].status : EMULATOR_CODES[code as keyof typeof EMULATOR_CODES].status;
}

export function messageOf(code: ApiCode): string {
  return code in ERROR_CODES ? ERROR_CODES[code as ErrorCode].message : EMULATOR_CODES[code as keyof typeof EMULATOR_CODES].message;
}

/** Shorthand for the most common parameter error of index and vector operations. */
export function invalidParam(detail: string): ApiError {
  return new ApiError('VectorIndexParameterInvalid', detail);
}
