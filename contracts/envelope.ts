// The JSON error envelope of OSS Vectors (spec §6.1) as a JSON Schema, and its check. The one source
// of the envelope's shape: the OpenAPI document (contracts/openapi.ts) publishes it, and the
// decoder of protocol/envelope.ts applies it when given `errorEnvelopeProblems` (protocol/ imports
// nothing of ours, so callers allowed to import contracts pass the check in).
import { errorEnvelopeValidator } from './validators.ts';

export const ERROR_ENVELOPE_SCHEMA: Record<string, unknown> = {
  type: 'object', required: ['Error'], additionalProperties: false,
  properties: {
    Error: {
      type: 'object', required: ['Code', 'Message', 'RequestId'],
      properties: { Code: { type: 'string' }, Message: { type: 'string' }, RequestId: { type: 'string', minLength: 24, maxLength: 24 }, HostId: { type: 'string' }, EC: { type: 'string' }, BucketName: { type: 'string' } },
    },
  },
};

/** What is wrong with a parsed error body against ERROR_ENVELOPE_SCHEMA (empty: it conforms). */
export function errorEnvelopeProblems(value: unknown): string[] {
  // Ajv's code for the schema, compiled ahead of time (contracts/validators.generated.ts): loading
  // Ajv and compiling cost every process that checked an error ~100 ms of CPU.
  const validate = errorEnvelopeValidator;
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `error body${e.instancePath ? ` ${e.instancePath.slice(1).replace(/\//g, '.')}` : ''} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
}
