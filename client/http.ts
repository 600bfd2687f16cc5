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

// Only undici's Agent and its header parser: the package's index also loads fetch, WebSocket, the
// caches and more, ~100–150 ms of start-up in every process and worker thread that sends (the
// worker's profile, docs/performance.md). The request goes to the agent with its origin and path
// as they are, with no URL parsed per request: exactly the bytes the request was signed for. The
// answer is read by a dispatch handler of our own (`exchangeOnce`), not undici's request API:
// that one wraps every answer in a Readable stream and a signal's listeners, which the bound and
// the deadline here do without (bench/client-transport.ts, docs/performance.md §0b).
const load = createRequire(import.meta.url);
const Agent = load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
const { parseHeaders } = load('undici/lib/core/util.js') as { parseHeaders(raw: Buffer[] | null): Record<string, string | string[] | undefined> };

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
  /** Once aborted (the run stopped), the exchange ends at once with a TransportError (cause STOPPED), and is not retried. */
  signal?: AbortSignal | null;
}

/** The request's headers, asking for no compression unless the caller set Accept-Encoding itself (a case testing it). */
function withIdentityEncoding(h: Record<string, string>): Record<string, string> {
  for (const k in h) if (k.toLowerCase() === 'accept-encoding') return h;
  return Object.assign({}, h, { 'accept-encoding': 'identity' });
}

/** One exchange's progress: whether the status line and headers of a final answer arrived. */
interface Progress { answered: boolean }

/**
 * One attempt: sends the request and reads its final answer, its body up to `max` bytes (a body that
 * says or turns out larger is dropped unread, AnswerTooLargeError). `deadline` is handed undici's
 * abort for the request as soon as there is one; the caller's timer aborts the whole exchange with
 * it. Rejects with undici's error, or ours, as undici's request API did.
 */
function exchangeOnce(req: HttpRequest, timeoutMs: number, max: number, progress: Progress, deadline: { set(abort: (e: Error) => void): void }): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const where = `${req.method} ${req.path}`;
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let total = 0;
    let abort: ((e: Error) => void) | null = null;
    let settled = false;
    const tooLarge = (msg: string): void => { abort?.(new AnswerTooLargeError(msg, 1, 'ANSWER_TOO_LARGE')); };
    agent().dispatch({
      origin: req.origin,
      path: req.path,
      method: req.method as 'POST',
      headers: withIdentityEncoding(req.headers),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    }, {
      onConnect(a: (e: Error) => void): void {
        abort = a;
        deadline.set(a);
      },
      onHeaders(statusCode: number, raw: Buffer[] | null): boolean {
        if (statusCode < 200) return true; // 1xx: the final answer is still to come
        progress.answered = true;
        status = statusCode;
        headers = {};
        for (const [k, v] of Object.entries(parseHeaders(raw))) {
          if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        const declared = Number(headers['content-length'] ?? NaN);
        if (declared > max) {
          tooLarge(`answer too large: ${where} declared ${declared} bytes, more than the ${max} the run reads (--max-response-bytes)`);
          return false;
        }
        return true;
      },
      onData(chunk: Buffer): boolean {
        total += chunk.length;
        if (total > max) {
          tooLarge(`answer too large: ${where} sent more than the ${max} bytes the run reads (--max-response-bytes)`);
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete(): void {
        if (settled) return;
        settled = true;
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
      },
      onError(e: Error): void {
        if (settled) return;
        settled = true;
        // A 204/304 may not carry a body (RFC 9110 §15.3.5); one that declares one is an answer to
        // judge (the suites check Content-Length), not a transport failure.
        if ((status === 204 || status === 304) && (e as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') resolve({ status, headers, body: Buffer.alloc(0) });
        else reject(e);
      },
    } as unknown as Dispatcher.DispatchHandler);
  });
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
    const progress: Progress = { answered: false };
    // One deadline for the whole exchange: undici's own timeouts are per phase and per chunk.
    let expired: TransportError | null = null;
    let abortNow: ((e: Error) => void) | null = null;
    const timer = setTimeout(() => {
      expired = new TransportError(`no complete answer within ${timeoutMs} ms (--timeout-ms)`, attempt, 'TIMEOUT');
      abortNow?.(expired);
    }, timeoutMs);
    const stopped = (): void => {
      expired ??= new TransportError('the run was stopped before an answer came', attempt, 'STOPPED');
      abortNow?.(expired);
    };
    if (o.signal?.aborted) stopped();
    else o.signal?.addEventListener('abort', stopped, { once: true });
    const deadline = { set(a: (e: Error) => void): void { if (expired) a(expired); else abortNow = a; } };
    try {
      const res = await exchangeOnce(req, timeoutMs, maxBytes, progress, deadline);
      return { status: res.status, headers: res.headers, body: res.body, durationMs: performance.now() - started };
    } catch (e) {
      lastErr = expired ?? e;
      if (e instanceof AnswerTooLargeError) throw e;
      const code = (e as { code?: string }).code ?? '';
      if (progress.answered || expired) break; // the status line and headers arrived: the target acted on this request
      if (!RETRYABLE.has(code) && !(e instanceof Error && /other side closed|socket hang up|ECONNRESET/i.test(e.message))) break;
      if (attempt <= retries) await new Promise((r) => setTimeout(r, 50 * attempt));
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', stopped);
    }
  }
  // The deadline's own TransportError carries its cause as `causeCode` (TIMEOUT), not `code`.
  const code = (lastErr as { code?: string }).code ?? (lastErr instanceof TransportError ? lastErr.causeCode : undefined);
  throw new TransportError(`transport error on ${req.method} ${req.origin}${req.path}: ${(lastErr as Error)?.message ?? lastErr}${attempts > 1 ? ` (${attempts} attempts)` : ''}`, attempts, code);
}
