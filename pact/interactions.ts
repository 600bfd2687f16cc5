// The consumer side of the pact, as data: one interaction per documented DeleteVectorIndex response
// of contracts/responses.ts (plus the follow-up GetVectorIndex a client relies on). Both the pact
// generator (pact/generate.ts) and the verifier (pact/verify.ts) read this list; nothing here talks
// to the network.
import { createHash } from 'node:crypto';
import { DELETE_VECTOR_INDEX_RESPONSES, type ResponseKey } from '../contracts/responses.ts';
import { STATES, type StateName, type StateParams } from '../contracts/provider-states.ts';
import type { OperationName } from '../contracts/operations.ts';
import { BUCKET_NAME_PATTERN, INDEX_NAME_PATTERN, INVALID_INDEX_NAME_PATTERN } from '../contracts/limits.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../contracts/defaults.ts';

/** A contracts/ pattern without its anchors, to embed in a larger one. */
const inner = (r: RegExp): string => r.source.replace(/^\^/, '').replace(/\$$/, '');

export const CONSUMER = 'ovc-reference-client';
export const PROVIDER = 'oss-vectors';
export const PACT_FILE_NAME = `${CONSUMER}-${PROVIDER}.json`;
/** Where the generated pact file is checked in (relative to the project root). */
export const PACT_DIR = 'contracts/pacts';

/** The example target the pact is written against (spec §1: the D-DelIdx sample host). */
export const EXAMPLE = {
  bucket: 'examplebucket',
  accountId: DEFAULT_ACCOUNT_ID,
  region: DEFAULT_REGION,
  indexName: 'exampleIndex',
  /** Test credentials of the reference client; never written into the pact file. */
  credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' },
} as const;

// Patterns of the values that vary per request or per target. They are matched, never recorded.
export const PATTERNS = {
  /**
   * The request path: `/` as the official SDKs send it virtual-hosted (`Host: {bucket}-{accountId}.{endpoint}`,
   * spec §1), or `/{bucket}/` path-style (the Go SDK towards an IP endpoint). The pact's example is `/`.
   */
  requestPath: `^/(${inner(BUCKET_NAME_PATTERN)}/)?$`,
  /** The sub-resource query key carries no value: `?deleteVectorIndex` (Go) and `?deleteVectorIndex=` (Python) alike. */
  queryValue: '^.*$',
  requestId: '^[0-9A-Za-z]{24}$',
  httpDate: '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$',
  indexName: INDEX_NAME_PATTERN.source,
  invalidIndexName: INVALID_INDEX_NAME_PATTERN.source,
  /** OSS4-HMAC-SHA256 header authentication (spec §9.1 step 8), optional whitespace after commas. */
  authorization: '^OSS4-HMAC-SHA256 Credential=[^/,\\s]+/\\d{8}/[a-z0-9-]+/oss/aliyun_v4_request(,\\s*AdditionalHeaders=[a-z0-9;-]+)?,\\s*Signature=[0-9a-f]{64}$',
  ossDate: '^\\d{8}T\\d{6}Z$',
  contentSha256: '^UNSIGNED-PAYLOAD$',
  contentMd5: '^[A-Za-z0-9+/]{22}==$',
} as const;

/** Java date formats of the DateTime generators (what Pact's core reads): RFC 1123 and ISO 8601 basic. */
export const DATE_FORMATS = {
  httpDate: "EEE, dd MMM yyyy HH:mm:ss 'GMT'",
  ossDate: "yyyyMMdd'T'HHmmss'Z'",
} as const;

/** Base64 MD5 of a request body as a verifier sends it: compact JSON, or nothing. */
export function contentMd5Of(body: unknown): string {
  return createHash('md5').update(body === undefined ? '' : JSON.stringify(body)).digest('base64');
}

/** Example values written into the pact for matched fields: obviously not real. */
export const EXAMPLES = {
  requestId: '5C3D9175B6FC201293AD0000',
  httpDate: 'Wed, 01 Jan 2025 00:00:00 GMT',
  authorization: `OSS4-HMAC-SHA256 Credential=EXAMPLEACCESSKEYID/20250101/${DEFAULT_REGION}/oss/aliyun_v4_request,Signature=${'0'.repeat(64)}`,
  ossDate: '20250101T000000Z',
  contentSha256: 'UNSIGNED-PAYLOAD',
  message: 'The specified vector index does not exist.',
  hostId: `examplebucket-${DEFAULT_ACCOUNT_ID}.${DEFAULT_REGION}.oss-vectors.aliyuncs.com`,
  ec: '0015-00000101',
} as const;

export interface StateRef {
  name: StateName;
  params: StateParams;
}

/** How the request body is written. */
export type BodySpec =
  /** `{"indexName": <the index of the provider state>}` (fromProviderState in the pact). */
  | { kind: 'stateIndexName' }
  /** `{"indexName": <a valid index name>}` not tied to a provider state (matched by pattern). */
  | { kind: 'validIndexName' }
  /** `{"indexName": <anything that is not a valid index name>}` (matched by the complement pattern). */
  | { kind: 'invalidIndexName'; example: string }
  /** No body at all (the Python SDK sends none when no field is set). */
  | { kind: 'empty' };

export interface InteractionDef {
  /** Behaviour-style description: the interaction's name in the pact and in every report. */
  description: string;
  /** The documented response it pins (contracts/responses.ts), or null for the follow-up. */
  response: ResponseKey | null;
  op: OperationName;
  states: StateRef[];
  body: BodySpec;
  signed: boolean;
  status: number;
  /** Error.Code of the envelope; null: an empty success. */
  code: string | null;
}

const b = EXAMPLE.bucket;
const idx = EXAMPLE.indexName;
const bucketExists: StateRef = { name: STATES.bucketExists, params: { bucket: b } };
const indexIn = (status: 'enable', vectorCount = 0): StateRef =>
  ({ name: STATES.indexExists, params: { bucket: b, indexName: idx, status, vectorCount } });
// Provider-state protocol v2: the 409s have state names of their own, so a stateless stub that
// selects by name (`pact stub -s REGEX`, or its state header) can serve each on its own.
const indexCreating: StateRef = { name: STATES.indexCreating, params: { bucket: b, indexName: idx } };
const indexDeleting: StateRef = { name: STATES.indexDeleting, params: { bucket: b, indexName: idx } };
const noIndex: StateRef = { name: STATES.noIndex, params: { bucket: b, indexName: idx } };

export const INTERACTIONS: readonly InteractionDef[] = [
  {
    description: 'a delete of an enable index is answered 204',
    response: '204-deleted', op: 'DeleteVectorIndex', states: [indexIn('enable')],
    body: { kind: 'stateIndexName' }, signed: true, status: 204, code: null,
  },
  {
    description: 'a delete of an index holding vectors is answered 204',
    response: '204-deleted', op: 'DeleteVectorIndex', states: [indexIn('enable', 3)],
    body: { kind: 'stateIndexName' }, signed: true, status: 204, code: null,
  },
  {
    description: 'a delete without a body is answered 400 MalformedJson',
    response: '400-malformed-json', op: 'DeleteVectorIndex', states: [bucketExists],
    body: { kind: 'empty' }, signed: true, status: 400, code: 'MalformedJson',
  },
  {
    description: 'a delete naming an invalid index name is answered 400 VectorIndexParameterInvalid',
    response: '400-vector-index-parameter-invalid', op: 'DeleteVectorIndex', states: [bucketExists],
    body: { kind: 'invalidIndexName', example: 'invalid-name' }, signed: true, status: 400, code: 'VectorIndexParameterInvalid',
  },
  {
    description: 'an unsigned delete is answered 403 AccessDenied',
    response: '403-access-denied', op: 'DeleteVectorIndex', states: [indexIn('enable')],
    body: { kind: 'stateIndexName' }, signed: false, status: 403, code: 'AccessDenied',
  },
  {
    description: 'a delete of an index that does not exist is answered 404 NoSuchVectorIndex',
    response: '404-no-such-vector-index', op: 'DeleteVectorIndex', states: [bucketExists, noIndex],
    body: { kind: 'stateIndexName' }, signed: true, status: 404, code: 'NoSuchVectorIndex',
  },
  {
    description: 'a delete in a bucket that does not exist is answered 404 NoSuchBucket',
    response: '404-no-such-bucket', op: 'DeleteVectorIndex', states: [{ name: STATES.noBucket, params: { bucket: b } }],
    body: { kind: 'validIndexName' }, signed: true, status: 404, code: 'NoSuchBucket',
  },
  {
    description: 'a delete of an index still creating is answered 409 VectorIndexOperationConflict',
    response: '409-vector-index-operation-conflict', op: 'DeleteVectorIndex', states: [indexCreating],
    body: { kind: 'stateIndexName' }, signed: true, status: 409, code: 'VectorIndexOperationConflict',
  },
  {
    description: 'a delete of an index already deleting is answered 409 VectorIndexOperationConflict',
    response: '409-vector-index-operation-conflict', op: 'DeleteVectorIndex', states: [indexDeleting],
    body: { kind: 'stateIndexName' }, signed: true, status: 409, code: 'VectorIndexOperationConflict',
  },
  {
    description: 'a get of an index after its delete is answered 404 NoSuchVectorIndex',
    response: null, op: 'GetVectorIndex', states: [bucketExists, noIndex],
    body: { kind: 'stateIndexName' }, signed: true, status: 404, code: 'NoSuchVectorIndex',
  },
];

/**
 * Documented responses deliberately left out of the pact, with the reason. A response added to
 * contracts/responses.ts must get an interaction or an entry here (test/pact/consumer.test.ts).
 */
export const NOT_IN_PACT: Readonly<Record<string, string>> = {
  '403-signature': 'depends on the secret and the clock; a verifier re-signs every request, so a bad signature cannot be replayed honestly; the suites generate signature faults',
  '400-invalid-digest': 'not documented for OSS Vectors (spec §12 U11, asserted under --strict only), and the verifier recomputes Content-MD5 after substituting names, so a wrong digest cannot be replayed; the suites cover it',
};

/** The documented responses of contracts/ that no interaction pins. */
export function uncoveredResponses(): string[] {
  const covered = new Set(INTERACTIONS.map((i) => i.response));
  return DELETE_VECTOR_INDEX_RESPONSES.filter((r) => !covered.has(r.key)).map((r) => r.key);
}

/** States the public API cannot reach: an index held in `creating` or `deleting` (v1 `status` param or v2 name). */
export function needsStateHook(states: readonly { name: string; params?: Record<string, unknown> }[]): boolean {
  return states.some((s) => s.name === STATES.indexCreating || s.name === STATES.indexDeleting
    || (s.name === STATES.indexExists && s.params?.status !== undefined && s.params.status !== 'enable'));
}
