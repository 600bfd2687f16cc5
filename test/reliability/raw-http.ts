// Raw HTTP/1.1 over node:net for what an HTTP client will not send, and a strict reader of what
// comes back: zero or more complete responses, then a clean close (or our own half-close).
import { connect, type Socket } from 'node:net';
import { decodeError } from '../../protocol/envelope.ts';

export interface RawResponse { status: number; reason: string; headers: Map<string, string>; body: Buffer }

export interface RawExchange {
  responses: RawResponse[];
  /** Bytes after the last complete response (must be empty). */
  trailing: Buffer;
  /** How the connection ended: the server closed it, or it was still open when we gave up. */
  end: 'closed' | 'reset' | 'open';
  ms: number;
}

/** Parses complete responses off the front of `buf`; returns them and the unparsed rest. `firstIsHead`: the first answers a HEAD (no body). */
export function parseResponses(buf: Buffer, firstIsHead = false): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let rest = buf;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const head = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(head[0] ?? '');
    if (!m) break;
    const headers = new Map<string, string>();
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const status = Number(m[1]);
    // A HEAD answer has no body — unless the server could not parse the request as a HEAD at all
    // (a malformed request line), in which case its error answer carries one.
    const after = rest.subarray(headEnd + 4, headEnd + 11).toString('latin1');
    const bodiless = status === 204 || status === 304 || (firstIsHead && responses.length === 0 && (after === '' || after === 'HTTP/1.'));
    // No Content-Length: the body runs to the close. (node:http's own bare 400s are framed so and
    // may be followed by another answer; read those as empty.)
    const declared = headers.get('content-length');
    const closeDelimited = rest.length - headEnd - 4;
    if (!bodiless && /chunked/i.test(headers.get('transfer-encoding') ?? '')) {
      const c = dechunk(rest.subarray(headEnd + 4));
      if (!c) break;
      responses.push({ status, reason: m[2]!, headers, body: c.body });
      rest = rest.subarray(headEnd + 4 + c.used);
      continue;
    }
    const length = bodiless ? 0 : declared !== undefined ? Number(declared) : after === 'HTTP/1.' ? 0 : closeDelimited;
    if (!Number.isInteger(length) || rest.length < headEnd + 4 + length) break;
    responses.push({ status, reason: m[2]!, headers, body: rest.subarray(headEnd + 4, headEnd + 4 + length) });
    rest = rest.subarray(headEnd + 4 + length);
  }
  return { responses, rest };
}

/** A complete chunked body at the start of `b` (no trailers), or null. */
function dechunk(b: Buffer): { body: Buffer; used: number } | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isInteger(size) || size < 0) return null;
    if (size === 0) return b.length >= eol + 4 ? { body: Buffer.concat(parts), used: eol + 4 } : null;
    if (b.length < eol + 2 + size + 2) return null;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export interface ExchangeOptions {
  /** Half-close our side after this long without a complete answer (default 300 ms). */
  quietMs?: number;
  /** Give up this long after the half-close (default 1500 ms). */
  closeMs?: number;
  /** Write the data in pieces: [chunk, delay before it] pairs (slow clients). */
  pieces?: Array<[Buffer, number]>;
  /** Half-close once this many answers have arrived (default 1). */
  expectResponses?: number;
  /** The first request is a HEAD: its answer has no body. */
  firstIsHead?: boolean;
}

/**
 * Sends `data` and reads until the server closes. Once the expected number of answers has
 * arrived (default 1), or nothing complete arrived within quietMs, our side is half-closed.
 */
export function exchange(port: number, data: Buffer | string, o: ExchangeOptions = {}): Promise<RawExchange> {
  const quietMs = o.quietMs ?? 300;
  const closeMs = o.closeMs ?? 1500;
  const want = o.expectResponses ?? 1;
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = (end: RawExchange['end']): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      const { responses, rest } = parseResponses(Buffer.concat(chunks), o.firstIsHead);
      resolve({ responses, trailing: rest, end, ms: performance.now() - started });
    };
    const halfClose = (): void => {
      if (ended || done) return;
      ended = true;
      socket.end();
      timers.push(setTimeout(() => finish('open'), closeMs));
    };
    socket.on('connect', () => {
      if (o.pieces) {
        let at = 0;
        for (const [chunk, delay] of o.pieces) {
          at += delay;
          timers.push(setTimeout(() => { if (!done && !ended) socket.write(chunk); }, at));
        }
        timers.push(setTimeout(() => timers.push(setTimeout(halfClose, quietMs)), at));
      } else {
        socket.write(data);
        timers.push(setTimeout(halfClose, quietMs));
      }
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (parseResponses(Buffer.concat(chunks), o.firstIsHead).responses.length >= want) halfClose();
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNRESET' ? 'reset' : 'closed'));
  });
}

/** Problems with one answer of the emulator: a 5xx, a missing request id, an error that is not a JSON envelope (a HEAD answer has no body to check). */
export function answerProblems(r: RawResponse, head = false): string[] {
  const p: string[] = [];
  if (r.status >= 500) p.push(`status ${r.status}`);
  if ((r.headers.get('x-oss-request-id') ?? '').length !== 24) p.push('no 24-character x-oss-request-id');
  if (r.status >= 400 && !(head && r.body.length === 0)) {
    if (r.headers.get('content-type') !== 'application/json') p.push(`error Content-Type ${r.headers.get('content-type')}`);
    const env = decodeError(r.body.toString('utf8'));
    if (!env.ok) p.push(`error body is not an envelope: ${env.problems.join(', ')}`);
  }
  return p;
}

/** An exchange is acceptable when every answer is well-formed, nothing else was sent, and the connection ended cleanly. */
export function exchangeProblems(x: RawExchange, firstIsHead = false): string[] {
  const p = x.responses.flatMap((r, i) => answerProblems(r, firstIsHead && i === 0));
  if (x.trailing.length > 0) p.push(`${x.trailing.length} bytes that are not a complete HTTP response: ${JSON.stringify(x.trailing.subarray(0, 80).toString('latin1'))}`);
  if (x.end === 'open') p.push('the connection stayed open after our half-close');
  return p;
}
