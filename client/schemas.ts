// Checks response bodies against the JSON Schemas of contracts/operations.ts (the one source of
// truth for shapes), with Ajv. Returns the problems found; empty when the body conforms.
import { Ajv, type ValidateFunction } from 'ajv';
import { OPERATIONS, type OperationName } from '../contracts/operations.ts';

// Our own constant schemas: checked against JSON Schema's meta-schema by
// test/contracts/operations.test.ts, not in every run (that cost ~45 ms of CPU per process).
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const compiled = new Map<OperationName, ValidateFunction | null>();

function validator(op: OperationName): ValidateFunction | null {
  if (!compiled.has(op)) {
    const schema = OPERATIONS[op].response;
    compiled.set(op, schema ? ajv.compile(schema) : null);
  }
  return compiled.get(op)!;
}

export function responseSchemaProblems(op: OperationName, body: unknown): string[] {
  const validate = validator(op);
  if (!validate || validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${op} response${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
}
