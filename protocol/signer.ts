// OSS4-HMAC-SHA256 for OSS Vectors (spec §9): standard OSS V4 with the ARN as canonical URI.
// Signing, used by the suite's client, and the canonical form shared with the emulator's verifier
// (protocol/verifier.ts); it must reproduce test/fixtures/signature-kat.json byte for byte.
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const DEFAULT_PRODUCT = 'oss';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type HeaderValue = string | string[] | number | undefined;
export type HeaderInput = Record<string, HeaderValue> | ReadonlyArray<readonly [string, string]>;

export interface CanonicalInput {
  method: string;
  region: string;
  accountId: string;
  /** Absent for the service-level operation (ListVectorBuckets). */
  bucket?: string;
  /** Raw query string as sent, without the leading '?'. */
  query: string;
  headers: HeaderInput;
  additionalHeaders?: readonly string[];
  product?: string;
}

/** Lower-cased header map; repeated values joined with ',' and trimmed (Go's rule). */
export function normalizeHeaders(headers: HeaderInput): Map<string, string> {
  const out = new Map<string, string>();
  const put = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const v = value.trim();
    const prev = out.get(key);
    out.set(key, prev === undefined ? v : `${prev},${v}`);
  };
  if (Array.isArray(headers)) {
    const pairs = headers as ReadonlyArray<readonly [string, string]>;
    for (let i = 0; i < pairs.length; i++) put(pairs[i]![0], pairs[i]![1]);
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, HeaderValue>)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((x) => put(k, x));
      else put(k, String(v));
    }
  }
  return out;
}

/** RFC 3986 encoding keeping unreserved characters and '/'. */
export function escapePath(path: string): string {
  return encodeURIComponent(path)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

export function arn(region: string, accountId: string, bucket?: string): string {
  return bucket ? `acs:ossvector:${region}:${accountId}:${bucket}` : `acs:ossvector:${region}::`;
}

const uriCache = new Map<string, string>();

export function canonicalUri(region: string, accountId: string, bucket?: string): string {
  const key = `${region}\u0000${accountId}\u0000${bucket ?? ''}`;
  let uri = uriCache.get(key);
  if (uri === undefined) {
    uri = escapePath(`/${arn(region, accountId, bucket)}/`);
    if (uriCache.size > 1024) uriCache.clear();
    uriCache.set(key, uri);
  }
  return uri;
}

const queryCache = new Map<string, string>();

/**
 * Sorted `key=value` pairs, bare `key` for empty values; `+` read as `%20` (spec §9.1, U14).
 * Cached per (query, omitted keys): a server sees the same few queries (`deleteVectorIndex`, …)
 * over and over, so it splits and sorts each one once.
 */
export function canonicalQuery(rawQuery: string, omit: readonly string[] = []): string {
  if (!rawQuery) return '';
  const key = omit.length === 0 ? rawQuery : `${rawQuery}\u0000${omit.join('\u0000')}`;
  let text = queryCache.get(key);
  if (text === undefined) {
    text = computeCanonicalQuery(rawQuery, omit);
    boundedSet(queryCache, key, text, 1024);
  }
  return text;
}

/** Sets `key` in a cache of at most `max` entries, evicting the oldest entry first. */
function boundedSet<V>(cache: Map<string, V>, key: string, value: V, max: number): void {
  if (cache.size >= max) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
}

function computeCanonicalQuery(rawQuery: string, omit: readonly string[]): string {
  const pairs: Array<[string, string]> = [];
  for (const item of rawQuery.replace(/\+/g, '%20').split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (omit.includes(key)) continue;
    pairs.push([key, value]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
}

function isDefaultSigned(name: string): boolean {
  return name.startsWith('x-oss-') || name === 'content-type' || name === 'content-md5';
}

/** Additional headers actually signed: lower-cased, not default-signed, present and non-empty, sorted, unique. */
export function effectiveAdditionalHeaders(headers: Map<string, string>, additional: readonly string[] = []): string[] {
  const names = new Set<string>();
  for (const raw of additional) {
    const name = raw.trim().toLowerCase();
    if (!name || isDefaultSigned(name)) continue;
    const v = headers.get(name);
    if (v !== undefined && v !== '') names.add(name);
  }
  return [...names].sort();
}

export interface CanonicalParts {
  canonicalRequest: string;
  additionalHeaders: string[];
}

export function canonicalRequest(input: CanonicalInput, queryOmit: readonly string[] = []): CanonicalParts {
  return canonicalFromMap(input, normalizeHeaders(input.headers), queryOmit);
}

/** The canonical request from headers already normalised (the verifier normalises once). */
export function canonicalFromMap(input: Omit<CanonicalInput, 'headers'>, headers: Map<string, string>, queryOmit: readonly string[]): CanonicalParts {
  const additional = input.additionalHeaders && input.additionalHeaders.length > 0 ? effectiveAdditionalHeaders(headers, input.additionalHeaders) : [];
  // One pass over the headers, one sort, one string: this runs once per request the emulator verifies.
  const signed: string[] = [];
  for (const n of headers.keys()) if (isDefaultSigned(n) || (additional.length > 0 && additional.includes(n))) signed.push(n);
  signed.sort();
  let headerLines = '';
  for (const n of signed) headerLines += `${n}:${headers.get(n)}\n`;
  const hashed = headers.get('x-oss-content-sha256') || UNSIGNED_PAYLOAD;
  const text = `${input.method.toUpperCase()}\n${canonicalUri(input.region, input.accountId, input.bucket)}\n${canonicalQuery(input.query, queryOmit)}\n${headerLines}\n${additional.join(';')}\n${hashed}`;
  return { canonicalRequest: text, additionalHeaders: additional };
}

export function scopeOf(date: string, region: string, product = DEFAULT_PRODUCT): string {
  return `${date}/${region}/${product}/aliyun_v4_request`;
}

// One-shot hashing (Node ≥ 20.12) skips building a Hash object per request.
const sha256Hex: (text: string) => string = typeof (crypto as { hash?: unknown }).hash === 'function'
  ? (text) => (crypto as unknown as { hash(alg: string, data: string, enc: string): string }).hash('sha256', text, 'hex')
  : (text) => createHash('sha256').update(text).digest('hex');

export function stringToSign(datetime: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${datetime}\n${scope}\n${sha256Hex(canonical)}`;
}

const keyCache = new Map<string, Buffer>();
/** Signing keys kept: one per (secret, date, region, product) in use; the oldest goes first. */
export const SIGNING_KEY_CACHE_MAX = 256;

/** Derivations done so far (not cache hits): lets a test see the cache work. */
export let signingKeyDerivations = 0;

/** The derived signing key; cached per (secret, date, region, product) since it changes daily. */
export function signingKey(secret: string, date: string, region: string, product = DEFAULT_PRODUCT): Buffer {
  const cacheKey = `${secret}\u0000${date}\u0000${region}\u0000${product}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const k1 = createHmac('sha256', `aliyun_v4${secret}`).update(date).digest();
  const k2 = createHmac('sha256', k1).update(region).digest();
  const k3 = createHmac('sha256', k2).update(product).digest();
  const k4 = createHmac('sha256', k3).update('aliyun_v4_request').digest();
  signingKeyDerivations++;
  boundedSet(keyCache, cacheKey, k4, SIGNING_KEY_CACHE_MAX);
  return k4;
}

export function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

let formattedSecond = NaN;
let formatted = '';

/** `20231216T162057Z`; the last second's text is kept (a run signs hundreds of requests in each). */
export function formatDateTime(t: Date): string {
  const second = Math.floor(t.getTime() / 1000);
  if (second === formattedSecond) return formatted;
  const text = t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  formattedSecond = second;
  formatted = text;
  return text;
}

export function parseDateTime(s: string): Date | null {
  const ms = parseDateTimeMs(s);
  return ms === null ? null : new Date(ms);
}

/** The last x-oss-date parsed: requests signed in the same second repeat it. */
let lastDateTime = { text: '', ms: NaN };

/** parseDateTime as epoch milliseconds (no Date object), or null. */
export function parseDateTimeMs(s: string): number | null {
  if (s === lastDateTime.text) return lastDateTime.ms;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return null;
  lastDateTime = { text: s, ms };
  return ms;
}

export interface SignOptions {
  region: string;
  accountId: string;
  bucket?: string;
  method: string;
  query: string;
  /** Headers already on the request (Content-Type, Content-MD5, …). Not modified. */
  headers: HeaderInput;
  credentials: Credentials;
  time?: Date;
  additionalHeaders?: readonly string[];
  product?: string;
}

export interface SignResult {
  /** Headers to add to the request: x-oss-date, Date, x-oss-content-sha256, [x-oss-security-token], Authorization. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Header authentication (spec §9.1). */
export function signRequest(o: SignOptions): SignResult {
  const t = o.time ?? new Date();
  const datetime = formatDateTime(t);
  const date = datetime.slice(0, 8);
  const product = o.product ?? DEFAULT_PRODUCT;
  const added: Record<string, string> = {
    'x-oss-date': datetime,
    Date: t.toUTCString(),
    'x-oss-content-sha256': UNSIGNED_PAYLOAD,
  };
  if (o.credentials.securityToken) added['x-oss-security-token'] = o.credentials.securityToken;
  const all: Array<[string, string]> = [...normalizeHeaders(o.headers).entries()];
  for (const [k, v] of Object.entries(added)) {
    const lk = k.toLowerCase();
    const i = all.findIndex(([n]) => n === lk);
    if (i >= 0) all.splice(i, 1);
    all.push([lk, v]);
  }
  const { canonicalRequest: canonical, additionalHeaders } = canonicalRequest({
    method: o.method, region: o.region, accountId: o.accountId, bucket: o.bucket, query: o.query,
    headers: all, additionalHeaders: o.additionalHeaders, product,
  });
  const scope = scopeOf(date, o.region, product);
  const sts = stringToSign(datetime, scope, canonical);
  const signature = hmacHex(signingKey(o.credentials.accessKeySecret, date, o.region, product), sts);
  const extra = additionalHeaders.length ? `,AdditionalHeaders=${additionalHeaders.join(';')}` : '';
  added.Authorization = `${ALGORITHM} Credential=${o.credentials.accessKeyId}/${scope}${extra},Signature=${signature}`;
  return { headers: added, canonicalRequest: canonical, stringToSign: sts, signature };
}

export interface PresignOptions extends Omit<SignOptions, 'time'> {
  time?: Date;
  expiresSeconds: number;
}

/** Query (presigned URL) authentication (spec §9.2). Returns the full query string to send. */
export function presignQuery(o: PresignOptions): { query: string; signature: string; canonicalRequest: string; stringToSign: string } {
  const t = o.time ?? new Date();
  const datetime = formatDateTime(t);
  const date = datetime.slice(0, 8);
  const product = o.product ?? DEFAULT_PRODUCT;
  const scope = scopeOf(date, o.region, product);
  const headers = normalizeHeaders(o.headers);
  const additional = effectiveAdditionalHeaders(headers, o.additionalHeaders);
  const params: Array<[string, string]> = [
    ['x-oss-signature-version', ALGORITHM],
    ['x-oss-date', datetime],
    ['x-oss-expires', String(o.expiresSeconds)],
    ['x-oss-credential', encodeURIComponent(`${o.credentials.accessKeyId}/${scope}`)],
  ];
  if (o.credentials.securityToken) params.push(['x-oss-security-token', encodeURIComponent(o.credentials.securityToken)]);
  if (additional.length) params.push(['x-oss-additional-headers', encodeURIComponent(additional.join(';'))]);
  const query = [o.query, ...params.map(([k, v]) => `${k}=${v}`)].filter(Boolean).join('&');
  const { canonicalRequest: canonical } = canonicalRequest({ ...o, query, headers: [...headers.entries()], additionalHeaders: additional, product });
  const sts = stringToSign(datetime, scope, canonical);
  const signature = hmacHex(signingKey(o.credentials.accessKeySecret, date, o.region, product), sts);
  return { query: `${query}&x-oss-signature=${signature}`, signature, canonicalRequest: canonical, stringToSign: sts };
}
