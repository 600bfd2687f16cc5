// The project's signed client: builds OSS Vectors requests for the configured target, signs them
// with V4 at send time, and reads answers. Also the reference client of the pact consumer tests.
import { OPERATIONS, type OperationName } from '../contracts/operations.ts';
import { buildTarget } from '../protocol/addressing.ts';
import { decodeError, type ErrorBody } from '../protocol/envelope.ts';
import { contentMd5 } from '../protocol/md5.ts';
import { signRequest, type Credentials } from '../protocol/signer.ts';
import type { WireRequest } from '../protocol/wire.ts';

export type { WireRequest };
import type { TargetConfig } from './config.ts';
import { send, type HttpResponse } from './http.ts';

export interface WireResponse extends HttpResponse {
  text: string;
  /** The decoded error envelope, when the body is one. */
  error: ErrorBody | null;
  /** Parsed JSON body when it parses. */
  json: unknown;
}

export interface OpOptions {
  bucket?: string | null;
  /** Which identity signs: the main one (default), the denied one, or none. */
  identity?: 'main' | 'denied' | 'none';
  /** `bare` sends `?op` (Go), `eq` sends `?op=` (Python). */
  queryForm?: 'bare' | 'eq';
  /** Extra query items (raw, already encoded). */
  extraQuery?: string;
  headers?: Record<string, string>;
}

export interface SentExchange {
  request: WireRequest & { url: string; sentHeaders: Record<string, string> };
  response: WireResponse;
}

export class TargetClient {
  /** The last exchange, kept for evidence of failing cases. */
  last: SentExchange | null = null;

  constructor(
    readonly config: TargetConfig,
    readonly credentials: Credentials,
    readonly denied: Credentials | null = null,
  ) {}

  /** A JSON-body operation request, unsigned. */
  build(op: OperationName, body?: unknown, o: OpOptions = {}): WireRequest {
    const def = OPERATIONS[op];
    const query = def.queryKey ? `${def.queryKey}${o.queryForm === 'eq' ? '=' : ''}` : '';
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'Content-MD5': contentMd5(bytes), ...o.headers };
    if (bytes.length > 0) headers['Content-Type'] = 'application/json';
    const bucket = o.bucket === undefined ? (def.scope === 'service' ? null : this.config.bucket) : o.bucket;
    return { method: def.method, query: o.extraQuery ? [query, o.extraQuery].filter(Boolean).join('&') : query, headers: { ...headers, ...o.headers }, body: bytes, bucket };
  }

  /** Signs a request with the given identity at the current time (adds x-oss-date, Date, Authorization …). */
  sign(req: WireRequest, creds: Credentials = this.credentials, time = new Date()): WireRequest {
    const signed = signRequest({
      region: this.config.region, accountId: this.config.accountId, bucket: req.bucket ?? undefined,
      method: req.method, query: req.query, headers: req.headers, credentials: creds, time,
    });
    return { ...req, headers: { ...req.headers, ...signed.headers } };
  }

  /** Where a request goes: origin, Host header and path for the configured addressing. */
  address(req: WireRequest): { origin: string; host: string; path: string; url: string } {
    const t = buildTarget({ endpoint: this.config.endpoint, bucket: req.bucket ?? undefined, accountId: this.config.accountId, addressing: this.config.addressing, query: req.query });
    return { origin: t.origin, host: t.host, path: t.path, url: `${t.origin.replace(/\/\/[^/]+/, `//${t.host}`)}${t.path}` };
  }

  /** Sends a request exactly as given (already signed or deliberately not). */
  async send(req: WireRequest): Promise<WireResponse> {
    const a = this.address(req);
    const headers = { host: a.host, ...req.headers };
    const res = await send({ origin: a.origin, method: req.method, path: a.path, headers, body: req.body }, { timeoutMs: this.config.timeoutMs });
    const text = res.body.toString('utf8');
    let json: unknown;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    const env = res.status >= 300 && text ? decodeError(text) : null;
    const response: WireResponse = { ...res, text, json, error: env?.body && typeof env.body.Code === 'string' ? env.body : null };
    this.last = { request: { ...req, url: a.url, sentHeaders: headers }, response };
    return response;
  }

  /** Builds, signs (unless identity 'none') and sends one operation. */
  async op(op: OperationName, body?: unknown, o: OpOptions = {}): Promise<WireResponse> {
    const req = this.build(op, body, o);
    const identity = o.identity ?? 'main';
    if (identity === 'none') return this.send(req);
    const creds = identity === 'denied' ? this.denied : this.credentials;
    if (!creds) throw new Error('no denied identity configured');
    return this.send(this.sign(req, creds));
  }
}

/** The error code of an answer, or null for success / a body that is no envelope. */
export function codeOf(res: WireResponse): string | null {
  return res.error?.Code ?? null;
}
