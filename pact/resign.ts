// What a replaying proxy (pact verification's replay, `ovc pact signing-proxy`) makes of a request it
// received: the headers it may forward, with the signature's own headers dropped (they are made anew
// at send time) and Content-MD5 recomputed over the body as received.
import type { IncomingHttpHeaders } from 'node:http';
import { contentMd5 } from '../protocol/md5.ts';
import type { WireRequest } from '../protocol/wire.ts';

/** Headers the signature makes; never forwarded as received. */
const SIGNING_HEADERS = new Set(['authorization', 'x-oss-date', 'x-oss-content-sha256', 'date', 'x-oss-security-token']);
/** Headers of one connection; never forwarded in either direction. */
export const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'accept-encoding']);

/**
 * The request to send on: forwardable headers, Content-MD5 of `body` when the request carried one,
 * and whether it came signed (then the sender signs it anew; else it goes unsigned).
 */
export function toResign(method: string | undefined, headersIn: IncomingHttpHeaders, query: string, body: Buffer, bucket: string | null): { wire: WireRequest; signed: boolean } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(headersIn)) {
    const lk = k.toLowerCase();
    if (v === undefined || HOP_HEADERS.has(lk) || SIGNING_HEADERS.has(lk)) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const md5Key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-md5');
  if (md5Key) headers[md5Key] = contentMd5(body);
  return { wire: { method: method ?? 'GET', query, headers, body, bucket }, signed: headersIn.authorization !== undefined };
}
