// Request-body parsing and parameter checks shared by the index and vector handlers.
import { isUtf8 } from 'node:buffer';
import { INDEX_NAME_MAX, isValidIndexName, LIMITS } from '../contracts/limits.ts';
import { ApiError, invalidParam } from './errors.ts';
import type { FaultName } from './faults.ts';

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
  try { return JSON.parse(body.toString('utf8')); } catch { throw malformed('the request body is not valid JSON'); }
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

/** `indexName`: present, a string, 1–63 letters and digits starting with a letter. */
export function requireIndexName(body: JsonObject, opts: { checkFormat?: boolean; fault?: FaultName | null } = {}): string {
  const name = body.indexName;
  if (name === undefined) throw invalidParam('indexName is required');
  if (typeof name !== 'string') throw invalidParam('indexName must be a string');
  if ((opts.checkFormat ?? true) && !indexNameOk(name, opts.fault ?? null)) throw invalidParam('indexName must be 1-63 letters and digits, starting with a letter');
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
