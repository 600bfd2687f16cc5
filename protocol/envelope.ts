// The JSON error envelope of OSS Vectors (spec §6) and 24-character request ids.
import { randomBytes } from 'node:crypto';

export const JSON_CONTENT_TYPE = 'application/json';

export interface ErrorBody {
  Code: string;
  Message: string;
  RequestId: string;
  HostId: string;
  EC: string;
  BucketName?: string;
}

export interface ErrorEnvelope {
  Error: ErrorBody;
}

export function encodeError(e: ErrorBody): string {
  return JSON.stringify({ Error: e });
}

export interface EnvelopeCheck {
  ok: boolean;
  problems: string[];
  body?: ErrorBody;
}

/**
 * Parses and checks an error body. Without `schemaProblems`: what the SDKs need to decode it (spec
 * §6.2: a JSON object with root `Error` holding string Code, Message, RequestId). With it (pass
 * `errorEnvelopeProblems` of contracts/envelope.ts, the envelope's JSON Schema): the contract's
 * shape, decided by that schema alone. protocol/ imports nothing of ours, hence the parameter.
 */
export function decodeError(text: string, schemaProblems?: (value: unknown) => string[]): EnvelopeCheck {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { return { ok: false, problems: ['error body is not JSON'] }; }
  if (schemaProblems) {
    const problems = schemaProblems(parsed);
    const err = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).Error : undefined;
    const body = typeof err === 'object' && err !== null && !Array.isArray(err) ? err as unknown as ErrorBody : undefined;
    return { ok: problems.length === 0, problems, ...(body ? { body } : {}) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problems: ['error body is not a JSON object'] };
  const err = (parsed as Record<string, unknown>).Error;
  if (typeof err !== 'object' || err === null || Array.isArray(err)) return { ok: false, problems: ["error body has no 'Error' object"] };
  const e = err as Record<string, unknown>;
  const problems: string[] = [];
  for (const f of ['Code', 'Message', 'RequestId'] as const) if (typeof e[f] !== 'string') problems.push(`Error.${f} is not a string`);
  return { ok: problems.length === 0, problems, body: e as unknown as ErrorBody };
}

let counter = randomBytes(4).readUInt32BE(0);
const processTag = randomBytes(4).toString('hex').toUpperCase();
/** The time part changes once a second: format it (with the process tag) once per second. */
let prefixSecond = -1;
let prefix = '';
const HEX = '0123456789ABCDEF';

/** 24 upper-case hex characters: time (8) + process tag (8) + counter (8), unique within a process. */
export function newRequestId(): string {
  counter = (counter + 1) >>> 0;
  const second = Math.floor(Date.now() / 1000);
  if (second !== prefixSecond) {
    prefixSecond = second;
    prefix = (second >>> 0).toString(16).toUpperCase().padStart(8, '0') + processTag;
  }
  const c = counter;
  return prefix + HEX[c >>> 28]! + HEX[(c >>> 24) & 15]! + HEX[(c >>> 20) & 15]! + HEX[(c >>> 16) & 15]!
    + HEX[(c >>> 12) & 15]! + HEX[(c >>> 8) & 15]! + HEX[(c >>> 4) & 15]! + HEX[c & 15]!;
}

/** Stable pseudo-EC per code (spec §6.4: EC values are unstable and never asserted). */
export function ecFor(code: string): string {
  let h = 0;
  for (const c of code) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `0037-${String(h % 100000000).padStart(8, '0')}`;
}
