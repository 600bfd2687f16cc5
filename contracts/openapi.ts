// The OpenAPI 3.1 document of OSS Vectors' bucket-scoped operations, derived from contracts/
// (operations, request/response schemas, the error envelope, the documented DeleteVectorIndex
// responses). Pure data: pact/openapi.ts writes it to contracts/openapi/, a test keeps it current.
//
// OSS Vectors names the operation by a query key on one path (`POST /?deleteVectorIndex`, spec §2).
// Each operation gets a path item of its own keyed by that query key (`/?deleteVectorIndex`, and
// `/{bucket}/?deleteVectorIndex` path-style), as large OpenAPI exports of query-dispatched APIs do:
// its own request schema, its own responses (a body-less success has no content; every error is an
// application/json envelope) and an example for every response. Tools that route on path and method
// alone (Prism 5.16.0, swagger-mock-validator 14.5.0: neither reads the query when it selects an
// operation) find those no route; for them `POST /` and `POST /{bucket}/` carry one dispatch
// operation whose answers hold for every operation: one operation's request body (each closed to its
// documented fields, so a body no operation accepts is refused), a 200 and a 204 without declared
// content (a 200 is JSON for some operations and empty for others, which one response object cannot
// state), errors as application/json envelopes; and `GET /`, `GET /{bucket}/` carry GetVectorBucket,
// the one GET. A query-key router (test/openapi/prism.ts) gives Prism the per-operation items: see
// docs/openapi.md.
import { BUCKET_NAME_PATTERN, INDEX_NAME_MAX } from './limits.ts';
import { ERROR_CODES, type ErrorCode } from './errors.ts';
import { ERROR_ENVELOPE_SCHEMA, OPERATIONS, type JsonSchema, type Operation } from './operations.ts';
import { DELETE_VECTOR_INDEX_RESPONSES } from './responses.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './defaults.ts';

export const OPENAPI_DIR = 'contracts/openapi';
export const OPENAPI_FILE_NAME = 'oss-vectors.openapi.json';

/** Example values of the document: obviously not real, each matching the document's own patterns. */
export const OPENAPI_EXAMPLES = {
  requestId: '5C3D9175B6FC201293AD0000',
  date: 'Wed, 01 Jan 2025 00:00:00 GMT',
  bucket: 'examplebucket',
  indexName: 'exampleIndex',
  hostId: `examplebucket-${DEFAULT_ACCOUNT_ID}.${DEFAULT_REGION}.oss-vectors.aliyuncs.com`,
} as const;

const REQUEST_ID = { type: 'string', pattern: '^[0-9A-Za-z]{24}$' };
const HTTP_DATE = { type: 'string', pattern: '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$' };

/** The bucket-scoped operations, in contracts/ order: JSON operations (POST ?key) and bucket ones. */
function bucketOps(): Operation[] {
  return (Object.values(OPERATIONS) as Operation[]).filter((o) => o.scope === 'bucket');
}

/** The path of an operation: query-keyed when it has a query key. */
function pathKey(o: Operation, style: 'virtual-hosted' | 'path-style'): string {
  return `${style === 'path-style' ? '/{bucket}/' : '/'}${o.queryKey ? `?${o.queryKey}` : ''}`;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function commonHeaders(): Record<string, JsonSchema> {
  return {
    'x-oss-request-id': { description: 'Request id (24 characters)', required: true, schema: REQUEST_ID, example: OPENAPI_EXAMPLES.requestId },
    Date: { description: 'Server time, HTTP date', required: true, schema: HTTP_DATE, example: OPENAPI_EXAMPLES.date },
  };
}

/** The error codes an operation may answer with, by status (the JSON ones share the index codes). */
function errorCodes(o: Operation): Map<number, ErrorCode[]> {
  const index = ['VectorIndexParameterInvalid', 'MalformedJson', 'NoSuchVectorIndex', 'VectorIndexOperationConflict', 'VectorBucketIndexAlreadyExist', 'VectorBucketIndexExceedLimit'];
  const bucket = ['InvalidVectorBucketName', 'TooManyBuckets', 'VectorBucketNotEmpty', 'BucketAlreadyExists'];
  const own = (code: string): boolean => {
    if (index.includes(code)) return o.request !== null;
    if (bucket.includes(code)) return o.request === null;
    return code !== 'InternalError';
  };
  const out = new Map<number, ErrorCode[]>();
  for (const [code, e] of Object.entries(ERROR_CODES) as Array<[ErrorCode, { status: number }]>) {
    if (!own(code) || e.status < 400) continue;
    out.set(e.status, [...(out.get(e.status) ?? []), code]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}

/** The error an operation most plausibly answers with a status: the example of that response. */
function exampleCode(o: Operation, status: number, codes: ErrorCode[]): ErrorCode {
  const preferred: Record<number, ErrorCode> = o.request !== null
    ? { 400: 'VectorIndexParameterInvalid', 403: 'AccessDenied', 404: 'NoSuchVectorIndex', 409: o.name === 'PutVectorIndex' ? 'VectorBucketIndexExceedLimit' : 'VectorIndexOperationConflict' }
    : { 400: 'InvalidVectorBucketName', 403: 'AccessDenied', 404: 'NoSuchBucket', 409: o.name === 'PutVectorBucket' ? 'BucketAlreadyExists' : 'VectorBucketNotEmpty' };
  const p = preferred[status];
  return p && codes.includes(p) ? p : codes[0]!;
}

function errorResponse(o: Operation, status: number, codes: ErrorCode[]): JsonSchema {
  const documented = o.name === 'DeleteVectorIndex' ? DELETE_VECTOR_INDEX_RESPONSES.filter((r) => r.status === status && r.code !== null) : [];
  const lines = documented.map((r) => `${r.label}${r.documented ? '' : ' (observed, not documented)'}: ${r.doc.says} [${r.doc.tag}: ${r.doc.url}]`);
  const code = exampleCode(o, status, codes);
  return {
    description: [`Error envelope; Error.Code one of ${codes.join(', ')}.`, ...lines].join('\n'),
    headers: commonHeaders(),
    content: { 'application/json': { schema: ref('ErrorEnvelope'), example: { Error: {
      Code: code, Message: ERROR_CODES[code].message, RequestId: OPENAPI_EXAMPLES.requestId, HostId: OPENAPI_EXAMPLES.hostId,
      ...(code === 'NoSuchBucket' ? { BucketName: OPENAPI_EXAMPLES.bucket } : {}),
    } } } },
  };
}

const indexExample = { indexName: OPENAPI_EXAMPLES.indexName, dataType: 'float32', dimension: 3, distanceMetric: 'cosine', status: 'enable', createTime: '2025-01-01T00:00:00.000Z', vectorBucketName: OPENAPI_EXAMPLES.bucket, metadata: {} };
const vectorExample = { key: 'doc-1', data: { float32: [0.1, 0.2, 0.3] }, metadata: { genre: 'news' } };
const bucketExample = { Name: OPENAPI_EXAMPLES.bucket, CreationDate: '2025-01-01T00:00:00.000Z', Region: DEFAULT_REGION, Location: `oss-${DEFAULT_REGION}`, ExtranetEndpoint: `${DEFAULT_REGION}.oss-vectors.aliyuncs.com`, IntranetEndpoint: `${DEFAULT_REGION}-internal.oss-vectors.aliyuncs.com` };

/** A realistic success body per operation with a JSON answer (checked against its schema by a test). */
export const SUCCESS_EXAMPLES: Readonly<Record<string, unknown>> = {
  GetVectorBucket: { BucketInfo: bucketExample },
  GetVectorIndex: { index: indexExample },
  ListVectorIndexes: { indexes: [indexExample] },
  GetVectors: { vectors: [vectorExample] },
  ListVectors: { vectors: [vectorExample] },
  QueryVectors: { vectors: [{ ...vectorExample, distance: 0.12 }] },
};

/** A valid request body per JSON operation (checked against its schema by a test). */
export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  PutVectorIndex: { indexName: OPENAPI_EXAMPLES.indexName, dataType: 'float32', dimension: 3, distanceMetric: 'cosine' },
  GetVectorIndex: { indexName: OPENAPI_EXAMPLES.indexName },
  ListVectorIndexes: { maxResults: 10, prefix: 'example' },
  DeleteVectorIndex: { indexName: OPENAPI_EXAMPLES.indexName },
  PutVectors: { indexName: OPENAPI_EXAMPLES.indexName, vectors: [vectorExample] },
  GetVectors: { indexName: OPENAPI_EXAMPLES.indexName, keys: ['doc-1'], returnData: true },
  ListVectors: { indexName: OPENAPI_EXAMPLES.indexName, maxResults: 10 },
  DeleteVectors: { indexName: OPENAPI_EXAMPLES.indexName, keys: ['doc-1'] },
  QueryVectors: { indexName: OPENAPI_EXAMPLES.indexName, queryVector: { float32: [0.1, 0.2, 0.3] }, topK: 3, returnDistance: true },
};

/** A request schema as the document states it: the index name with its length bounds spelled out. */
function requestSchema(o: Operation): JsonSchema {
  const s = o.request!;
  const props = s.properties as Record<string, JsonSchema> | undefined;
  if (!props?.indexName) return s;
  return { ...s, properties: { ...props, indexName: { ...props.indexName, minLength: 1, maxLength: INDEX_NAME_MAX } } };
}

function operation(o: Operation, style: 'virtual-hosted' | 'path-style'): JsonSchema {
  const success: JsonSchema = o.response
    ? { description: `${o.name} succeeded.`, headers: commonHeaders(), content: { 'application/json': { schema: ref(`${o.name}Response`), example: SUCCESS_EXAMPLES[o.name] } } }
    : { description: `${o.name} succeeded; no body.${o.name === 'DeleteVectorIndex' ? ` ${DELETE_VECTOR_INDEX_RESPONSES[0].doc.says}` : ''}`, headers: commonHeaders() };
  const responses: Record<string, JsonSchema> = { [o.successStatus]: success };
  for (const [status, codes] of errorCodes(o)) responses[status] = errorResponse(o, status, codes);
  const required = Array.isArray(o.request?.required) && (o.request.required as unknown[]).length > 0;
  return {
    operationId: style === 'path-style' ? `${o.name}PathStyle` : o.name,
    summary: `${o.name} (${style}): ${o.method} ${pathKey(o, style)}${o.queryKey ? ` (also sent as \`?${o.queryKey}=\`)` : ''}`,
    'x-ovc-action': o.action,
    parameters: [
      ...(style === 'path-style' ? [{ name: 'bucket', in: 'path', required: true, schema: { type: 'string', pattern: BUCKET_NAME_PATTERN.source }, example: OPENAPI_EXAMPLES.bucket }] : []),
      { name: 'Authorization', in: 'header', required: false, description: 'OSS4-HMAC-SHA256 V4 signature (spec §9); absent on an anonymous request, which is answered 403 AccessDenied', schema: { type: 'string' } },
      { name: 'Content-MD5', in: 'header', required: false, description: 'Base64 MD5 of the body as sent; a proxy that re-serialises the body breaks it (400 InvalidDigest)', schema: { type: 'string', pattern: '^[A-Za-z0-9+/]{22}==$' } },
      { name: 'x-oss-date', in: 'header', required: false, schema: { type: 'string', pattern: '^\\d{8}T\\d{6}Z$' } },
      { name: 'x-oss-content-sha256', in: 'header', required: false, schema: { type: 'string' } },
    ],
    ...(o.request ? { requestBody: {
      required,
      description: `The JSON body of ${o.name}.${required ? ' An empty or non-JSON body is 400 MalformedJson.' : ''}`,
      content: { 'application/json': { schema: ref(`${o.name}Request`), example: REQUEST_EXAMPLES[o.name] } },
    } } : {}),
    responses,
    security: [{ OSS4HmacSha256: [] }, {}],
  };
}

/**
 * An operation's request body closed to its documented fields, for the dispatch operation: a tool
 * that cannot tell operations apart checks a body against all of them, and one open branch
 * (ListVectorIndexes requires nothing) would accept any object, `{"indexName": 5}` included.
 */
function closedRequestSchema(o: Operation): JsonSchema {
  return { title: `${o.name}Request`, ...requestSchema(o), additionalProperties: false };
}

/** The path-only dispatch operation: what holds for every POST ?<key> operation alike. */
function dispatch(ops: Operation[], style: 'virtual-hosted' | 'path-style'): JsonSchema {
  const statuses = new Map<number, ErrorCode[]>();
  for (const o of ops) for (const [s, codes] of errorCodes(o)) statuses.set(s, [...new Set([...(statuses.get(s) ?? []), ...codes])]);
  const responses: Record<string, JsonSchema> = {
    200: { description: `Success of ${ops.filter((o) => o.successStatus === 200).map((o) => o.name).join(', ')}: a JSON body for ${ops.filter((o) => o.response).map((o) => o.name).join(', ')} (see the path item of the query key), none for the others.`, headers: commonHeaders() },
    204: { description: `Success without a body: ${ops.filter((o) => o.successStatus === 204).map((o) => o.name).join(', ')}.`, headers: commonHeaders() },
  };
  const del = OPERATIONS.DeleteVectorIndex as Operation;
  for (const [s, codes] of [...statuses.entries()].sort(([a], [b]) => a - b)) responses[s] = errorResponse(del, s, codes);
  return {
    operationId: style === 'path-style' ? 'bucketJsonOperationPathStyle' : 'bucketJsonOperation',
    summary: `Any POST ?<key> operation (${style}) for tools that route on the path alone; the query key names the operation: ${ops.map((o) => `?${o.queryKey} ${o.name} (path item ${pathKey(o, style)})`).join(', ')}`,
    parameters: [
      ...(style === 'path-style' ? [{ name: 'bucket', in: 'path', required: true, schema: { type: 'string', pattern: BUCKET_NAME_PATTERN.source }, example: OPENAPI_EXAMPLES.bucket }] : []),
      ...ops.map((o) => ({ name: o.queryKey, in: 'query', required: false, allowEmptyValue: true,
        description: `${o.name}: the key without a value (\`?${o.queryKey}\`, Go) or with an empty one (\`?${o.queryKey}=\`, Python).`, schema: { type: 'string', maxLength: 0 } })),
      { name: 'Authorization', in: 'header', required: false, description: 'OSS4-HMAC-SHA256 V4 signature (spec §9)', schema: { type: 'string' } },
      { name: 'Content-MD5', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9+/]{22}==$' } },
      { name: 'x-oss-date', in: 'header', required: false, schema: { type: 'string', pattern: '^\\d{8}T\\d{6}Z$' } },
      { name: 'x-oss-content-sha256', in: 'header', required: false, schema: { type: 'string' } },
    ],
    requestBody: { required: false, description: 'The JSON body of the operation the query key names: one of the operations\' bodies, each with its required fields and only its documented ones (the service ignores unknown fields, U3; the per-operation path items allow them). An empty or non-JSON body is 400 MalformedJson.',
      content: { 'application/json': { schema: { anyOf: ops.map(closedRequestSchema) }, example: REQUEST_EXAMPLES.DeleteVectorIndex } } },
    responses,
    security: [{ OSS4HmacSha256: [] }, {}],
  };
}

/**
 * The path-only GET operation: GetVectorBucket (`GET /?bucketInfo`), the one bucket-scoped GET, for
 * tools that route on path and method alone — Prism's `--errors` proxy finds it (the preflight of
 * `ovc run` sends it first) and validates its answer against GetVectorBucket's own responses.
 */
function getDispatch(o: Operation, style: 'virtual-hosted' | 'path-style'): JsonSchema {
  const op = operation(o, style);
  const params = op.parameters as JsonSchema[];
  const at = style === 'path-style' ? 1 : 0;
  return {
    ...op,
    operationId: style === 'path-style' ? 'bucketGetOperationPathStyle' : 'bucketGetOperation',
    summary: `${o.name} (${style}) for tools that route on the path alone: ${o.method} ${pathKey(o, style)} (path item ${pathKey(o, style)})`,
    // Optional as in the POST dispatch: Prism looks a required query parameter up lower-cased
    // ('bucketinfo'), so a required `bucketInfo` would fail every request.
    parameters: [...params.slice(0, at), { name: o.queryKey, in: 'query', required: false, allowEmptyValue: true,
      description: `${o.name}: the key without a value (\`?${o.queryKey}\`) or with an empty one (\`?${o.queryKey}=\`).`, schema: { type: 'string', maxLength: 0 } }, ...params.slice(at)],
  };
}

/** The document (deterministic: the same contracts give the same object). */
export function buildOpenApi(version: string): Record<string, unknown> {
  const ops = bucketOps();
  const schemas: Record<string, JsonSchema> = { ErrorEnvelope: ERROR_ENVELOPE_SCHEMA };
  for (const o of ops) {
    if (o.request) schemas[`${o.name}Request`] = requestSchema(o);
    if (o.response) schemas[`${o.name}Response`] = o.response;
  }
  const jsonOps = ops.filter((o) => o.method === 'POST' && o.queryKey !== null);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const style of ['virtual-hosted', 'path-style'] as const) {
    for (const o of ops) (paths[pathKey(o, style)] ??= {})[o.method.toLowerCase()] = operation(o, style);
    paths[style === 'path-style' ? '/{bucket}/' : '/']!.post = dispatch(jsonOps, style);
    for (const o of ops.filter((x) => x.method === 'GET' && x.queryKey !== null)) paths[style === 'path-style' ? '/{bucket}/' : '/']!.get = getDispatch(o, style);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Alibaba Cloud OSS Vectors: bucket-scoped operations (as the ovc contracts state them)',
      version,
      description: 'Generated from contracts/ of oss-vectors-conformance (`ovc pact openapi`); do not edit. Each operation is a path item of its own keyed by its query key (`/?deleteVectorIndex`); the wire request is `POST /?deleteVectorIndex` (or `?deleteVectorIndex=`). DeleteVectorIndex is the operation whose responses are documented in full (x-ovc-operations). Using it with Prism and bi-directional contract testing: docs/openapi.md.',
    },
    servers: [
      { url: 'https://{bucket}-{accountId}.{region}.oss-vectors.aliyuncs.com', description: 'virtual-hosted (spec §1): path /',
        variables: { bucket: { default: OPENAPI_EXAMPLES.bucket }, accountId: { default: DEFAULT_ACCOUNT_ID }, region: { default: DEFAULT_REGION } } },
      { url: 'http://127.0.0.1:9000', description: 'a local emulator (ovc serve): path-style /{bucket}/' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        OSS4HmacSha256: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'OSS4-HMAC-SHA256 Credential=<id>/<date>/<region>/oss/aliyun_v4_request,Signature=<hex> (spec §9.1)' },
      },
    },
    'x-ovc-operations': Object.fromEntries(jsonOps.map((o) => [o.queryKey, {
      operation: o.name, action: o.action, successStatus: o.successStatus, path: pathKey(o, 'virtual-hosted'), pathStyle: pathKey(o, 'path-style'),
      request: `#/components/schemas/${o.name}Request`, response: o.response ? `#/components/schemas/${o.name}Response` : null,
      ...(o.name === 'DeleteVectorIndex' ? {
        documentedResponses: DELETE_VECTOR_INDEX_RESPONSES.map((r) => ({
          key: r.key, status: r.status, code: r.code, documented: r.documented, causes: [...r.causes], doc: { ...r.doc },
        })),
      } : {}),
    }])),
  };
}
