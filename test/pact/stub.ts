// Helpers for the stub tests: Pact's stub server (`pact stub` of @pact-foundation/pact-cli) on a
// free loopback port, and raw bytes sent to it over TCP exactly as a fixture holds them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

export function pactBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@pact-foundation/pact-cli/package.json')), 'bin', 'pact.js');
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface RunningStub { port: number; child: ChildProcess; output: () => string; close(): Promise<void> }

/** `pact stub -f FILE -p PORT [-s STATE_REGEX]`, waited for until it accepts connections. */
export async function startStub(pactFile: string, stateRegex?: string): Promise<RunningStub> {
  const port = await freePort();
  const args = [pactBin(), 'stub', '-f', pactFile, '-p', String(port), ...(stateRegex !== undefined ? ['-s', stateRegex] : [])];
  // Its own process group: `pact` is a launcher that starts the stub binary as a child, and both
  // must go when the stub is closed.
  const child = spawn(process.execPath, args, { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pact stub exited ${child.exitCode}: ${out}`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline) { killGroup(child); throw new Error(`pact stub did not start: ${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, child, output: () => out,
    close: async () => {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child);
      await exited;
      // The group's other members (the stub binary) are gone once the port refuses connections.
      for (let i = 0; i < 50; i++) {
        const open = await new Promise<boolean>((r) => { const s = connect(port, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); });
        if (!open) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`pact stub on port ${port} is still listening after it was stopped`);
    },
  };
}

function killGroup(child: ChildProcess): void {
  try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
}

export interface RawResponse { status: number; headers: Record<string, string>; body: string }

/** Writes the bytes as they are to 127.0.0.1:port and reads one HTTP/1.1 response (Content-Length framed). */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(bytes));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no complete answer within ${timeoutMs} ms: ${buf.toString()}`)); }, timeoutMs);
    const tryParse = (final: boolean): void => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) { if (final) { clearTimeout(timer); reject(new Error(`incomplete answer: ${buf.toString()}`)); } return; }
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!)?.[1]);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) { const i = l.indexOf(':'); headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
      const len = status === 204 || status === 304 ? 0 : headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
      const body = buf.subarray(end + 4);
      if (len !== null ? body.length >= len : final) {
        clearTimeout(timer);
        sock.destroy();
        resolve({ status, headers, body: body.subarray(0, len ?? body.length).toString('utf8') });
      }
    };
    sock.on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); tryParse(false); });
    sock.on('end', () => tryParse(true));
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}
