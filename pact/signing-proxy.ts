// A signing proxy for Pact's own verifier (`pact verifier`, the Rust CLI, has no request filter):
// it takes each replayed request and forwards it to the provider as a client would send it —
// Content-MD5 recomputed over the body as sent (provider-state substitution changes it), a fresh
// OSS4-HMAC-SHA256 V4 signature with the configured identity (a request without Authorization in
// the pact stays unsigned), Host of the upstream, path-style addressing. docs/pact.md has the recipe;
// `ovc pact signing-proxy --upstream URL` runs it.
import { HOP_HEADERS, toResign } from './resign.ts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../protocol/signer.ts';
import { TargetClient } from '../client/client.ts';
import { targetSpec } from '../client/config.ts';
import { EXAMPLE } from './interactions.ts';


export interface SigningProxyOptions {
  /** The provider's endpoint (e.g. `ovc serve`'s URL). */
  upstream: string;
  credentials: Credentials;
  region?: string;
  accountId?: string;
  /** The bucket of a request addressed at `/` (the pact's virtual-hosted example); default examplebucket. */
  bucket?: string;
  host?: string;
  port?: number;
}

export interface SigningProxy {
  url: string;
  port: number;
  /** Requests forwarded so far (signed, unsigned). */
  counts: { signed: number; unsigned: number };
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startSigningProxy(o: SigningProxyOptions): Promise<SigningProxy> {
  const target = targetSpec({ endpoint: o.upstream, region: o.region ?? EXAMPLE.region, bucket: o.bucket ?? EXAMPLE.bucket, accountId: o.accountId ?? EXAMPLE.accountId, addressing: 'path', name: 'signing proxy upstream', timeoutMs: 15_000 });
  const client = new TargetClient(target, { main: o.credentials, denied: null });
  const counts = { signed: 0, unsigned: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const u = new URL(req.url ?? '/', 'http://proxy.invalid');
      const seg = /^\/([^/]+)\/?$/.exec(u.pathname);
      const bucket = seg ? decodeURIComponent(seg[1]!) : (o.bucket ?? EXAMPLE.bucket);
      const { wire, signed } = toResign(req.method, req.headers, u.search.replace(/^\?/, ''), body, bucket);
      counts[signed ? 'signed' : 'unsigned']++;
      const answer = await client.send(signed ? client.sign(wire) : wire);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_HEADERS.has(k.toLowerCase())) out[k] = v;
      out['content-length'] = String(answer.body.length);
      res.writeHead(answer.status, out);
      res.end(answer.body);
    })().catch((e: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`ovc signing proxy: ${(e as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`, port, counts,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
