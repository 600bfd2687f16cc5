// The client-conformance log: one JSON line per request saying what the client did differently
// from the official SDKs (spec §2, §9, §10). It never holds Authorization, secrets or tokens.
import type { WriteStream } from 'node:fs';
import { appendStream } from '../files/gate.ts';
import type { Operation } from '../contracts/operations.ts';
import { parseDateTime } from '../protocol/signer.ts';
import type { Md5Check } from './auth.ts';
import type { QueryParam } from './request.ts';
import { unknownParams } from './router.ts';

export interface Deviation {
  kind: 'missing-content-md5' | 'wrong-content-md5' | 'signature' | 'wrong-content-type' | 'missing-content-type'
    | 'non-canonical-query' | 'clock-skew' | 'content-sha256' | 'missing-date';
  detail: string;
}

export interface ClientLogEntry {
  time: string;
  requestId: string;
  operation: string | null;
  method: string;
  path: string;
  status: number;
  deviations: Deviation[];
}

/** Values of these query parameters are secrets or grant access: never logged. */
const SECRET_QUERY_KEYS = new Set(['x-oss-signature', 'x-oss-security-token']);

export function redactedPath(pathname: string, rawQuery: string): string {
  if (!rawQuery) return pathname;
  const items = rawQuery.split('&').map((item) => {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    return SECRET_QUERY_KEYS.has(key.toLowerCase()) ? `${key}=REDACTED` : item;
  });
  return `${pathname}?${items.join('&')}`;
}

/** Operations whose Content-Type the SDKs do not agree on (Go sends none): no missing-content-type note. */
const CONTENT_TYPE_OPTIONAL = new Set(['GetVectorIndex', 'GetVectors']);
/** The SDKs re-sync their clock from Date on skew errors; more than this is worth reporting even when accepted. */
const SKEW_NOTE_MS = 60_000;

export interface DeviationInput {
  op: Operation | null;
  headers: Map<string, string>;
  query: readonly QueryParam[];
  body: Buffer;
  md5: Md5Check | null;
  /** Why authentication failed or was waived; null when the signature was fine. */
  signatureProblem: string | null;
  now: Date;
}

export function clientDeviations(i: DeviationInput): Deviation[] {
  const out: Deviation[] = [];
  const h = (n: string): string | undefined => i.headers.get(n);
  if (i.signatureProblem) out.push({ kind: 'signature', detail: i.signatureProblem });
  if (i.op) {
    if (i.md5 === 'absent') out.push({ kind: 'missing-content-md5', detail: 'the official SDKs send Content-MD5 on every vectors operation' });
    if (i.md5 === 'mismatch') out.push({ kind: 'wrong-content-md5', detail: 'Content-MD5 is not base64(MD5(body))' });
    if (i.op.method === 'POST') {
      const ct = h('content-type');
      if (ct !== undefined && ct.toLowerCase() !== 'application/json') out.push({ kind: 'wrong-content-type', detail: `Content-Type '${ct}' on a JSON operation; the SDKs send exactly application/json` });
      if (ct === undefined && i.body.length > 0 && !CONTENT_TYPE_OPTIONAL.has(i.op.name)) out.push({ kind: 'missing-content-type', detail: 'a JSON body without Content-Type: application/json' });
    }
    const opParam = i.query.find((p) => p.key === i.op!.queryKey);
    if (opParam && opParam.value !== '') out.push({ kind: 'non-canonical-query', detail: `sub-resource '${opParam.key}' carries a value` });
    const extra = unknownParams(i.op, i.query);
    if (extra.length) out.push({ kind: 'non-canonical-query', detail: `unknown query parameters: ${extra.join(', ')}` });
  }
  const headerAuth = h('authorization') !== undefined;
  const dateText = headerAuth ? h('x-oss-date') : i.query.find((p) => p.key === 'x-oss-date')?.value;
  const signedAt = dateText ? parseDateTime(dateText) : null;
  if (signedAt && Math.abs(signedAt.getTime() - i.now.getTime()) > SKEW_NOTE_MS) {
    out.push({ kind: 'clock-skew', detail: `x-oss-date is ${Math.round((signedAt.getTime() - i.now.getTime()) / 1000)} s from server time` });
  }
  if (headerAuth) {
    const sha = h('x-oss-content-sha256');
    if (sha !== 'UNSIGNED-PAYLOAD') out.push({ kind: 'content-sha256', detail: sha === undefined ? 'x-oss-content-sha256 is missing' : 'x-oss-content-sha256 is not UNSIGNED-PAYLOAD' });
    if (h('date') === undefined) out.push({ kind: 'missing-date', detail: 'the SDKs send a Date header besides x-oss-date' });
  }
  return out;
}

export class ClientLog {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = appendStream(path);
    // A failing log must not take the emulator down.
    this.stream.on('error', (e) => console.error(`ovc emulator: client log ${path}: ${e.message}`));
  }

  write(entry: ClientLogEntry): void {
    this.stream.write(`${JSON.stringify(entry)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
