// Target options of `ovc run` that real deployments need: the index quota is checked before the
// run (exit 2 and one sentence when the budget does not fit), and TLS endpoints with a private
// certificate work with --ca-file, or --insecure (with a loud warning), and are refused otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { runOvc } from '../selftest/run-cli.ts';

const CREDS = { OSS_ACCESS_KEY_ID: 'opt-key', OSS_ACCESS_KEY_SECRET: 'opt-secret-value' };
const IDENTITY = { accessKeyId: CREDS.OSS_ACCESS_KEY_ID, accessKeySecret: CREDS.OSS_ACCESS_KEY_SECRET };
const running: RunningEmulator[] = [];
afterAll(async () => { await closeTransport(); await Promise.all(running.map((e) => e.close())); });

describe('quota preflight', () => {
  it('refuses with exit 2 when fewer free index slots remain than --max-indexes; runs when they fit; the default fits itself to the free slots, down to 4', async () => {
    const emu = await startEmulator({ identities: [IDENTITY], stateHook: true });
    running.push(emu);
    const client = new TargetClient(targetSpec({ endpoint: emu.url, bucket: 'ovc-conformance' }), { main: IDENTITY, denied: null });
    for (let i = 0; i < 85; i++) {
      const res = await client.op('PutVectorIndex', { indexName: `foreign${i}`, dataType: 'float32', dimension: 2, distanceMetric: 'cosine' });
      expect(res.status).toBe(200);
    }
    const out = mkdtempSync(join(tmpdir(), 'ovc-quota-'));
    const refused = await runOvc(['run', '--endpoint', emu.url, '--max-indexes', '20', '--tags', '404-no-such-bucket', '--quiet', '--out', out], CREDS);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds 85 of its 100 indexes, so 15 slot\(s\) are free but the run may hold up to 20/);
    const ok = await runOvc(['run', '--endpoint', emu.url, '--max-indexes', '10', '--tags', '204-deleted', '--quiet', '--out', out], CREDS);
    expect(ok.stderr).not.toMatch(/cannot run/);
    expect(ok.code).toBe(0);
    // Without --max-indexes the default (40) is fitted to the 15 free slots, and the run says so.
    const fitted = await runOvc(['run', '--endpoint', emu.url, '--tags', '204-deleted', '--quiet', '--out', out], CREDS);
    expect(fitted.stderr).toMatch(/at most 15 live index\(es\) at once: the fullest bucket has only that many free slots/);
    expect(fitted.code).toBe(0);
    // The foreign indexes are untouched.
    const list = await client.op('ListVectorIndexes', { prefix: 'foreign', maxResults: 100 });
    expect((list.json as { indexes: unknown[] }).indexes).toHaveLength(85);
    // Below 4 free slots even the fitted default refuses, in one sentence.
    for (let i = 85; i < 97; i++) expect((await client.op('PutVectorIndex', { indexName: `foreign${i}`, dataType: 'float32', dimension: 2, distanceMetric: 'cosine' })).status).toBe(200);
    const full = await runOvc(['run', '--endpoint', emu.url, '--tags', '204-deleted', '--quiet', '--out', out], CREDS);
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/holds 97 of its 100 indexes, so 3 slot\(s\) are free; the run needs at least 4/);
  });
});

describe('TLS endpoints with a private certificate', () => {
  let proxy: Server;
  let endpoint: string;
  let caFile: string;
  beforeAll(async () => {
    const emu = await startEmulator({ identities: [IDENTITY], stateHook: true });
    running.push(emu);
    const dir = mkdtempSync(join(tmpdir(), 'ovc-tls-'));
    caFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const upstream = new URL(emu.url);
    // A TLS front for the emulator, as a test deployment behind a private CA would be.
    proxy = createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
      const up = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    endpoint = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await new Promise((r) => proxy.close(r)); });

  const args = (extra: string[]): string[] => ['run', '--endpoint', endpoint, '--tags', '404-no-such-bucket || 403-access-denied', '--quiet', '--out', mkdtempSync(join(tmpdir(), 'ovc-tls-out-')), ...extra];

  it('--ca-file trusts the private CA: exit 0', async () => {
    const r = await runOvc(args(['--ca-file', caFile]), CREDS);
    expect(r.stderr).not.toMatch(/cannot run/);
    expect(r.code).toBe(0);
    expect(r.results.filter((x) => x.outcome === 'pass').length).toBeGreaterThan(0);
  });
  it('without it the certificate is refused: exit 2 with the reason', async () => {
    const r = await runOvc(args([]), CREDS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be reached .*(SELF_SIGNED|self.signed|certificate)/i);
  });
  it('--insecure runs, with a loud warning', async () => {
    const r = await runOvc(args(['--insecure']), CREDS);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARNING: --insecure/);
  });
});
