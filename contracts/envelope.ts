// The JSON error envelope of OSS Vectors (spec §6.1) as a JSON Schema, and its check. The one source
// of the envelope's shape: the OpenAPI document (contracts/openapi.ts) publishes it, and the
// decoder of protocol/envelope.ts applies it when given `errorEnvelopeProblems` (protocol/ imports
// nothing of ours, so callers allowed to import contracts pass the check in).
import { Ajv, type ValidateFunction } from 'ajv';

export const ERROR_ENVELOPE_SCHEMA: Record<string, unknown> = {
  type: 'object', required: ['Error'], additionalProperties: false,
  properties: {
    Error: {
      type: 'object', required: ['Code', 'Message', 'RequestId'],
      properties: { Code: { type: 'string' }, Message: { type: 'string' }, RequestId: { type: 'string', minLength: 24, maxLength: 24 }, HostId: { type: 'string' }, EC: { type: 'string' }, BucketName: { type: 'string' } },
    },
  },
};

// Compiled on first use, without checking the schema against JSON Schema's meta-schema (that
// compile cost every process loading this module ~90 ms of CPU at start-up; the schema's validity
// is checked by test/contracts/operations.test.ts instead).
let validate: ValidateFunction | null = null;

/** What is wrong with a parsed error body against ERROR_ENVELOPE_SCHEMA (empty: it conforms). */
export function errorEnvelopeProblems(value: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(ERROR_ENVELOPE_SCHEMA);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `error body${e.instancePath ? ` ${e.instancePath.slice(1).replace(/\//g, '.')}` : ''} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
}
