// A deliberately broken loopback HTTP endpoint: resets connections, never answers, answers
// slowly, sends truncated or non-HTTP bytes, or answers a well-formed but wrong response. It counts
// the connections and request heads it sees, so tests can tell how often the client tried.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type FaultMode =
  | 'reset'          // RST as soon as the request arrives
  | 'close'          // FIN without a byte of answer
  | 'hang'           // reads the request, never answers
  | 'slow'           // a well-formed 404 envelope after `slowMs`
  | 'slow-then-fast' // the first request is answered 204 after `slowMs`, later ones 404 at once
  | 'truncated'      // a status line and headers promising more body than is sent, then FIN
  | 'garbage'        // bytes that are not HTTP, then FIN
  | 'wrong';         // a well-formed 500 envelope at once (an answer: never to be retried)

export interface FaultyServer {
  port: number;
  url: string;
  mode: FaultMode;
  slowMs: number;
  connections: number;
  requests: number;
  reset(mode: FaultMode): void;
  close(): Promise<void>;
}

const envelope = (status: string, code: string): string => {
  const body = JSON.stringify({ Error: { Code: code, Message: 'faulty', RequestId: 'F'.repeat(24), HostId: 'faulty', EC: '0000-00000000' } });
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nx-oss-request-id: ${'F'.repeat(24)}\r\nx-oss-ec: 0000-00000000\r\nDate: ${new Date().toUTCString()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

export async function startFaultyServer(mode: FaultMode, slowMs = 1000): Promise<FaultyServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state: FaultyServer = {
    port: 0, url: '', mode, slowMs, connections: 0, requests: 0,
    reset(m: FaultMode) { state.mode = m; state.connections = 0; state.requests = 0; for (const s of sockets) s.destroy(); },
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // One request head per blank line seen (bodies here are small JSON without blank lines).
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const n = ++state.requests;
        switch (state.mode) {
          case 'reset': socket.resetAndDestroy(); return;
          case 'close': socket.end(); return;
          case 'hang': break;
          case 'slow': later(state.slowMs, () => socket.writable && socket.write(envelope('404 Not Found', 'NoSuchVectorIndex'))); break;
          case 'slow-then-fast':
            if (n === 1) later(state.slowMs, () => socket.writable && socket.write(`HTTP/1.1 204 No Content\r\nx-oss-request-id: ${'F'.repeat(24)}\r\nDate: ${new Date().toUTCString()}\r\n\r\n`));
            else socket.write(envelope('404 Not Found', 'NoSuchVectorIndex'));
            break;
          case 'truncated': socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"Error":{"Code":"NoSu'); return;
          case 'garbage': socket.end('SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02\xff'); return;
          case 'wrong': socket.write(envelope('500 Internal Server Error', 'InternalError')); break;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}
