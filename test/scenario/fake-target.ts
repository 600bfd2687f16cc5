// A tiny scripted OSS Vectors target on 127.0.0.1 for the client/ and scenario/ tests: each request
// is handed to `answer` with its operation (the first query key) and parsed JSON body, and every
// arrival is kept in order. Signatures are not checked: the tests that need a real target use the
// in-process emulator.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  method: string;
  /** The first query key (`getVectorIndex`, `bucketInfo`, …); '' when there is none. */
  op: string;
  bucket: string | null;
  body: Record<string, unknown> | null;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface Answer { status: number; body?: unknown; headers?: Record<string, string> }

export interface FakeTarget {
  url: string;
  arrivals: Arrival[];
  /** Replaces how the target answers from now on. */
  answer: (a: Arrival) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

const REQUEST_ID = 'F'.repeat(24);

/** An error envelope the way the service writes one (spec §6.1). */
export function envelope(status: number, code: string): Answer {
  return { status, body: { Error: { Code: code, Message: 'fake', RequestId: REQUEST_ID, EC: '0000-00000000' } } };
}

/** A GetVectorIndex 200 whose index reads `status`. */
export function indexAnswer(indexName: string, status: 'creating' | 'enable' | 'deleting'): Answer {
  return { status: 200, body: { index: { indexName, dataType: 'float32', dimension: 4, distanceMetric: 'cosine', status, createTime: '2026-01-01T00:00:00Z' } } };
}

export async function startFakeTarget(answer: FakeTarget['answer'] = () => ({ status: 200, body: {} })): Promise<FakeTarget> {
  const state: FakeTarget = { url: '', arrivals: [], answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try { body = text ? JSON.parse(text) as Record<string, unknown> : null; } catch { body = null; }
      const segment = url.pathname.split('/')[1];
      const a: Arrival = {
        method: req.method ?? 'GET', op: url.search.slice(1).split('&')[0]!.split('=')[0]!,
        bucket: segment ? decodeURIComponent(segment) : null, body, headers: req.headers, at: Date.now(),
      };
      state.arrivals.push(a);
      void Promise.resolve(state.answer(a)).then((out) => {
        const payload = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
        const headers: Record<string, string> = { 'x-oss-request-id': REQUEST_ID, date: new Date().toUTCString(), ...out.headers };
        if (payload) headers['content-type'] ??= 'application/json';
        res.writeHead(out.status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
        res.end(payload);
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
