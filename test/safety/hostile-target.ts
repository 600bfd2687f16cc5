// A target that passes `ovc run`'s preflight and then turns hostile: a loopback front that forwards
// to a real in-process emulator (so the preflight, the hook and the bucket checks hold), and answers
// the requests under test in one of several hostile ways. It keeps the time of every request, so a
// test can tell whether anything was sent after a moment (e.g. after the run was killed).
// Besides the named modes, a target takes a described hostility (`Hostility`): status, body size,
// encoding, timing and hook behaviour, combined freely — the property test generates them.
import { gzipSync } from 'node:zlib';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index.ts';

export type HostileMode =
  | 'faithful'   // forward everything
  | 'huge'       // 10 MB JSON bodies to every request under test
  | 'trickle'    // headers, then one byte a second, forever
  | 'all-500'    // 500 InternalError envelopes to every request under test
  | 'all-200'    // 200 `{}` to every request under test
  | 'all-503'    // 503 (throttled, "slow down") to every request under test
  | 'binary'     // 200 with 900 KiB of binary to every request under test (just under the 1 MiB cap)
  | 'gzip-bomb'; // 200, Content-Encoding: gzip, 900 KB that inflate to 900 MiB

/** One hostile way to answer every request under test (and, optionally, the hook). */
export interface Hostility {
  status: number;
  /** The error code of the envelope (statuses ≥ 300); null: the body is `{}` or filler. */
  code: string | null;
  /** Bytes of the body as sent (an envelope or `{}` is padded with spaces up to it when larger). */
  bodyBytes: number;
  /** json: an envelope / `{}` padded with spaces; binary: bytes that are not UTF-8. */
  kind: 'json' | 'binary';
  /** gzip: a gzip bomb of `bodyBytes` (inflating ~1000×); lying-length: Content-Length twice the body, then closed. */
  encoding: 'identity' | 'gzip' | 'lying-length';
  /** 0: at once; else the body is sent in 16 pieces over this many ms. */
  trickleMs: number;
  /** What the hook does once the preflight is past: correct (forwarded), 200 to everything, 500 to everything. */
  hook: 'correct' | 'all-200' | 'all-500';
}

const NAMED: Record<Exclude<HostileMode, 'faithful' | 'huge' | 'trickle'>, Hostility> = {
  'all-500': { status: 500, code: 'InternalError', bodyBytes: 0, kind: 'json', encoding: 'identity', trickleMs: 0, hook: 'correct' },
  'all-200': { status: 200, code: null, bodyBytes: 0, kind: 'json', encoding: 'identity', trickleMs: 0, hook: 'correct' },
  'all-503': { status: 503, code: 'ServiceUnavailable', bodyBytes: 0, kind: 'json', encoding: 'identity', trickleMs: 0, hook: 'correct' },
  binary: { status: 200, code: null, bodyBytes: 900 * 1024, kind: 'binary', encoding: 'identity', trickleMs: 0, hook: 'correct' },
  'gzip-bomb': { status: 200, code: null, bodyBytes: 900 * 1000, kind: 'json', encoding: 'gzip', trickleMs: 0, hook: 'correct' },
};

/** One gzip member of 1 MiB of spaces (~1 KB); members concatenated are one valid gzip stream. */
let member: Buffer | null = null;
/** A gzip stream of about `bytes` bytes that inflates to ~1000 times as much. */
export function gzipBomb(bytes: number): Buffer {
  member ??= gzipSync(Buffer.alloc(2 ** 20, 0x20), { level: 9 });
  const n = Math.max(1, Math.floor(bytes / member.length));
  return Buffer.concat(Array.from({ length: n }, () => member!));
}

/** The body a hostility sends (made once per target: the same bytes for every request). */
function hostileBody(h: Hostility): Buffer {
  if (h.encoding === 'gzip') return gzipBomb(h.bodyBytes);
  if (h.kind === 'binary') {
    // 0xff never occurs in UTF-8: this is no text and no JSON.
    return Buffer.alloc(Math.max(1, h.bodyBytes), 0xff);
  }
  const head = h.code ? envelope(h.status, h.code).body : '{}';
  return Buffer.from(h.bodyBytes > head.length ? head + ' '.repeat(h.bodyBytes - head.length) : head);
}

/** Requests the preflight needs answered truthfully (the run must get past it to meet the hostility). */
const PREFLIGHT = /[?&](bucketInfo|listVectorIndexes)(=|&|$)/;
/** The preflight's hook probe reads its own index (`ovc<run id>hookprobe`) to check the hook acts on the target. */
const HOOK_PROBE = /"indexName"\s*:\s*"ovc[0-9a-z]{9}hookprobe"/;
/** The preflight, the concurrency probe and `ovc cleanup` list a whole bucket; a case under test
 *  (the lifecycle model, the deleted-index check) lists its own names by `prefix`. */
const underTest = (url: string, body: Buffer): boolean => {
  const text = body.toString('utf8');
  return (!PREFLIGHT.test(url) || /"prefix"\s*:/.test(text)) && !HOOK_PROBE.test(text);
};

export interface HostileTarget {
  url: string;
  hookUrl: string;
  emulator: RunningEmulator;
  mode: HostileMode | Hostility;
  /** Epoch ms of every request the front received (the hook's included). */
  requestTimes: number[];
  /** Requests under test answered in the hostile way (0: the run never got past the preflight). */
  hostileAnswers: number;
  /** Requests that asked for a compressed answer (an Accept-Encoding other than identity, or none). */
  askedForCompression: string[];
  /** The index names the emulator behind holds in `bucket` (asked directly, not through the front). */
  indexes(bucket?: string): Promise<string[]>;
  close(): Promise<void>;
}

const KEYS = { accessKeyId: 'hostile-key', accessKeySecret: 'hostile-secret' };
export const HOSTILE_ENV = { OSS_ACCESS_KEY_ID: KEYS.accessKeyId, OSS_ACCESS_KEY_SECRET: KEYS.accessKeySecret };

function envelope(status: number, code: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ Error: { Code: code, Message: 'hostile', RequestId: 'H'.repeat(24), EC: '0000-00000000' } }) };
}

export async function startHostileTarget(mode: HostileMode | Hostility, emulatorOptions: Partial<EmulatorOptions> = {}): Promise<HostileTarget> {
  const emulator = await startEmulator({
    buckets: ['ovc-conformance', 'ovc-other'], stateHook: true,
    identities: [{ accessKeyId: KEYS.accessKeyId, accessKeySecret: KEYS.accessKeySecret }], ...emulatorOptions,
  });
  const upstream = new URL(emulator.url);
  const timers = new Set<NodeJS.Timeout>();
  const direct = new TargetClient(targetSpec({ endpoint: emulator.url, bucket: 'ovc-conformance' }), { main: KEYS, denied: null });
  const state: HostileTarget = {
    url: '', hookUrl: '', emulator, mode, requestTimes: [], hostileAnswers: 0, askedForCompression: [], close: async () => undefined,
    indexes: async (bucket = 'ovc-conformance') => {
      const r = await direct.op('ListVectorIndexes', { maxResults: 100 }, { bucket });
      return ((r.json as { indexes?: Array<{ indexName: string }> } | undefined)?.indexes ?? []).map((i) => i.indexName);
    },
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    // The hook answers only at its own address (emulator/hookServer.ts): a front names it, as a
    // reverse proxy would. Signed API requests keep the Host they were signed for.
    const headers = req.url?.startsWith('/_ovc/') ? { ...req.headers, host: upstream.host } : req.headers;
    const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  };

  const hostility = typeof mode === 'string' ? (mode in NAMED ? NAMED[mode as keyof typeof NAMED] : null) : mode;
  const body = hostility ? hostileBody(hostility) : null;
  // The hook is correct until the preflight is past: until the first request under test arrives.
  let pastPreflight = false;

  const answer = (res: ServerResponse, h: Hostility, b: Buffer): void => {
    const headers: Record<string, string> = {
      'x-oss-request-id': 'H'.repeat(24), date: new Date().toUTCString(),
      'content-type': h.kind === 'binary' ? 'application/octet-stream' : 'application/json',
      'content-length': String(h.encoding === 'lying-length' ? b.length * 2 : b.length),
    };
    if (h.code) headers['x-oss-ec'] = '0000-00000000';
    if (h.encoding === 'gzip') headers['content-encoding'] = 'gzip';
    res.writeHead(h.status, headers);
    res.on('error', () => undefined);
    const end = (): void => { if (h.encoding === 'lying-length') res.destroy(); else res.end(); };
    if (h.trickleMs <= 0 || b.length === 0) { res.write(b); end(); return; }
    const step = Math.ceil(b.length / 16);
    let at = 0;
    const t = setInterval(() => {
      if (res.destroyed) { clearInterval(t); timers.delete(t); return; }
      res.write(b.subarray(at, at + step));
      at += step;
      if (at >= b.length) { clearInterval(t); timers.delete(t); end(); }
    }, h.trickleMs / 16);
    timers.add(t);
    res.on('close', () => { clearInterval(t); timers.delete(t); });
  };

  const server: Server = createServer((req, res) => {
    state.requestTimes.push(Date.now());
    // Without Accept-Encoding any coding is acceptable (RFC 9110 §12.5.3).
    const ae = req.headers['accept-encoding'];
    if (ae === undefined || !/^\s*identity\s*$/i.test(ae)) state.askedForCompression.push(`${req.method} ${req.url} (Accept-Encoding: ${ae ?? 'none'})`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reqBody = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url.startsWith('/_ovc/')) {
        if (!hostility || hostility.hook === 'correct' || !pastPreflight) return forward(req, res, reqBody);
        const text = hostility.hook === 'all-200' ? '{}' : JSON.stringify({ error: 'hostile' });
        res.writeHead(hostility.hook === 'all-200' ? 200 : 500, { 'content-type': 'application/json', 'content-length': String(text.length) });
        res.end(text);
        return;
      }
      if (state.mode === 'faithful' || !underTest(url, reqBody)) return forward(req, res, reqBody);
      pastPreflight = true;
      state.hostileAnswers++;
      if (hostility) return answer(res, hostility, body!);
      const common = { 'x-oss-request-id': 'H'.repeat(24), 'x-oss-ec': '0000-00000000', date: new Date().toUTCString(), 'content-type': 'application/json' };
      switch (state.mode) {
        case 'huge': {
          // 10 MB, sent as it is made: a client that reads it all holds it all.
          res.writeHead(200, { ...common, 'content-length': String(10 * 2 ** 20) });
          const block = Buffer.alloc(64 * 1024, 0x20);
          let sent = 0;
          const pump = (): void => {
            while (sent < 10 * 2 ** 20) {
              sent += block.length;
              if (!res.write(block)) { res.once('drain', pump); return; }
            }
            res.end();
          };
          res.on('error', () => undefined);
          pump();
          return;
        }
        case 'trickle': {
          res.writeHead(200, { ...common, 'content-length': '100000' });
          const t = setInterval(() => { if (res.destroyed) { clearInterval(t); timers.delete(t); } else res.write(' '); }, 1000);
          timers.add(t);
          res.on('close', () => { clearInterval(t); timers.delete(t); });
          return;
        }
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}`;
  state.hookUrl = `${state.url}/_ovc/provider-states`;
  state.close = async () => {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
  };
  return state;
}
