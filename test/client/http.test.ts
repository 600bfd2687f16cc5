// client/http.ts against throwaway loopback servers: an answer is read only up to its bound, one
// deadline covers the whole exchange (a trickling body cannot hold a run), and a connection that
// fails is an error with its cause — retried only when nothing was received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AnswerTooLargeError, closeTransport, send, TransportError } from '../../client/http.ts';

const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});
afterAll(() => closeTransport());

const get = (origin: string): Parameters<typeof send>[0] => ({ origin, method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) });

/** Writes `total` bytes in 16 KiB chunks as the socket takes them; `sent()` is what went out before the client left. */
function pump(res: ServerResponse, total: number): () => number {
  const block = Buffer.alloc(16 * 1024, 0x61);
  let sent = 0;
  const next = (): void => {
    while (sent < total && !res.destroyed) {
      sent += block.length;
      if (!res.write(block)) { res.once('drain', next); return; }
    }
    if (!res.destroyed) res.end();
  };
  res.on('error', () => undefined);
  next();
  return () => sent;
}

describe('bounded reads', () => {
  /** A server writing `total` bytes; `closed` resolves with what it had written when the client left. */
  async function bigAnswer(total: number, declare: boolean): Promise<{ origin: string; closed: Promise<number> }> {
    let done: (n: number) => void = () => undefined;
    const closed = new Promise<number>((r) => { done = r; });
    const origin = await serve((_req, res) => {
      res.writeHead(200, declare ? { 'content-length': String(total) } : { 'content-type': 'application/json' });
      const sent = pump(res, total);
      res.on('close', () => done(sent()));
    });
    return { origin, closed };
  }

  it('refuses an answer whose Content-Length is above the limit without reading its body', async () => {
    const { origin, closed } = await bigAnswer(8 * 2 ** 20, true);
    const err = await send(get(origin), { maxBytes: 1024, timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect((err as TransportError).causeCode).toBe('ANSWER_TOO_LARGE');
    expect((err as Error).message).toMatch(/declared 8388608 bytes, more than the 1024/);
    // The client dropped the connection long before the 8 MiB were written.
    expect(await closed).toBeLessThan(4 * 2 ** 20);
  });

  it('stops reading a chunked answer as soon as it passes the limit, and drops the connection', async () => {
    const { origin, closed } = await bigAnswer(32 * 2 ** 20, false);
    const err = await send(get(origin), { maxBytes: 64 * 1024, timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerTooLargeError);
    expect((err as Error).message).toMatch(/sent more than the 65536 bytes/);
    expect(await closed).toBeLessThan(8 * 2 ** 20);
  });

  it('reads an answer of exactly the limit whole', async () => {
    const origin = await serve((_req, res) => { res.writeHead(200, { 'content-length': '1000' }); res.end(Buffer.alloc(1000, 0x62)); });
    const res = await send(get(origin), { maxBytes: 1000 });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(1000);
  });
});

describe('compression', () => {
  it('asks for no compression: every request carries Accept-Encoding: identity', async () => {
    let seen: string | undefined;
    const origin = await serve((req, res) => { seen = req.headers['accept-encoding']; res.end('{}'); });
    await send(get(origin));
    expect(seen).toBe('identity');
  });

  it('never inflates a compressed answer: a gzip bomb is returned as the bytes sent, Content-Encoding kept for the verdict', async () => {
    // 64 gzip members of 1 MiB of spaces each: ~64 KB on the wire, 64 MiB inflated.
    const member = gzipSync(Buffer.alloc(2 ** 20, 0x20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(gunzipSync(bomb).length).toBe(64 * 2 ** 20);
    const origin = await serve((_req, res) => { res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }); res.end(bomb); });
    const res = await send(get(origin), { maxBytes: 1 << 20 });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.equals(bomb)).toBe(true);
  });

  it('bounds a compressed answer like any other: past the limit it is an answer too large', async () => {
    const member = gzipSync(Buffer.alloc(2 ** 20, 0x20), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const origin = await serve((_req, res) => { res.writeHead(200, { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' }); res.end(bomb); });
    await expect(send(get(origin), { maxBytes: 16 * 1024 })).rejects.toBeInstanceOf(AnswerTooLargeError);
  });
});

describe('answers without a body', () => {
  it('returns a 204 that declares a Content-Length as an answer with an empty body (the suites judge the header), not a transport error', async () => {
    const origin = await serve((_req, res) => { res.writeHead(204, { 'content-length': '5', 'x-oss-request-id': 'R'.repeat(24) }); res.end(); });
    const res = await send(get(origin), { retries: 0 });
    expect(res.status).toBe(204);
    expect(res.headers['content-length']).toBe('5');
    expect(res.body.length).toBe(0);
  });
});

describe('one deadline for the whole exchange', () => {
  it('gives up on a body that trickles one byte every 100 ms within the timeout, and never sends the request again', async () => {
    let requests = 0;
    const origin = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-length': '100000' });
      const t = setInterval(() => { if (res.destroyed) clearInterval(t); else res.write(' '); }, 100);
      res.on('close', () => clearInterval(t));
    });
    const started = performance.now();
    const err = await send(get(origin), { timeoutMs: 400 }).catch((e: unknown) => e);
    const took = performance.now() - started;
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).causeCode).toBe('TIMEOUT');
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(1_500);
    expect(requests).toBe(1);
  });

  it('gives up on a server that never sends its headers within the timeout', async () => {
    const origin = await serve(() => undefined);
    const started = performance.now();
    await expect(send(get(origin), { timeoutMs: 300 })).rejects.toSatisfy((e) => e instanceof TransportError && e.causeCode === 'TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe('connection errors', () => {
  it('surfaces a refused connection as a TransportError naming ECONNREFUSED, after its retries', async () => {
    const origin = await serve(() => undefined);
    const s = servers.pop()!;
    await new Promise<void>((r) => s.close(() => r()));
    const err = await send(get(origin), { retries: 2, timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).causeCode).toBe('ECONNREFUSED');
    expect((err as TransportError).attempts).toBe(3);
    expect((err as Error).message).toMatch(/^transport error on GET http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.*\(3 attempts\)$/);
  });

  it('retries a connection closed before any byte came back, and answers with the retry', async () => {
    let requests = 0;
    const origin = await serve((req, res) => {
      requests++;
      if (requests === 1) { req.socket.destroy(); return; }
      res.writeHead(204);
      res.end();
    });
    const res = await send(get(origin), { retries: 2, timeoutMs: 2_000 });
    expect(res.status).toBe(204);
    expect(requests).toBe(2);
  });

  it('does not send again when the connection breaks after the headers arrived (the target had the request)', async () => {
    let requests = 0;
    const origin = await serve((req, res) => {
      requests++;
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await expect(send(get(origin), { retries: 2, timeoutMs: 2_000 })).rejects.toBeInstanceOf(TransportError);
    expect(requests).toBe(1);
  });
});
