// The operations the suite and the emulator use (spec §2, §3): method, query key, request and
// response JSON Schemas (draft 2020-12 subset), success status.

import { INDEX_NAME_PATTERN, METADATA_KEY_PATTERN } from './limits.ts';

export type JsonSchema = Record<string, unknown>;

export interface Operation {
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Sub-resource query key; null when routed by method alone. */
  queryKey: string | null;
  scope: 'service' | 'bucket';
  successStatus: number;
  request: JsonSchema | null;
  response: JsonSchema | null;
  /** RAM action named on the API page. */
  action: string;
}

const indexName: JsonSchema = { type: 'string', pattern: INDEX_NAME_PATTERN.source };
const float32: JsonSchema = { type: 'array', items: { type: 'number' } };
const vectorOut: JsonSchema = {
  type: 'object', required: ['key'],
  properties: { key: { type: 'string' }, data: { type: 'object', properties: { float32 } }, metadata: { type: 'object' }, distance: { type: 'number' } },
};
const indexObject: JsonSchema = {
  type: 'object', required: ['indexName', 'dataType', 'dimension', 'distanceMetric', 'status', 'createTime'],
  properties: {
    indexName, createTime: { type: 'string' }, dataType: { const: 'float32' }, dimension: { type: 'integer', minimum: 1, maximum: 4096 },
    distanceMetric: { enum: ['euclidean', 'cosine'] }, status: { enum: ['creating', 'enable', 'deleting'] },
    metadata: { type: 'object' }, vectorBucketName: { type: 'string' },
  },
};
const bucketInfo: JsonSchema = {
  type: 'object', required: ['Name', 'CreationDate', 'Region'],
  properties: {
    Name: { type: 'string' }, CreationDate: { type: 'string' }, ExtranetEndpoint: { type: 'string' }, IntranetEndpoint: { type: 'string' },
    Location: { type: 'string' }, Region: { type: 'string' }, ResourceGroupId: { type: 'string' },
  },
};

// The error envelope schema lives in envelope.ts (with its Ajv check); re-exported here.
export { ERROR_ENVELOPE_SCHEMA } from './envelope.ts';

export const OPERATIONS = {
  PutVectorBucket: { name: 'PutVectorBucket', method: 'PUT', queryKey: null, scope: 'bucket', successStatus: 200, request: null, response: null, action: 'oss:PutVectorBucket' },
  GetVectorBucket: { name: 'GetVectorBucket', method: 'GET', queryKey: 'bucketInfo', scope: 'bucket', successStatus: 200, request: null,
    response: { type: 'object', required: ['BucketInfo'], properties: { BucketInfo: bucketInfo } }, action: 'oss:GetVectorBucket' },
  DeleteVectorBucket: { name: 'DeleteVectorBucket', method: 'DELETE', queryKey: null, scope: 'bucket', successStatus: 204, request: null, response: null, action: 'oss:DeleteVectorBucket' },
  ListVectorBuckets: { name: 'ListVectorBuckets', method: 'GET', queryKey: null, scope: 'service', successStatus: 200, request: null,
    response: { type: 'object', required: ['ListAllMyBucketsResult'], properties: { ListAllMyBucketsResult: { type: 'object', properties: { Buckets: { type: 'array', items: bucketInfo } } } } }, action: 'oss:ListVectorBuckets' },
  PutVectorIndex: { name: 'PutVectorIndex', method: 'POST', queryKey: 'putVectorIndex', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName', 'dataType', 'dimension', 'distanceMetric'], properties: {
      indexName, dataType: { const: 'float32' }, dimension: { type: 'integer', minimum: 1, maximum: 4096 }, distanceMetric: { enum: ['euclidean', 'cosine'] },
      metadata: { type: 'object', properties: { nonFilterableMetadataKeys: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', pattern: METADATA_KEY_PATTERN.source } } } } } },
    response: null, action: 'oss:PutVectorIndex' },
  GetVectorIndex: { name: 'GetVectorIndex', method: 'POST', queryKey: 'getVectorIndex', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName'], properties: { indexName } },
    response: { type: 'object', required: ['index'], properties: { index: indexObject } }, action: 'oss:GetVectorIndex' },
  ListVectorIndexes: { name: 'ListVectorIndexes', method: 'POST', queryKey: 'listVectorIndexes', scope: 'bucket', successStatus: 200,
    request: { type: 'object', properties: { maxResults: { type: 'integer', minimum: 0, maximum: 500 }, nextToken: { type: 'string', minLength: 1, maxLength: 512 }, prefix: { type: 'string' } } },
    response: { type: 'object', required: ['indexes'], properties: { indexes: { type: 'array', items: indexObject }, nextToken: { type: 'string' } } }, action: 'oss:ListVectorIndexes' },
  DeleteVectorIndex: { name: 'DeleteVectorIndex', method: 'POST', queryKey: 'deleteVectorIndex', scope: 'bucket', successStatus: 204,
    request: { type: 'object', required: ['indexName'], properties: { indexName } }, response: null, action: 'oss:DeleteVectorIndex' },
  PutVectors: { name: 'PutVectors', method: 'POST', queryKey: 'putVectors', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName', 'vectors'], properties: { indexName, vectors: { type: 'array', minItems: 1, maxItems: 500, items: {
      type: 'object', required: ['key', 'data'], properties: { key: { type: 'string', minLength: 1, maxLength: 1024 }, data: { type: 'object', required: ['float32'], properties: { float32 } }, metadata: { type: 'object' } } } } } },
    response: null, action: 'oss:PutVectors' },
  GetVectors: { name: 'GetVectors', method: 'POST', queryKey: 'getVectors', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName', 'keys'], properties: { indexName, keys: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string' } }, returnData: { type: 'boolean' }, returnMetadata: { type: 'boolean' } } },
    response: { type: 'object', required: ['vectors'], properties: { vectors: { type: 'array', items: vectorOut } } }, action: 'oss:GetVectors' },
  ListVectors: { name: 'ListVectors', method: 'POST', queryKey: 'listVectors', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName'], properties: { indexName, maxResults: { type: 'integer', minimum: 1, maximum: 1000 }, nextToken: { type: 'string' }, returnData: { type: 'boolean' }, returnMetadata: { type: 'boolean' }, segmentCount: { type: 'integer', minimum: 1, maximum: 16 }, segmentIndex: { type: 'integer', minimum: 0 } } },
    response: { type: 'object', required: ['vectors'], properties: { vectors: { type: 'array', items: vectorOut }, nextToken: { type: 'string' } } }, action: 'oss:ListVectors' },
  DeleteVectors: { name: 'DeleteVectors', method: 'POST', queryKey: 'deleteVectors', scope: 'bucket', successStatus: 204,
    request: { type: 'object', required: ['indexName', 'keys'], properties: { indexName, keys: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'string' } } } }, response: null, action: 'oss:DeleteVectors' },
  QueryVectors: { name: 'QueryVectors', method: 'POST', queryKey: 'queryVectors', scope: 'bucket', successStatus: 200,
    request: { type: 'object', required: ['indexName', 'queryVector', 'topK'], properties: { indexName, queryVector: { type: 'object', required: ['float32'], properties: { float32 } }, topK: { type: 'integer', minimum: 1, maximum: 100 }, filter: { type: 'object' }, returnDistance: { type: 'boolean' }, returnMetadata: { type: 'boolean' } } },
    response: { type: 'object', required: ['vectors'], properties: { vectors: { type: 'array', items: vectorOut } } }, action: 'oss:QueryVectors' },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

/** Finds the operation a request addresses (routing on the query key, both `?op` and `?op=` forms). */
export function findOperation(method: string, queryKeys: readonly string[], scope: 'service' | 'bucket'): Operation | undefined {
  const ops = Object.values(OPERATIONS) as Operation[];
  const keyed = ops.find((o) => o.queryKey !== null && o.method === method && o.scope === scope && queryKeys.includes(o.queryKey));
  if (keyed) return keyed;
  return ops.find((o) => o.queryKey === null && o.method === method && o.scope === scope);
}
