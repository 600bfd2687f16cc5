// A loopback stand-in for a Pact Broker / PactFlow: answers HAL JSON from a route function and
// keeps every request it got (method, url, headers, body), so the tests check what was sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }

/** What a route answers: a status (default 200) and a JSON body; null for 404. */
export type Route = (req: { method: string; url: string; body: string; here: string }) => { status?: number; json: unknown } | null;

export interface BrokerStandin { url: string; seen: Seen[]; reset(): void; close(): Promise<void> }

export async function startBrokerStandin(route: Route): Promise<BrokerStandin> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/hal+json');
      const answer = route({ method: req.method ?? '', url: req.url ?? '', body, here: `http://${req.headers.host}` });
      if (!answer) { res.statusCode = 404; res.end('{}'); return; }
      res.statusCode = answer.status ?? 200;
      res.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    reset: () => { seen.length = 0; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
