// Verification of OSS4-HMAC-SHA256 (spec §9), header and query (presigned) forms: the emulator's
// side of protocol/signer.ts. It builds the canonical request with the signer's own functions, so
// what the client signs and what the emulator checks cannot drift apart.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALGORITHM, canonicalFromMap, normalizeHeaders, parseDateTimeMs, scopeOf, signingKey, stringToSign, type HeaderInput } from './signer.ts';

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  product: string;
  additionalHeaders: string[];
  signature: string;
}

/** Parses `OSS4-HMAC-SHA256 Credential=ak/date/region/product/aliyun_v4_request[,AdditionalHeaders=a;b],Signature=hex`; whitespace after commas tolerated. */
export function parseAuthorization(header: string): ParsedAuthorization | null {
  const h = header.trim();
  if (!h.startsWith(`${ALGORITHM} `)) return null;
  let cred: string | undefined;
  let signature: string | undefined;
  let additional: string | undefined;
  // `name=value` fields separated by ','; a later field of the same name wins.
  let at = ALGORITHM.length + 1;
  while (at <= h.length) {
    let end = h.indexOf(',', at);
    if (end < 0) end = h.length;
    const eq = h.indexOf('=', at);
    if (eq < 0 || eq > end) return null;
    const name = h.slice(at, eq).trim();
    const value = h.slice(eq + 1, end).trim();
    if (name === 'Credential') cred = value;
    else if (name === 'Signature') signature = value;
    else if (name === 'AdditionalHeaders') additional = value;
    at = end + 1;
  }
  if (!cred || !signature) return null;
  return parseCredential(cred, signature, additional);
}

function parseCredential(cred: string, signature: string, additional: string | undefined): ParsedAuthorization | null {
  const parts = cred.split('/');
  if (parts.length !== 5 || parts[4] !== 'aliyun_v4_request' || !parts[0]) return null;
  if (!/^[0-9a-f]{64}$/.test(signature)) return null;
  return {
    accessKeyId: parts[0], date: parts[1]!, region: parts[2]!, product: parts[3]!,
    additionalHeaders: additional ? additional.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean) : [],
    signature,
  };
}

export type VerifyFailure =
  | 'AccessDenied' | 'InvalidAccessKeyId' | 'SignatureDoesNotMatch' | 'RequestTimeTooSkewed';

export type VerifyResult =
  | { ok: true; accessKeyId: string; securityToken?: string; mode: 'header' | 'query' }
  | { ok: false; code: VerifyFailure; detail: string; accessKeyId?: string };

export interface VerifyInput {
  method: string;
  /** Raw query string as received, without '?'. */
  query: string;
  headers: HeaderInput;
  region: string;
  accountId: string;
  bucket?: string;
  lookupSecret: (accessKeyId: string) => string | undefined;
  now?: Date;
  skewMs?: number;
}

/** Verifies header or query authentication. Order: presence → form → key → time → scope → signature. */
export function verifyRequest(v: VerifyInput): VerifyResult {
  const headers = normalizeHeaders(v.headers);
  const now = v.now ?? new Date();
  const skewMs = v.skewMs ?? 15 * 60 * 1000;
  const auth = headers.get('authorization');
  // The query's parameters only matter without an Authorization header (query authentication).
  const queryMap = new Map<string, string>();
  if (!auth) {
    for (const item of v.query.split('&')) {
      const eq = item.indexOf('=');
      if (eq > 0) queryMap.set(item.slice(0, eq), item.slice(eq + 1));
    }
  }
  const isQuery = !auth && queryMap.has('x-oss-signature');
  if (!auth && !isQuery) return { ok: false, code: 'AccessDenied', detail: 'no Authorization header and no query signature' };

  let parsed: ParsedAuthorization | null;
  let datetime: string | undefined;
  if (isQuery) {
    if (safeDecode(queryMap.get('x-oss-signature-version') ?? '') !== ALGORITHM) return { ok: false, code: 'AccessDenied', detail: 'unsupported x-oss-signature-version' };
    const cred = safeDecode(queryMap.get('x-oss-credential') ?? '');
    const addl = safeDecode(queryMap.get('x-oss-additional-headers') ?? '') || undefined;
    parsed = parseCredential(cred, queryMap.get('x-oss-signature') ?? '', addl);
    datetime = queryMap.get('x-oss-date');
  } else {
    parsed = parseAuthorization(auth!);
    datetime = headers.get('x-oss-date');
  }
  if (!parsed) return { ok: false, code: 'AccessDenied', detail: 'the Authorization value is not a well-formed OSS4-HMAC-SHA256 credential' };
  const secret = v.lookupSecret(parsed.accessKeyId);
  if (secret === undefined) return { ok: false, code: 'InvalidAccessKeyId', detail: 'unknown AccessKeyId', accessKeyId: parsed.accessKeyId };
  const signedAtMs = datetime ? parseDateTimeMs(datetime) : null;
  if (signedAtMs === null) return { ok: false, code: 'AccessDenied', detail: 'x-oss-date is missing or not in YYYYMMDDTHHMMSSZ form', accessKeyId: parsed.accessKeyId };
  if (isQuery) {
    const expires = Number(queryMap.get('x-oss-expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return { ok: false, code: 'AccessDenied', detail: 'x-oss-expires must be 1..604800', accessKeyId: parsed.accessKeyId };
    if (now.getTime() > signedAtMs + expires * 1000) return { ok: false, code: 'AccessDenied', detail: 'the presigned URL has expired', accessKeyId: parsed.accessKeyId };
    if (signedAtMs - now.getTime() > skewMs) return { ok: false, code: 'RequestTimeTooSkewed', detail: 'x-oss-date is in the future', accessKeyId: parsed.accessKeyId };
  } else if (Math.abs(now.getTime() - signedAtMs) > skewMs) {
    return { ok: false, code: 'RequestTimeTooSkewed', detail: 'x-oss-date is more than 15 minutes from server time', accessKeyId: parsed.accessKeyId };
  }
  if (parsed.date !== datetime!.slice(0, 8)) return { ok: false, code: 'SignatureDoesNotMatch', detail: 'credential scope date differs from x-oss-date', accessKeyId: parsed.accessKeyId };
  if (parsed.region !== v.region) return { ok: false, code: 'SignatureDoesNotMatch', detail: `credential scope region '${parsed.region}' differs from '${v.region}'`, accessKeyId: parsed.accessKeyId };
  // `authorization` is neither default-signed nor allowed as an additional header, so it never
  // enters the canonical request and the normalised map can be used as it is.
  const { canonicalRequest: canonical } = canonicalFromMap({
    method: v.method, region: v.region, accountId: v.accountId, bucket: v.bucket, query: v.query,
    additionalHeaders: parsed.additionalHeaders.filter((h) => h !== 'authorization'), product: parsed.product,
  }, headers, isQuery ? ['x-oss-signature'] : []);
  const sts = stringToSign(datetime!, scopeOf(parsed.date, parsed.region, parsed.product), canonical);
  // Compared as 32 raw bytes (the presented signature is 64 lower-case hex, checked by parseCredential).
  const expected = createHmac('sha256', signingKey(secret, parsed.date, parsed.region, parsed.product)).update(sts).digest();
  if (!timingSafeEqual(expected, Buffer.from(parsed.signature, 'hex'))) return { ok: false, code: 'SignatureDoesNotMatch', detail: 'the signature does not match', accessKeyId: parsed.accessKeyId };
  const token = isQuery ? safeDecode(queryMap.get('x-oss-security-token') ?? '') || undefined : headers.get('x-oss-security-token');
  return { ok: true, accessKeyId: parsed.accessKeyId, securityToken: token, mode: isQuery ? 'query' : 'header' };
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
