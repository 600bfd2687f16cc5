// The OpenAPI 3.1 document of OSS Vectors' bucket-scoped JSON operations, derived from contracts/
// (operations, request/response schemas, the error envelope, the documented DeleteVectorIndex
// responses). Pure data: pact/openapi.ts writes it to contracts/openapi/, a test keeps it current.
//
// OSS Vectors names the operation by a query key on one path (`POST /?deleteVectorIndex`, spec §2),
// which OpenAPI cannot key paths by: one path holds one `post`. So `POST /` (virtual-hosted, what
// every SDK sends) and `POST /{bucket}/` (path-style, the Go SDK towards an IP endpoint) each carry
// one operation whose query parameters are the operation keys, whose request body is any of the
// operations' request schemas, and whose responses are the union; `x-ovc-operations` lists, per query
// key, the operation, its schemas and (for DeleteVectorIndex) each documented response.
import { BUCKET_NAME_PATTERN } from './limits.ts';
import { ERROR_CODES } from './errors.ts';
import { ERROR_ENVELOPE_SCHEMA, OPERATIONS, type JsonSchema, type Operation } from './operations.ts';
import { DELETE_VECTOR_INDEX_RESPONSES } from './responses.ts';

export const OPENAPI_DIR = 'contracts/openapi';
export const OPENAPI_FILE_NAME = 'oss-vectors.openapi.json';

const REQUEST_ID = { type: 'string', pattern: '^[0-9A-Za-z]{24}$' };

/** The POST operations addressed at a bucket by a query key: the ones with a JSON request body. */
function jsonOps(): Operation[] {
  return (Object.values(OPERATIONS) as Operation[]).filter((o) => o.method === 'POST' && o.scope === 'bucket' && o.queryKey !== null && o.request !== null);
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function errorResponse(status: number): JsonSchema {
  const codes = Object.entries(ERROR_CODES).filter(([, e]) => e.status === status).map(([c]) => c);
  const documented = DELETE_VECTOR_INDEX_RESPONSES.filter((r) => r.status === status && r.code !== null);
  const lines = documented.map((r) => `DeleteVectorIndex ${r.label}${r.documented ? '' : ' (observed, not documented)'}: ${r.doc.says} [${r.doc.tag}: ${r.doc.url}]`);
  return {
    description: [`Error envelope; Error.Code one of ${codes.join(', ')}.`, ...lines].join('\n'),
    headers: commonHeaders(),
    content: { 'application/json': { schema: ref('ErrorEnvelope') } },
  };
}

function commonHeaders(): Record<string, JsonSchema> {
  return {
    'x-oss-request-id': { description: 'Request id (24 characters)', required: true, schema: REQUEST_ID },
    Date: { description: 'Server time, HTTP date', required: true, schema: { type: 'string' } },
  };
}

function postOperation(operationId: string, style: 'virtual-hosted' | 'path-style'): JsonSchema {
  const ops = jsonOps();
  const withResponse = ops.filter((o) => o.response !== null);
  const statuses = [...new Set(Object.values(ERROR_CODES).map((e) => e.status))].filter((s) => s >= 400 && s < 500).sort();
  const responses: Record<string, JsonSchema> = {
    200: {
      description: `Success with a JSON body: ${withResponse.map((o) => o.name).join(', ')}.`,
      headers: commonHeaders(),
      content: { 'application/json': { schema: { anyOf: withResponse.map((o) => ref(`${o.name}Response`)) } } },
    },
    204: {
      description: `Success without a body: ${ops.filter((o) => o.successStatus === 204).map((o) => o.name).join(', ')}. ${DELETE_VECTOR_INDEX_RESPONSES[0].doc.says}`,
      headers: commonHeaders(),
    },
  };
  for (const s of statuses) responses[s] = errorResponse(s);
  return {
    operationId,
    summary: `Bucket-scoped JSON operations (${style}); the query key names the operation: ${ops.map((o) => `?${o.queryKey} ${o.name}`).join(', ')}`,
    parameters: [
      ...(style === 'path-style' ? [{ name: 'bucket', in: 'path', required: true, schema: { type: 'string', pattern: BUCKET_NAME_PATTERN.source } }] : []),
      ...ops.map((o) => ({
        name: o.queryKey, in: 'query', required: false, allowEmptyValue: true,
        description: `${o.name}: the key without a value (\`?${o.queryKey}\`, Go) or with an empty one (\`?${o.queryKey}=\`, Python).`,
        schema: { type: 'string', maxLength: 0 },
      })),
      { name: 'Authorization', in: 'header', required: false, description: 'OSS4-HMAC-SHA256 V4 signature (spec §9); absent on an anonymous request, which is answered 403 AccessDenied', schema: { type: 'string' } },
      { name: 'Content-MD5', in: 'header', required: false, schema: { type: 'string' } },
      { name: 'x-oss-date', in: 'header', required: false, schema: { type: 'string' } },
      { name: 'x-oss-content-sha256', in: 'header', required: false, schema: { type: 'string' } },
    ],
    requestBody: {
      required: false,
      description: 'The JSON body of the operation the query key names. An empty or non-JSON body is 400 MalformedJson.',
      content: { 'application/json': { schema: { anyOf: ops.map((o) => ref(`${o.name}Request`)) } } },
    },
    responses,
    security: [{ OSS4HmacSha256: [] }, {}],
  };
}

/** The document (deterministic: the same contracts give the same object). */
export function buildOpenApi(version: string): Record<string, unknown> {
  const ops = jsonOps();
  const schemas: Record<string, JsonSchema> = { ErrorEnvelope: ERROR_ENVELOPE_SCHEMA };
  for (const o of ops) {
    schemas[`${o.name}Request`] = o.request!;
    if (o.response) schemas[`${o.name}Response`] = o.response;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Alibaba Cloud OSS Vectors: bucket-scoped JSON operations (as the ovc contracts state them)',
      version,
      description: 'Generated from contracts/ of oss-vectors-conformance (`ovc pact openapi`); do not edit. DeleteVectorIndex is the operation whose responses are documented in full (x-ovc-operations).',
    },
    servers: [
      { url: 'https://{bucket}-{accountId}.{region}.oss-vectors.aliyuncs.com', description: 'virtual-hosted (spec §1): path /',
        variables: { bucket: { default: 'examplebucket' }, accountId: { default: '1234567890' }, region: { default: 'cn-hangzhou' } } },
      { url: 'http://127.0.0.1:9000', description: 'a local emulator (ovc serve): path-style /{bucket}/' },
    ],
    paths: {
      '/': { post: postOperation('bucketJsonOperation', 'virtual-hosted') },
      '/{bucket}/': { post: postOperation('bucketJsonOperationPathStyle', 'path-style') },
    },
    components: {
      schemas,
      securitySchemes: {
        OSS4HmacSha256: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'OSS4-HMAC-SHA256 Credential=<id>/<date>/<region>/oss/aliyun_v4_request,Signature=<hex> (spec §9.1)' },
      },
    },
    'x-ovc-operations': Object.fromEntries(ops.map((o) => [o.queryKey, {
      operation: o.name, action: o.action, successStatus: o.successStatus,
      request: `#/components/schemas/${o.name}Request`, response: o.response ? `#/components/schemas/${o.name}Response` : null,
      ...(o.name === 'DeleteVectorIndex' ? {
        documentedResponses: DELETE_VECTOR_INDEX_RESPONSES.map((r) => ({
          key: r.key, status: r.status, code: r.code, documented: r.documented, causes: [...r.causes], doc: { ...r.doc },
        })),
      } : {}),
    }])),
  };
}
