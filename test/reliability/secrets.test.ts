// Secrets and safety, end to end through the real `ovc` command:
//  - known secret, session token and denied-identity secret values in the environment never
//    appear in any artifact (every file under OUT/, contracts/pacts/) nor in stdout/stderr —
//    neither from an embedded run nor from a run against a fault profile, where failing cases keep
//    their exchanges (HAR, HTML, results.jsonl);
//  - a run against a bucket holding indexes it did not create never deletes or modifies them,
//    cleanup included.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presign } from '../../bench/lib/load.ts';
import { startOvcServe, type ChildServer } from '../../bench/lib/servers.ts';
import { stateHook } from '../../bench/lib/client.ts';
import type { Credentials } from '../../protocol/signer.ts';
import { ROOT, runOvc, type CliRun } from '../selftest/run-cli.ts';

const hex = (n: number) => randomBytes(n).toString('hex');
const KEY_ID = `ovcsecretsid${hex(4)}`;
const SECRET = `SecretValue${hex(12)}`;
const TOKEN = `SessionToken${hex(16)}`;
const DENIED_SECRET = `DeniedSecret${hex(12)}`;
const ENV = {
  OSS_ACCESS_KEY_ID: KEY_ID, OSS_ACCESS_KEY_SECRET: SECRET, OSS_SESSION_TOKEN: TOKEN,
  OVC_DENIED_ACCESS_KEY_ID: `ovcdenied${hex(4)}`, OVC_DENIED_ACCESS_KEY_SECRET: DENIED_SECRET,
};
const CREDS: Credentials = { accessKeyId: KEY_ID, accessKeySecret: SECRET, securityToken: TOKEN };
/** Each value, and the forms it could take in an artifact: base64 (binary exchange bodies) and URL-encoded. */
const NEEDLES = [SECRET, TOKEN, DENIED_SECRET].flatMap((v) => [v, Buffer.from(v).toString('base64').slice(0, 16), encodeURIComponent(v)]);
const BUCKET = 'ovc-conformance';

const dirs: string[] = [];
const tmp = (p: string): string => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function leaks(where: string, text: string): string[] {
  return NEEDLES.filter((n) => text.includes(n)).map((n) => `${where} contains ${n === SECRET ? 'the secret' : n === TOKEN ? 'the session token' : n === DENIED_SECRET ? 'the denied secret' : `an encoded secret (${n.slice(0, 6)}…)`}`);
}

function artifactLeaks(out: string, run: CliRun): string[] {
  const found: string[] = [];
  const all = [...files(out), ...files(join(ROOT, 'contracts', 'pacts'))];
  for (const f of all) found.push(...leaks(f, readFileSync(f).toString('latin1')));
  found.push(...leaks('stdout', run.stdout), ...leaks('stderr', run.stderr));
  return found;
}

async function signed(server: ChildServer, query: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const p = presign(BUCKET, query, JSON.stringify(body), CREDS);
  const res = await request(`http://127.0.0.1:${server.port}${p.path}`, { method: 'POST', headers: p.headers, body: p.body });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('no secret in any artifact', () => {
  it('embedded run with a session token: every file under OUT/, the pact files, stdout and stderr are clean', async () => {
    const out = tmp('ovc-secrets-a-');
    const run = await runOvc(['run', '--runs', '3', '--seed', '7', '--out', out], ENV, 90_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.results.length).toBeGreaterThan(10);
    expect(artifactLeaks(out, run)).toEqual([]);
  });
});

describe('against an endpoint that holds indexes the run did not create (and deviates: status-200-on-delete)', () => {
  let server: ChildServer;
  const FOREIGN = [
    { indexName: 'foreignIdx', vectorCount: 40, dimension: 8 },
    // Looks like a run's own name, but belongs to no ledger of this run.
    { indexName: 'ovcforeign1', vectorCount: 25, dimension: 4 },
  ];
  beforeAll(async () => {
    server = await startOvcServe({ bucket: BUCKET, args: ['--fault', 'status-200-on-delete'], env: ENV });
    for (const f of FOREIGN) await stateHook(server.port, { state: 'a vector index exists', params: { bucket: BUCKET, status: 'enable', ...f } });
  });
  afterAll(async () => { await server.stop(); });

  async function snapshot(): Promise<unknown> {
    const out: Record<string, unknown> = {};
    for (const f of FOREIGN) {
      const idx = await signed(server, 'getVectorIndex', { indexName: f.indexName });
      expect(idx.status).toBe(200);
      const list = await signed(server, 'listVectors', { indexName: f.indexName, maxResults: 1000, returnData: true });
      expect(list.status).toBe(200);
      const index = (idx.json as { index: Record<string, unknown> }).index;
      out[f.indexName] = { index: { ...index }, vectors: (list.json as { vectors: unknown[] }).vectors };
    }
    return out;
  }

  it('the run finds the deviation, keeps evidence without secrets, and leaves foreign indexes and their vectors intact', async () => {
    const before = await snapshot();
    expect(Object.values(before as Record<string, { vectors: unknown[] }>).map((s) => s.vectors.length)).toEqual(FOREIGN.map((f) => f.vectorCount));
    const out = tmp('ovc-secrets-b-');
    const run = await runOvc(['run', '--endpoint', `http://127.0.0.1:${server.port}`, '--state-hook', `http://127.0.0.1:${server.port}/_ovc/provider-states`,
      '--runs', '3', '--seed', '7', '--out', out], ENV, 90_000);
    expect(run.code, run.stderr).toBe(1);
    const failing = run.results.filter((r) => r.outcome === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.some((r) => r.exchange?.request.headers)).toBe(true);
    // The evidence is there, redacted.
    const withToken = failing.find((r) => r.exchange && Object.keys(r.exchange.request.headers).some((h) => h.toLowerCase() === 'x-oss-security-token'));
    expect(withToken?.exchange?.request.headers[Object.keys(withToken.exchange.request.headers).find((h) => h.toLowerCase() === 'x-oss-security-token')!]).toBe('[REDACTED]');
    expect(artifactLeaks(out, run)).toEqual([]);
    expect(leaks('ovc serve output', server.stdout!() + server.stderr())).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
