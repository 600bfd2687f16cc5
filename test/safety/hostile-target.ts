// A target that passes `ovc run`'s preflight and then turns hostile: a loopback front that forwards
// to a real in-process emulator (so the preflight, the hook and the bucket checks hold), and answers
// the requests under test in one of several hostile ways. It keeps the time of every request, so a
// test can tell whether anything was sent after a moment (e.g. after the run was killed).
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
  | 'all-503';   // 503 (throttled, "slow down") to every request under test

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
  mode: HostileMode;
  /** Epoch ms of every request the front received (the hook's included). */
  requestTimes: number[];
  /** The index names the emulator behind holds in `bucket` (asked directly, not through the front). */
  indexes(bucket?: string): Promise<string[]>;
  close(): Promise<void>;
}

const KEYS = { accessKeyId: 'hostile-key', accessKeySecret: 'hostile-secret' };
export const HOSTILE_ENV = { OSS_ACCESS_KEY_ID: KEYS.accessKeyId, OSS_ACCESS_KEY_SECRET: KEYS.accessKeySecret };

function envelope(status: number, code: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ Error: { Code: code, Message: 'hostile', RequestId: 'H'.repeat(24), EC: '0000-00000000' } }) };
}

export async function startHostileTarget(mode: HostileMode, emulatorOptions: Partial<EmulatorOptions> = {}): Promise<HostileTarget> {
  const emulator = await startEmulator({
    buckets: ['ovc-conformance', 'ovc-other'], stateHook: true,
    identities: [{ accessKeyId: KEYS.accessKeyId, accessKeySecret: KEYS.accessKeySecret }], ...emulatorOptions,
  });
  const upstream = new URL(emulator.url);
  const timers = new Set<NodeJS.Timeout>();
  const direct = new TargetClient(targetSpec({ endpoint: emulator.url, bucket: 'ovc-conformance' }), { main: KEYS, denied: null });
  const state: HostileTarget = {
    url: '', hookUrl: '', emulator, mode, requestTimes: [], close: async () => undefined,
    indexes: async (bucket = 'ovc-conformance') => {
      const r = await direct.op('ListVectorIndexes', { maxResults: 100 }, { bucket });
      return ((r.json as { indexes?: Array<{ indexName: string }> } | undefined)?.indexes ?? []).map((i) => i.indexName);
    },
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  };

  const server: Server = createServer((req, res) => {
    state.requestTimes.push(Date.now());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (state.mode === 'faithful' || url.startsWith('/_ovc/') || !underTest(url, body)) return forward(req, res, body);
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
        case 'all-500': {
          const e = envelope(500, 'InternalError');
          res.writeHead(e.status, { ...common, 'content-length': String(Buffer.byteLength(e.body)) });
          res.end(e.body);
          return;
        }
        case 'all-200':
          res.writeHead(200, { ...common, 'content-length': '2' });
          res.end('{}');
          return;
        case 'all-503': {
          const e = envelope(503, 'ServiceUnavailable');
          res.writeHead(e.status, { ...common, 'content-length': String(Buffer.byteLength(e.body)) });
          res.end(e.body);
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
