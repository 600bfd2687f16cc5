// Request-body parsing and parameter checks shared by the index and vector handlers.
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import { INDEX_NAME_MAX, isValidIndexName, LIMITS } from '../contracts/limits.ts';
import { OPERATIONS, type JsonSchema, type OperationName } from '../contracts/operations.ts';
import { ApiError, invalidParam } from './errors.ts';
import type { FaultName } from './faults.ts';
import * as GENERATED from './validators.generated.ts';

export type JsonObject = Record<string, unknown>;

/**
 * Parses a JSON body. An empty body, invalid UTF-8 and anything JSON.parse rejects are all
 * MalformedJson (spec §12 U3); `emptyMeansNoParameters` is for ListVectorIndexes, which the SDKs
 * send without a body when no field is set.
 */
export function parseJsonBody(body: Buffer, fault: FaultName | null, opts: { emptyMeansNoParameters?: boolean } = {}): unknown {
  if (body.length === 0 && opts.emptyMeansNoParameters) return {};
  const malformed = (detail: string): ApiError =>
    new ApiError(fault === 'malformed-json-wrong-code' ? 'VectorIndexParameterInvalid' : 'MalformedJson', detail);
  if (body.length === 0) {
    if (fault === 'empty-body-parameter-invalid') throw invalidParam('the request body is empty');
    throw malformed('the request body is empty');
  }
  if (!isUtf8(body)) throw malformed('the request body is not valid UTF-8');
  if (body.length >= SCAN_FROM_BYTES && !bracketsBalance(body)) throw malformed('the request body is not valid JSON');
  try { return JSON.parse(body.toString('utf8')); } catch { throw malformed('the request body is not valid JSON'); }
}

/** Bodies from this size are scanned before JSON.parse (below it the parse costs less than the scan). */
const SCAN_FROM_BYTES = 4096;

/**
 * False when the body's brackets cannot be JSON: outside strings, a `]` or `}` closes nothing, or
 * the text ends inside a string or an open array or object. JSON.parse would reject all of these,
 * but it builds every level first: 900 KB of `[` cost it ~250 ms of CPU (and a second of GC in a
 * busy process), the scan ~1 ms. Only a necessary condition: what passes is still parsed.
 */
export function bracketsBalance(body: Buffer): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (inString) {
      if (b === 0x5c) i++; // a backslash: the next byte is escaped
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) depth++;
    else if ((b === 0x5d || b === 0x7d) && --depth < 0) return false;
  }
  return depth === 0 && !inString;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObject(v: unknown): JsonObject {
  if (!isObject(v)) throw invalidParam('the request body must be a JSON object');
  return v;
}

/** The name rule, as bent by the `reject-63-char-name` and `accept-64-char-name` faults. */
export function indexNameOk(name: string, fault: FaultName | null): boolean {
  if (fault === 'reject-63-char-name' && name.length === INDEX_NAME_MAX) return false;
  if (fault === 'accept-64-char-name' && name.length === INDEX_NAME_MAX + 1) return isValidIndexName(name.slice(0, INDEX_NAME_MAX)) && /[A-Za-z0-9]$/.test(name);
  return isValidIndexName(name);
}

// Request bodies are checked against the request schemas of contracts/operations.ts (the one source
// of the shapes). Every schema violation is the documented 400 VectorIndexParameterInvalid (spec §12
// U3, U9); checks a schema cannot say (the index's dimension, zero vectors, metadata sizes) stay in
// the handlers, after the schema check. The checks are Ajv's code compiled ahead of time
// (emulator/validators.generated.ts, scripts/validators.mjs, from emulatorSchemas() below): the
// first request body an emulator checked loaded Ajv and compiled its schema, ~100 ms of CPU in every
// process that served one (the embedded emulator of every `ovc run`). A schema the file lacks is
// compiled by Ajv at run time, with the same options. Our own constant schemas: their validity
// against JSON Schema's meta-schema is checked by test/contracts/operations.test.ts.

/** The options every request check is compiled with (the first error is the one reported). */
export const REQUEST_CHECK_OPTIONS = { allErrors: false, strict: false, validateSchema: false } as const;

/** Each check's name in emulator/validators.generated.ts: `request_<Op>`, `request_<Op>_looseName`, `indexName_<Op>`, `indexName_<Op>_any`. */
const checkName = (op: OperationName, kind: 'request' | 'looseName' | 'indexName' | 'indexNameAny'): string =>
  kind === 'request' ? `request_${op}` : kind === 'looseName' ? `request_${op}_looseName` : kind === 'indexName' ? `indexName_${op}` : `indexName_${op}_any`;

/**
 * Every schema the emulator checks bodies with, by check name: each operation's request schema; with
 * an `indexName`, the same with the name's pattern left out (the length faults judge the name
 * themselves), and `{ indexName }` alone with and without its pattern.
 */
export function emulatorSchemas(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const op of Object.keys(OPERATIONS) as OperationName[]) {
    const full = OPERATIONS[op].request as (JsonSchema & { properties?: Record<string, JsonSchema> }) | null;
    if (!full) continue;
    out[checkName(op, 'request')] = full;
    const name = full.properties?.indexName;
    if (!name) continue;
    const { pattern: _pattern, ...loose } = name;
    out[checkName(op, 'looseName')] = { ...full, properties: { ...full.properties, indexName: loose } };
    out[checkName(op, 'indexName')] = { type: 'object', required: ['indexName'], properties: { indexName: name } };
    out[checkName(op, 'indexNameAny')] = { type: 'object', required: ['indexName'], properties: { indexName: loose } };
  }
  return out;
}

const compiled = new Map<string, ValidateFunction>();
let schemas: Record<string, JsonSchema> | null = null;
let ajv: AjvClass | null = null;

function check(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = (GENERATED as unknown as Record<string, ValidateFunction | undefined>)[name];
    if (!v) {
      const schema = (schemas ??= emulatorSchemas())[name];
      if (!schema) throw new Error(`no request check ${name}: the operation has no request schema in contracts/operations.ts`);
      ajv ??= new (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv(REQUEST_CHECK_OPTIONS);
      v = ajv.compile(schema);
    }
    compiled.set(name, v);
  }
  return v;
}

function fail(validate: ValidateFunction): never {
  const e = validate.errors?.[0];
  const where = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the request body';
  const missing = e?.keyword === 'required' ? ` (${String((e.params as { missingProperty?: string }).missingProperty)})` : '';
  throw invalidParam(`${where} ${e?.message ?? 'is invalid'}${missing}`);
}

/** The whole body against the operation's request schema; extra fields are allowed (U3). */
export function checkRequest(op: OperationName, body: JsonObject, fault: FaultName | null = null): void {
  // Under the length faults the name rule is indexNameOk's (requireIndexName), not the schema's pattern.
  const bent = (fault === 'reject-63-char-name' || fault === 'accept-64-char-name') && (OPERATIONS[op].request as { properties?: Record<string, unknown> } | null)?.properties?.indexName !== undefined;
  const validate = check(checkName(op, bent ? 'looseName' : 'request'));
  if (!validate(body)) fail(validate);
}

/** The validator of `{ indexName }` alone, with or without the name's format rule. */
function nameValidator(op: OperationName, checkFormat: boolean): ValidateFunction {
  return check(checkName(op, checkFormat ? 'indexName' : 'indexNameAny'));
}

/** The `indexName` of the body against the operation's schema for it (required, string, pattern). */
export function requireIndexName(body: JsonObject, opts: { op?: OperationName; checkFormat?: boolean; fault?: FaultName | null } = {}): string {
  const op = opts.op ?? 'DeleteVectorIndex';
  const fault = opts.fault ?? null;
  // The length faults bend the name rule: the schema checks presence and type, indexNameOk the rest.
  const bent = fault === 'reject-63-char-name' || fault === 'accept-64-char-name';
  const checkFormat = (opts.checkFormat ?? true) && !bent;
  const validate = nameValidator(op, checkFormat);
  if (!validate(body)) fail(validate);
  const name = body.indexName as string;
  if (bent && (opts.checkFormat ?? true) && !indexNameOk(name, fault)) throw invalidParam('indexName must be 1-63 letters and digits, starting with a letter');
  return name;
}

export function optionalBoolean(body: JsonObject, field: string): boolean {
  const v = body[field];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidParam(`${field} must be a boolean`);
  return v;
}

export function optionalInteger(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParam(`${field} must be an integer in ${min}..${max}`);
  return v;
}

export function optionalString(body: JsonObject, field: string, minLength: number, maxLength: number): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length < minLength || v.length > maxLength) throw invalidParam(`${field} must be a string of ${minLength}..${maxLength} characters`);
  return v;
}

/** A float32 array of exactly `dimension` finite values (values overflowing float32 are not finite). */
export function requireFloat32(v: unknown, dimension: number, what: string): Float32Array {
  if (!isObject(v) || !Array.isArray(v.float32)) throw invalidParam(`${what} must be an object {"float32":[...]}`);
  const values = v.float32 as unknown[];
  if (values.length !== dimension) throw invalidParam(`${what} has ${values.length} values, the index dimension is ${dimension}`);
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const x = values[i];
    if (typeof x !== 'number') throw invalidParam(`${what}[${i}] is not a number`);
    out[i] = x;
    if (!Number.isFinite(out[i]!)) throw invalidParam(`${what}[${i}] is not a finite float32`);
  }
  return out;
}

/** An array of 1..max strings of 1..vectorKeyMaxChars characters. */
export function requireKeys(body: JsonObject, max: number): string[] {
  const keys = body.keys;
  if (!Array.isArray(keys) || keys.length < 1) throw invalidParam('keys must be a non-empty array');
  for (const k of keys) {
    if (typeof k !== 'string' || k.length < 1 || k.length > LIMITS.vectorKeyMaxChars) throw invalidParam(`each key must be a string of 1..${LIMITS.vectorKeyMaxChars} characters`);
  }
  const unique = [...new Set(keys as string[])];
  if (unique.length > max) throw invalidParam(`at most ${max} keys per request`);
  return unique;
}
