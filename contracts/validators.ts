// The client's schema checks as Ajv compiled them ahead of time (contracts/validators.generated.ts,
// written by scripts/validators.mjs from contracts/operations.ts and contracts/envelope.ts, checked
// to be up to date by test/contracts/validators.test.ts): typed access to the generated functions.
import type { ErrorObject } from 'ajv';
import type { OperationName } from './operations.ts';
import * as generated from './validators.generated.ts';

/** An Ajv validate function: true when the value conforms, else false with `errors` set. */
export interface Validator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const table = generated as unknown as Record<string, Validator | undefined>;

/** The operation's response-schema check; null when the operation has no response schema. */
export function responseValidator(op: OperationName): Validator | null {
  return table[`response_${op}`] ?? null;
}

/** The error envelope's check (contracts/envelope.ts's ERROR_ENVELOPE_SCHEMA). */
export const errorEnvelopeValidator = table.errorEnvelope as Validator;
