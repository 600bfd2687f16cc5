// Checks response bodies against the JSON Schemas of contracts/operations.ts (the one source of
// truth for shapes), with Ajv's code compiled ahead of time (contracts/validators.generated.ts,
// scripts/validators.mjs): no Ajv to load or schema to compile in the process that checks. Returns
// the problems found; empty when the body conforms.
import type { OperationName } from '../contracts/operations.ts';
import { responseValidator } from '../contracts/validators.ts';

export function responseSchemaProblems(op: OperationName, body: unknown): string[] {
  const validate = responseValidator(op);
  if (!validate || validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${op} response${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
}
