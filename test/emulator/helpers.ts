// Helpers of the emulator tests: start an emulator, send signed (or deliberately broken) requests.
import { request } from 'undici';
import { OPERATIONS, type OperationName } from '../../contracts/operations.ts';
import { PROVIDER_STATE_PATH } from '../../contracts/provider-states.ts';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest, type Credentials } from '../../protocol/signer.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.ts';

export const KEY: Credentials = { accessKeyId: 'ovc-test-key', accessKeySecret: 'ovc-test-secret' };
export const DENIED_KEY: Credentials = { accessKeyId: 'ovc-denied-key', accessKeySecret: 'ovc-denied-secret' };
export const BUCKET = 'ovc-conformance';

/** An emulator with fixed test identities (never the developer's environment). */
export function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    identities: [
      { ...KEY },
      { ...DENIED_KEY, deniedActions: ['oss:DeleteVectorIndex'] },
    ],
    ...opts,
  });
}

export interface SendOptions {
  method: string;
  /** Raw query without '?'. */
  query: string;
  /** null: service level. Default: the emulator's first bucket. */
  bucket?: string | null;
  body?: string | Buffer;
  /** undefined → application/json when there is a body; null → no Content-Type. */
  contentType?: string | null;
  /** undefined → correct MD5; null → no header; a string → that value. */
  md5?: string | null;
  /** null → unsigned. */
  credentials?: Credentials | null;
  time?: Date;
  addressing?: 'path' | 'virtual';
  headers?: Record<string, string>;
  /** Applied after signing (to tamper with a signed request). */
  afterSign?: (headers: Record<string, string>) => void;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

export async function send(em: RunningEmulator, o: SendOptions): Promise<Reply> {
  const bucket = o.bucket === undefined ? em.buckets[0] : o.bucket ?? undefined;
  const body = o.body ?? '';
  const headers: Record<string, string> = { ...o.headers };
  if (o.contentType !== null && (o.contentType !== undefined || body.length > 0)) headers['Content-Type'] = o.contentType ?? 'application/json';
  if (o.md5 !== null) headers['Content-MD5'] = o.md5 ?? contentMd5(typeof body === 'string' ? Buffer.from(body) : body);
  if (o.credentials !== null) {
    const signed = signRequest({
      region: em.region, accountId: em.accountId, bucket, method: o.method, query: o.query, headers,
      credentials: o.credentials ?? KEY, time: o.time,
    });
    Object.assign(headers, signed.headers);
  }
  o.afterSign?.(headers);
  let path = '/';
  if (bucket !== undefined && (o.addressing ?? 'path') === 'path') path = `/${bucket}/`;
  if (bucket !== undefined && o.addressing === 'virtual') headers.host = `${bucket}-${em.accountId}.localhost:${em.port}`;
  const res = await request(`${em.url}${path}${o.query ? `?${o.query}` : ''}`, { method: o.method as 'POST', headers, body: body.length ? body : undefined });
  const text = await res.body.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(',') : v;
  return { status: res.statusCode, headers: flat, text, json };
}

/** A signed call of an operation by name, with a JSON body (object → JSON.stringify; string → as is). */
export function call(em: RunningEmulator, name: OperationName, body?: unknown, extra: Partial<SendOptions> = {}): Promise<Reply> {
  const op = OPERATIONS[name];
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return send(em, { method: op.method, query: op.queryKey ?? '', body: text, bucket: op.scope === 'service' ? null : undefined, ...extra });
}

export function errorCode(r: Reply): string | undefined {
  return (r.json as { Error?: { Code?: string } } | undefined)?.Error?.Code;
}

export async function hook(em: RunningEmulator, payload: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${em.url}${PROVIDER_STATE_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

export async function createIndex(em: RunningEmulator, indexName: string, dimension = 4, distanceMetric = 'cosine', bucket?: string): Promise<void> {
  const r = await call(em, 'PutVectorIndex', { indexName, dataType: 'float32', dimension, distanceMetric }, bucket ? { bucket } : {});
  if (r.status !== 200) throw new Error(`PutVectorIndex ${indexName}: ${r.status} ${r.text}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Sends raw bytes on a fresh TCP connection and returns everything received until the server closes (or timeoutMs). */
export async function rawExchange(port: number, data: string | Buffer, timeoutMs = 3000): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    const timer = setTimeout(() => { socket.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('latin1')); });
    socket.on('error', (e) => { clearTimeout(timer); if (chunks.length) resolve(Buffer.concat(chunks).toString('latin1')); else reject(e); });
  });
}

/** A signed request as raw HTTP/1.1 text (Connection: close). */
export function rawSigned(em: RunningEmulator, method: string, query: string, body: string, credentials: Credentials = KEY): string {
  const bucket = em.buckets[0]!;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-MD5': contentMd5(body) };
  Object.assign(headers, signRequest({ region: em.region, accountId: em.accountId, bucket, method, query, headers, credentials }).headers);
  const lines = [`${method} /${bucket}/?${query} HTTP/1.1`, `Host: 127.0.0.1:${em.port}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
