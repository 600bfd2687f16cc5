// A server child for bench/emulator-layers.ts: node:http with one of several handlers, each adding
// one layer of the emulator's request path to the bare server, all from the compiled package.
//   node --import tsx/esm bench/lib/layer-server.ts <variant>   (prints `listening <port>`)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const dist = new URL('../../dist/', import.meta.url);
const { readBody } = await import(new URL('emulator/request.js', dist).href) as typeof import('../../emulator/request.ts');
const { verifyRequest } = await import(new URL('protocol/verifier.js', dist).href) as typeof import('../../protocol/verifier.ts');
const { sendError, sendEmpty } = await import(new URL('emulator/http.js', dist).href) as typeof import('../../emulator/http.ts');
const { ApiError } = await import(new URL('emulator/errors.js', dist).href) as typeof import('../../emulator/errors.ts');
const { createEmulatorInstance } = await import(new URL('emulator/server.js', dist).href) as typeof import('../../emulator/server.ts');
const { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION } = await import('./servers.ts');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const pairs = (raw: string[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
};
const verify = (req: IncomingMessage): void => {
  const v = verifyRequest({ method: req.method!, query: req.url!.slice(req.url!.indexOf('?') + 1), headers: pairs(req.rawHeaders), region: BENCH_REGION, accountId: BENCH_ACCOUNT,
    bucket: 'examplebucket', lookupSecret: () => BENCH_KEY.accessKeySecret, now: new Date() });
  if (!v.ok) throw new Error(v.detail);
};
const reply = () => ({ requestId: 'AAAAAAAAAAAAAAAAAAAAAAAA', hostId: '127.0.0.1', fault: null, now: new Date() });

const verifies = (req: IncomingMessage): boolean => verifyRequest({ method: req.method!, query: req.url!.slice(req.url!.indexOf('?') + 1), headers: pairs(req.rawHeaders), region: BENCH_REGION, accountId: BENCH_ACCOUNT,
  bucket: 'examplebucket', lookupSecret: (id) => (id === BENCH_KEY.accessKeyId ? BENCH_KEY.accessKeySecret : undefined), now: new Date() }).ok;

export const VARIANTS: Record<string, () => Handler> = {
  /** node:http, body read with resume(), 204. */
  bare: () => (req, res) => { req.resume(); req.on('end', () => { res.writeHead(204); res.end(); }); },
  /**
   * The floor of any server that checks signatures: the bare server plus the same V4 verification
   * the emulator runs (protocol/verifier.ts), 204 when it holds and 403 when not. Nothing else.
   */
  'bare+v4': () => (req, res) => { req.resume(); req.on('end', () => { res.writeHead(verifies(req) ? 204 : 403); res.end(); }); },
  /** + the emulator's body reader (emulator/request.ts readBody). */
  read: () => async (req, res) => { await readBody(req, 1 << 20); res.writeHead(204); res.end(); },
  /** + the emulator's empty response (common headers, emulator/http.ts sendEmpty). */
  'read+reply': () => async (req, res) => { await readBody(req, 1 << 20); sendEmpty(res, reply(), 204); },
  /** + the error envelope instead (404 NoSuchVectorIndex JSON body). */
  'read+error': () => async (req, res) => { await readBody(req, 1 << 20); sendError(res, reply(), new ApiError('NoSuchVectorIndex', 'absent')); },
  /** + V4 signature verification (protocol/verifier.ts verifyRequest). */
  'read+verify+reply': () => async (req, res) => { await readBody(req, 1 << 20); verify(req); sendEmpty(res, reply(), 204); },
  /** The whole emulator (what `ovc serve` runs). */
  emulator: () => createEmulatorInstance({ buckets: ['examplebucket'], region: BENCH_REGION, accountId: BENCH_ACCOUNT, identities: [{ ...BENCH_KEY }] }).handler,
};

const variant = process.argv[2] ?? 'bare';
const make = VARIANTS[variant];
if (!make) throw new Error(`unknown variant ${variant}`);
const server = createServer(make());
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
process.on('SIGINT', () => { server.close(() => process.exit(0)); server.closeAllConnections(); });
