// Raw HTTP to the target with exact bytes and headers, on a keep-alive undici pool per origin.
// Transport errors where nothing was received are retried a bounded number of times; answers
// never are. Neither are timeouts nor answers cut off after their headers: the target had the
// request (it may have acted on it), so a second copy could be answered about the state the first
// one changed — a DeleteVectorIndex re-sent after a slow 204 would read 404 and decide the case.
// No answer is ever decompressed: every request says `Accept-Encoding: identity` (without the
// header any coding would be acceptable, RFC 9110 §12.5.3), and a compressed answer all the same is
// read as the bytes it is, under the same bound as any body, and judged as sent (its Content-Encoding
// header stays in the exchange; the body is no JSON, so the case fails). A gzip bomb stays 900 KB.
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { rootCertificates } from 'node:tls';
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

// Only undici's Agent and its request API: the package's index also loads fetch, WebSocket, the
// caches and more, ~100–150 ms of start-up in every process and worker thread that sends (the
// worker's profile, docs/performance.md). The request goes to the agent with its origin and path
// as they are, with no URL parsed per request: exactly the bytes the request was signed for.
const load = createRequire(import.meta.url);
const Agent = load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
const request = load('undici/lib/api/api-request.js') as (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export interface HttpRequest {
  origin: string;
  method: string;
  /** Path and query exactly as sent. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated values joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body's whole length, when `body` holds only its first bytes (a record's kept copy). */
  bodyBytes?: number;
  durationMs: number;
}

export class TransportError extends Error {
  constructor(message: string, readonly attempts: number, readonly causeCode?: string) {
    super(message);
  }
}

/** The answer's body was larger than the run reads (`--max-response-bytes`): read no further. */
export class AnswerTooLargeError extends TransportError {}

/** Default bound of an answer's body (the service's answers are a few KiB). */
export const DEFAULT_MAX_BYTES = 1 << 20;

/** Failures before any answer: the connection could not be made, or it broke without a byte back. */
const RETRYABLE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_CLOSED']);

let dispatcher: UndiciAgent | null = null;
let tls: { ca?: string[]; rejectUnauthorized?: boolean } = {};

/**
 * TLS for test deployments with private certificates: an extra CA to trust (`--ca-file`), or no
 * verification at all (`--insecure`). Applies to the connections made after the call.
 */
export function configureTls(o: { caFile: string | null; insecure: boolean }): void {
  const next: typeof tls = {};
  if (o.caFile) next.ca = [...rootCertificates, readTextBounded(o.caFile, INPUT_BOUNDS.caFile, '--ca-file')];
  if (o.insecure) next.rejectUnauthorized = false;
  tls = next;
  const d = dispatcher;
  dispatcher = null;
  if (d) void d.close();
}

function agent(): UndiciAgent {
  dispatcher ??= new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000, connect: { ...tls } });
  return dispatcher;
}

export async function closeTransport(): Promise<void> {
  const d = dispatcher;
  dispatcher = null;
  if (d) await d.close();
}

export interface SendOptions {
  /** Bounds the whole exchange — connect, headers and the whole body (a trickling body cannot hold a run). */
  timeoutMs?: number;
  retries?: number;
  /** Largest body read; past it the connection is dropped and AnswerTooLargeError thrown. */
  maxBytes?: number;
}

/** The request's headers, asking for no compression unless the caller set Accept-Encoding itself (a case testing it). */
function withIdentityEncoding(h: Record<string, string>): Record<string, string> {
  for (const k in h) if (k.toLowerCase() === 'accept-encoding') return h;
  return { ...h, 'accept-encoding': 'identity' };
}

/** Reads a body up to `max` bytes; a body that says or turns out larger is dropped unread. */
async function readBounded(res: Dispatcher.ResponseData, max: number, where: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  // A destroyed body may still emit its abort as an 'error': with no listener that is an uncaught
  // exception in the worker; the answer's fate is the AnswerTooLargeError thrown here.
  res.body.on('error', () => undefined);
  if (declared > max) {
    res.body.destroy();
    throw new AnswerTooLargeError(`answer too large: ${where} declared ${declared} bytes, more than the ${max} the run reads (--max-response-bytes)`, 1, 'ANSWER_TOO_LARGE');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > max) {
      res.body.destroy();
      throw new AnswerTooLargeError(`answer too large: ${where} sent more than the ${max} bytes the run reads (--max-response-bytes)`, 1, 'ANSWER_TOO_LARGE');
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

export async function send(req: HttpRequest, o: SendOptions = {}): Promise<HttpResponse> {
  const retries = o.retries ?? 2;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  let lastErr: unknown;
  let attempts = 0;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    attempts = attempt;
    const started = performance.now();
    let answered = false;
    // One deadline for the whole exchange: undici's own timeouts are per phase and per chunk.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new TransportError(`no complete answer within ${timeoutMs} ms (--timeout-ms)`, attempt, 'TIMEOUT')), timeoutMs);
    try {
      const res = await request.call(agent(), {
        origin: req.origin,
        path: req.path,
        method: req.method as 'POST',
        headers: withIdentityEncoding(req.headers),
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
      answered = true;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      let body: Buffer;
      try {
        body = await readBounded(res, maxBytes, `${req.method} ${req.path}`);
      } catch (e) {
        if (e instanceof AnswerTooLargeError) throw e;
        // A 204/304 may not carry a body (RFC 9110 §15.3.5); one that declares one is an answer
        // to judge (the suites check Content-Length), not a transport failure.
        if ((res.statusCode === 204 || res.statusCode === 304) && (e as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') body = Buffer.alloc(0);
        else throw e;
      }
      return { status: res.statusCode, headers, body, durationMs: performance.now() - started };
    } catch (e) {
      lastErr = deadline.signal.aborted && deadline.signal.reason instanceof TransportError ? deadline.signal.reason : e;
      if (e instanceof AnswerTooLargeError) throw e;
      const code = (e as { code?: string }).code ?? '';
      if (answered || deadline.signal.aborted) break; // the status line and headers arrived: the target acted on this request
      if (!RETRYABLE.has(code) && !(e instanceof Error && /other side closed|socket hang up|ECONNRESET/i.test(e.message))) break;
      if (attempt <= retries) await new Promise((r) => setTimeout(r, 50 * attempt));
    } finally {
      clearTimeout(timer);
    }
  }
  // The deadline's own TransportError carries its cause as `causeCode` (TIMEOUT), not `code`.
  const code = (lastErr as { code?: string }).code ?? (lastErr instanceof TransportError ? lastErr.causeCode : undefined);
  throw new TransportError(`transport error on ${req.method} ${req.origin}${req.path}: ${(lastErr as Error)?.message ?? lastErr}${attempts > 1 ? ` (${attempts} attempts)` : ''}`, attempts, code);
}
