// Bucket configuration operations of OSS Vectors that the official SDKs call besides the 13 data
// operations (Go SDK v2 oss/vectors, Python SDK v2 alibabacloud_oss_v2.vectors): bucket policy and
// bucket logging, plus the error codes only they answer with. Kept apart from OPERATIONS and
// ERROR_CODES, which the OpenAPI document and the pacts are generated from: the suites do not
// depend on these operations.
import type { ErrorCodeEntry } from './errors.ts';
import type { JsonSchema, Operation } from './operations.ts';

const loggingEnabled: JsonSchema = {
  type: 'object',
  properties: { TargetBucket: { type: 'string' }, TargetPrefix: { type: 'string' }, LoggingRole: { type: 'string' } },
};
/** `{"BucketLoggingStatus":{"LoggingEnabled":{TargetBucket,TargetPrefix?,LoggingRole?}}}` (both SDKs' serialisation). */
const loggingDocument: JsonSchema = {
  type: 'object', required: ['BucketLoggingStatus'],
  properties: { BucketLoggingStatus: { type: 'object', properties: { LoggingEnabled: loggingEnabled } } },
};

export const BUCKET_CONFIG_OPERATIONS = {
  PutBucketPolicy: { name: 'PutBucketPolicy', method: 'PUT', queryKey: 'policy', scope: 'bucket', successStatus: 200, request: { type: 'object' }, response: null, action: 'oss:PutBucketPolicy' },
  GetBucketPolicy: { name: 'GetBucketPolicy', method: 'GET', queryKey: 'policy', scope: 'bucket', successStatus: 200, request: null, response: { type: 'object' }, action: 'oss:GetBucketPolicy' },
  DeleteBucketPolicy: { name: 'DeleteBucketPolicy', method: 'DELETE', queryKey: 'policy', scope: 'bucket', successStatus: 204, request: null, response: null, action: 'oss:DeleteBucketPolicy' },
  PutBucketLogging: { name: 'PutBucketLogging', method: 'PUT', queryKey: 'logging', scope: 'bucket', successStatus: 200, request: loggingDocument, response: null, action: 'oss:PutBucketLogging' },
  GetBucketLogging: { name: 'GetBucketLogging', method: 'GET', queryKey: 'logging', scope: 'bucket', successStatus: 200, request: null, response: loggingDocument, action: 'oss:GetBucketLogging' },
  DeleteBucketLogging: { name: 'DeleteBucketLogging', method: 'DELETE', queryKey: 'logging', scope: 'bucket', successStatus: 204, request: null, response: null, action: 'oss:DeleteBucketLogging' },
} as const satisfies Record<string, Operation>;

export type BucketConfigOperationName = keyof typeof BUCKET_CONFIG_OPERATIONS;

/** The sub-resource keys of these operations (`?policy`, `?logging`). */
export const BUCKET_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.values(BUCKET_CONFIG_OPERATIONS).map((o) => o.queryKey));

/** Error codes of the bucket configuration operations (generic OSS codes; OSS error pages 0030-*, 0016-*). */
export const BUCKET_CONFIG_ERROR_CODES = {
  NoSuchBucketPolicy: { status: 404, when: 'GetBucketPolicy on a bucket without a policy', message: 'The specified bucket policy does not exist.', source: 'OSS error 0030-00000006' },
  InvalidPolicyDocument: { status: 400, when: 'PutBucketPolicy with a body that is not a policy document (JSON object, Version "1", Statement array)', message: 'The policy document is invalid.', source: 'OSS error 0030-00000005, 0030-00000002' },
  InvalidTargetBucketForLogging: { status: 400, when: 'PutBucketLogging naming a target bucket that does not exist', message: 'The target bucket for logging does not exist.', source: 'generic OSS (PutBucketLogging)' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type BucketConfigErrorCode = keyof typeof BUCKET_CONFIG_ERROR_CODES;
