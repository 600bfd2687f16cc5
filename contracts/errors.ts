// The error codes of spec §6.4, with the status each is returned with.

export interface ErrorCodeEntry {
  status: number;
  when: string;
  /** The message the emulator uses (spec §12 U1: messages are never asserted). */
  message: string;
  source: string;
}

export const ERROR_CODES = {
  VectorIndexParameterInvalid: { status: 400, when: 'invalid vector-index parameter in request', message: 'The vector index parameter is invalid.', source: 'D-PutIdx, D-GetIdx, D-DelIdx' },
  MalformedJson: { status: 400, when: 'request body is not valid JSON', message: 'The JSON you provided was not well-formed.', source: 'D-PutIdx, D-GetIdx, D-DelIdx' },
  VectorBucketIndexExceedLimit: { status: 400, when: 'index count already at limit (100)', message: 'The number of vector indexes exceeds the limit.', source: 'D-PutIdx' },
  InvalidVectorBucketName: { status: 400, when: 'bucket name violates naming rules', message: 'The specified vector bucket name is not valid.', source: 'D-PutBkt, D-DelBkt' },
  TooManyBuckets: { status: 400, when: 'vector-bucket quota exceeded', message: 'You have attempted to create more vector buckets than allowed.', source: 'D-PutBkt' },
  MissingArgument: { status: 400, when: 'a required argument is missing', message: 'Missing Some Required Arguments.', source: 'GO-MOCK' },
  InvalidArgument: { status: 400, when: 'a parameter of a non-index operation is invalid', message: 'The argument is invalid.', source: 'generic OSS' },
  InvalidDigest: { status: 400, when: 'Content-MD5 does not match the body or is malformed', message: 'The Content-MD5 you specified did not match what we received.', source: 'D-MD5' },
  EntityTooLarge: { status: 400, when: 'request body larger than the accepted maximum', message: 'Your proposed upload exceeds the maximum allowed size.', source: 'generic OSS' },
  AccessDenied: { status: 403, when: 'no authentication information, or no permission', message: 'You have no right to access this object because of bucket acl.', source: 'all API pages' },
  InvalidAccessKeyId: { status: 403, when: 'unknown AccessKeyId', message: 'The OSS Access Key Id you provided does not exist in our records.', source: 'GO-IT' },
  SignatureDoesNotMatch: { status: 403, when: 'signature mismatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', source: 'GO-MOCK; D-V4' },
  RequestTimeTooSkewed: { status: 403, when: 'request time more than 15 min from server time', message: 'The difference between the request time and the current time is too large.', source: 'D-Skew' },
  NoSuchBucket: { status: 404, when: 'bucket does not exist', message: 'The specified bucket does not exist.', source: 'GO-IT' },
  NoSuchVectorIndex: { status: 404, when: 'index does not exist', message: 'The specified vector index does not exist.', source: 'D-GetIdx, D-DelIdx' },
  VectorIndexOperationConflict: { status: 409, when: "DeleteVectorIndex while the index state is not 'enable'", message: 'The vector index is not in a state that allows this operation.', source: 'D-DelIdx' },
  VectorBucketIndexAlreadyExist: { status: 409, when: 'PutVectorIndex with an existing name', message: 'The specified index name already exists, cannot be created again.', source: 'D-PutIdx' },
  VectorBucketNotEmpty: { status: 409, when: 'DeleteVectorBucket while indexes exist', message: 'The vector bucket is not empty.', source: 'D-DelBkt' },
  BucketAlreadyExists: { status: 409, when: 'PutVectorBucket with a name the account already has', message: 'The requested bucket name is not available.', source: 'GO-MOCK' },
  NoSuchKey: { status: 404, when: 'a path below the bucket root (vectors ops address the bucket only)', message: 'The specified key does not exist. Vector buckets are addressed at their root path only.', source: 'generic OSS' },
  InternalError: { status: 500, when: 'an unexpected server failure (the emulator answers it only as a last resort)', message: 'We encountered an internal error. Please try again.', source: 'generic OSS' },
  MethodNotAllowed: { status: 405, when: 'operation not supported with this method', message: 'The specified method is not allowed against this resource.', source: 'generic OSS' },
  ServiceUnavailable: { status: 503, when: 'a request-rate limit is exceeded (throttled; e.g. PutVectorIndex above 5/s); the client backs off and retries (Retry-After)', message: 'Please reduce your request rate.', source: 'D-QPS (spec §6.4: HTTP 503; the vectors error code is not published, ServiceUnavailable is the generic OSS one)' },
  InvalidRequest: { status: 400, when: 'request cannot be routed to an operation', message: 'The request is not a valid OSS Vectors request.', source: 'generic OSS' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes the signature family may answer with (the suites assert 403 + one of these). */
export const SIGNATURE_FAMILY_CODES: readonly ErrorCode[] = [
  'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'RequestTimeTooSkewed',
];
