// The path-only operations of the OpenAPI document — what tools that route on path and method alone
// (swagger-mock-validator, the `prism` CLI) check a request against — check requests too: the POST
// dispatch body refuses what no operation accepts, yet accepts every request a conformance run sends
// that the emulator accepts; `prism proxy --errors` finds GetVectorBucket on `GET /{bucket}/`, so
// `ovc run`'s preflight passes through it, and validates its answer.
// OVC_OPENAPI_DOCUMENT: another document to hold the checks against (to show they fail on it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { REQUEST_EXAMPLES } from '../../contracts/openapi.ts';
import { parseExchanges } from '../../diff/cassette.ts';
import { defaultIdentities, startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { PACT_DIR, PACT_FILE_NAME } from '../../pact/interactions.ts';
import { OPENAPI_FILE } from '../../pact/openapi.ts';
import { OVC, ROOT } from '../selftest/run-cli.ts';

const DOCUMENT = process.env.OVC_OPENAPI_DOCUMENT ?? OPENAPI_FILE;
const require = createRequire(import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'ovc-dispatch-'));
const started: Array<{ close(): Promise<void> | void }> = [];
afterAll(async () => {
  for (const s of started.reverse()) await s.close();
  rmSync(work, { recursive: true, force: true });
});

interface Doc { paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> }
const doc = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const dispatchBody = (path: string): Record<string, unknown> => doc.paths[path]!.post!.requestBody!.content['application/json']!.schema;
const accepts = (path: string, body: unknown): boolean => ajv.validate(JSON.parse(JSON.stringify(dispatchBody(path)).replace(/"#\/components/g, '"doc#/components')), body);
ajv.addSchema({ ...doc, $id: 'doc' }, 'doc');

function swaggerMockValidator(spec: string, pact: string): { code: number | null; out: string } {
  const bin = join(dirname(require.resolve('@pactflow/swagger-mock-validator')), '..', 'bin', 'swagger-mock-validator.mjs');
  const r = spawnSync(process.execPath, [bin, spec, pact], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe(`the POST dispatch operation of ${DOCUMENT}`, () => {
  it('swagger-mock-validator flags a pact whose DeleteVectorIndex body is {"indexName": 5}, and passes the pact as written', () => {
    const file = join(PACT_DIR, PACT_FILE_NAME);
    const ok = swaggerMockValidator(DOCUMENT, file);
    expect(ok.out).toContain('0 error(s)');
    const pact = JSON.parse(readFileSync(file, 'utf8')) as { interactions: Array<{ request: { query?: Record<string, unknown>; body?: { content: unknown } }; response: { status: number } }> };
    const deleted = pact.interactions.find((i) => i.response.status === 204 && i.request.query && 'deleteVectorIndex' in i.request.query)!;
    deleted.request.body!.content = { indexName: 5 };
    const bad = join(work, 'index-name-5.json');
    writeFileSync(bad, JSON.stringify(pact));
    const flagged = swaggerMockValidator(DOCUMENT, bad);
    expect(flagged.code, flagged.out).toBe(1);
    expect(flagged.out).toContain('request.body.incompatible');
  }, 180_000);

  it('refuses bodies no operation accepts, on both path styles', () => {
    for (const path of ['/', '/{bucket}/']) {
      for (const bad of [{ indexName: 5 }, { indexName: 'exampleIndex', dimension: 'three' }, { unknownField: true }, { maxResults: 'ten' }, [], 'text']) {
        expect(accepts(path, bad), `${path} ${JSON.stringify(bad)}`).toBe(false);
      }
    }
  });

  it('accepts every operation\'s documented request, with all its optional fields', () => {
    const full: Record<string, unknown> = {
      ...REQUEST_EXAMPLES,
      PutVectorIndex: { ...REQUEST_EXAMPLES.PutVectorIndex as object, metadata: { nonFilterableMetadataKeys: ['genre'] } },
      ListVectorIndexes: { maxResults: 10, nextToken: 'token', prefix: 'example' },
      GetVectors: { indexName: 'exampleIndex', keys: ['doc-1'], returnData: true, returnMetadata: false },
      ListVectors: { indexName: 'exampleIndex', maxResults: 10, nextToken: 't', returnData: true, returnMetadata: true, segmentCount: 2, segmentIndex: 1 },
      QueryVectors: { indexName: 'exampleIndex', queryVector: { float32: [0.1] }, topK: 3, filter: { genre: 'news' }, returnDistance: true, returnMetadata: true },
      PutVectors: { indexName: 'exampleIndex', vectors: [{ key: 'doc-1', data: { float32: [0.1] }, metadata: { genre: 'news' } }] },
      Empty: {},
    };
    for (const path of ['/', '/{bucket}/']) for (const [op, body] of Object.entries(full)) expect(accepts(path, body), `${path} ${op} ${JSON.stringify(body)}`).toBe(true);
  });

  it('accepts every request body of a conformance run that the emulator accepted (2xx)', async () => {
    const cassette = join(work, 'cassette');
    const r = spawnSync(process.execPath, [OVC, 'run', '--runs', '2', '--seed', '26', '--record', cassette, '--out', join(work, 'run'), '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 280_000, env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
    expect([0, 1], r.stderr.slice(-2000)).toContain(r.status);
    const exchanges = [...parseExchanges(readFileSync(join(cassette, 'exchanges.jsonl'), 'utf8'), 'exchanges.jsonl').values()].flat();
    const sent = exchanges.filter((x) => x.exchange.request.method === 'POST' && x.exchange.response && x.exchange.response.status < 300);
    const ops = new Set(sent.map((x) => x.op));
    expect([...ops]).toEqual(expect.arrayContaining(['PutVectorIndex', 'DeleteVectorIndex', 'GetVectorIndex', 'ListVectorIndexes', 'PutVectors', 'ListVectors']));
    const refused = sent.filter((x) => !accepts('/{bucket}/', x.exchange.request.body === '' ? {} : JSON.parse(x.exchange.request.body)));
    expect(refused.map((x) => `${x.op} ${x.exchange.request.body}`)).toEqual([]);
  }, 300_000);
});

// ---- the `prism` CLI as SDK teams start it: its own router (path and method), --errors ----------------

/**
 * Starts the prism CLI as a proxy on a port of its own: prism takes only a fixed port, so one is
 * drawn below the kernel's ephemeral range (32768 and up: the run's own loopback connections take
 * ports there) and drawn again when another process holds it (EADDRINUSE), up to five times.
 */
async function prismProxy(upstream: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      await startPrismCli(upstream, port);
      return `http://127.0.0.1:${port}`;
    } catch (e) {
      if (attempt >= 5 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startPrismCli(upstream: string, port: number): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, [require.resolve('@stoplight/prism-cli/dist/index.js'), 'proxy', DOCUMENT, upstream, '--errors', '-h', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push({ close: () => { try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ } } });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start:\n${out}`)), 90_000);
    const seen = (d: Buffer): void => { out += String(d); if (out.includes('Prism is listening')) { clearTimeout(timer); resolve(); } };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (c) => { clearTimeout(timer); reject(new Error(`prism exited ${c}:\n${out}`)); });
  });
}

const ids = defaultIdentities({});
const clientOf = (endpoint: string, bucket = 'ovc-conformance'): TargetClient => new TargetClient(targetSpec({ endpoint, bucket }), { main: ids[0]!, denied: null });

describe(`prism proxy --errors on ${DOCUMENT}`, () => {
  it('routes GetVectorBucket (GET /{bucket}/?bucketInfo) to the emulator and passes its answers: the preflight of ovc run gets through', async () => {
    const em: RunningEmulator = await startEmulator({ identities: ids });
    started.push(em);
    const client = clientOf(await prismProxy(em.url));
    const found = await client.op('GetVectorBucket');
    expect(found.status, found.text).toBe(200);
    expect((found.json as { BucketInfo?: { Name?: string } }).BucketInfo?.Name).toContain('ovc-conformance');
    const absent = await client.op('GetVectorBucket', undefined, { bucket: 'ovc-no-such-bucket' });
    expect(absent.status, absent.text).toBe(404);
    const listed = await client.op('ListVectorIndexes', { maxResults: 100 });
    expect(listed.status, listed.text).toBe(200);
  }, 120_000);

  it('validates GetVectorBucket\'s answer: a target answering 200 without BucketInfo is refused', async () => {
    const wrong: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-oss-request-id': '5C3D9175B6FC201293AD0000', date: new Date().toUTCString() });
      res.end(JSON.stringify({ Bucket: {} }));
    });
    await new Promise<void>((r) => wrong.listen(0, '127.0.0.1', r));
    started.push({ close: () => new Promise<void>((r) => wrong.close(() => r())) });
    const client = clientOf(await prismProxy(`http://127.0.0.1:${(wrong.address() as { port: number }).port}`));
    const res = await client.op('GetVectorBucket');
    expect(res.status, res.text).toBe(500);
    expect(res.text).toMatch(/BucketInfo/);
  }, 120_000);
});
