// The node:http server around the dispatcher: timeouts, malformed requests that never reach a
// handler (clientError, CONNECT, Upgrade), and a clean close.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PROVIDER_STATE_PATH } from '../contracts/provider-states.ts';
import { newRequestId } from '../protocol/envelope.ts';
import { ClientLog } from './clientLog.ts';
import { handleRequest, type Emulator } from './dispatch.ts';
import { ApiError } from './errors.ts';
import { isFaultName } from './faults.ts';
import { commonHeaders, rawResponse, renderError, sendError, type ReplyContext } from './http.ts';
import { InflightBodies } from './inflight.ts';
import { MIB } from './memory.ts';
import { resolveOptions, type EmulatorOptions, type Identity } from './options.ts';
import { Realism } from './realism.ts';
import { StateHook } from './hookServer.ts';
import { Store } from './store.ts';

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  region: string;
  accountId: string;
  buckets: string[];
  identities: Identity[];
  stateHookUrl: string | null;
  close(): Promise<void>;
}

export interface EmulatorInstance {
  emulator: Emulator;
  /** Bytes of request bodies held now (bounded by maxInflightBodyMb). */
  inflight: InflightBodies;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** Builds the store and everything around it; used by startEmulator and by in-process tests. */
export function createEmulatorInstance(opts: EmulatorOptions = {}): EmulatorInstance {
  const options = resolveOptions(opts, isFaultName);
  const store = new Store({ now: options.now, creatingMs: options.creatingMs, deletingMs: options.deletingMs, random: options.random, maxBytes: options.maxMemoryMb * MIB });
  for (const b of options.buckets) store.createBucket(b);
  const emulator: Emulator = {
    options, store,
    identities: new Map(options.identities.map((i) => [i.accessKeyId, i])),
    hook: options.stateHook ? new StateHook(store, options.buckets[0]) : null,
    clientLog: options.clientLog ? new ClientLog(options.clientLog) : null,
    realism: Realism.wanted(options) ? new Realism(options) : null,
  };
  const inflight = new InflightBodies(options.maxInflightBodyMb * MIB, options.maxBodyBytes);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (!inflight.admit(req, res)) {
      // Refused before a byte of the body is read; the connection closes after the answer.
      const reply: ReplyContext = { requestId: newRequestId(), hostId: req.headers.host ?? 'localhost', fault: options.fault, now: options.now() };
      sendError(res, reply, new ApiError('ServiceUnavailable', `request bodies in flight would pass ${options.maxInflightBodyMb} MiB (ovc serve --max-inflight-body-mb)`), { 'Retry-After': '1', Connection: 'close' });
      return;
    }
    handleRequest(emulator, req, res).catch((e: unknown) => {
      // handleRequest answers every error itself; reaching here is a bug, so say so loudly but stay up.
      console.error('ovc emulator: request failed outside the dispatcher:', e);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  return {
    emulator, handler, inflight,
    close: async () => {
      store.close();
      await emulator.clientLog?.close();
    },
  };
}

/** A request handler to mount elsewhere (e.g. supertest). Its store lives as long as the handler. */
export function createEmulatorHandler(opts: EmulatorOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return createEmulatorInstance(opts).handler;
}

/** Writes a complete 400 error envelope on a socket that has no usable request, then closes it. */
function refuseOnSocket(socket: Duplex, detail: string, fault: Emulator['options']['fault'], now: Date): void {
  const reply: ReplyContext = { requestId: newRequestId(), hostId: 'localhost', fault, now };
  const r = renderError(new ApiError('InvalidRequest', detail), reply);
  socket.end(rawResponse(400, { ...commonHeaders(reply), ...r.headers }, r.body));
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const instance = createEmulatorInstance(opts);
  const { options } = instance.emulator;
  const server = createServer({ requireHostHeader: false, requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, instance.handler);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    refuseOnSocket(socket, `malformed HTTP request (${err.code ?? 'parse error'})`, options.fault, options.now());
  });
  // Without these listeners Node would drop such connections without any answer.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseOnSocket(socket, 'CONNECT is not supported', options.fault, options.now()));
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => refuseOnSocket(socket, 'protocol upgrades are not supported', options.fault, options.now()));
  // An unusual Expect header would otherwise get a bare 417: answer it like any other request.
  server.on('checkExpectation', instance.handler);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${urlHost}:${port}`;
  // Every endpoint the emulator reports leads back to it (unless told otherwise); bound to every
  // interface, it cannot know which one a client reached, so the request's own Host is reported.
  if (options.host !== '0.0.0.0' && options.host !== '::') options.advertisedHost ??= `${urlHost}:${port}`;
  instance.emulator.hook?.listeningAt({ host: options.host, port, advertisedHost: options.advertisedHost });
  let closed: Promise<void> | null = null;
  return {
    url, host: options.host, port, region: options.region, accountId: options.accountId,
    buckets: [...options.buckets], identities: options.identities.map((i) => ({ ...i })),
    stateHookUrl: options.stateHook ? `${url}${PROVIDER_STATE_PATH}` : null,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => instance.close());
      return closed;
    },
  };
}
