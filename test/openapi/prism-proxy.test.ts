// A conformant run through Prism's validating proxy: `ovc run --runs 5` -> Prism 5.16.0 (proxy, the
// document of contracts/openapi/ with the query-key router of ./prism.ts) -> the reference emulator.
// Prism must find no response violation; every request violation it reports must be a request the
// emulator rejected too (4xx), and every DeleteVectorIndex the emulator refused as
// VectorIndexParameterInvalid must be one Prism flagged (the document rejects what the service
// rejects). Prism re-serialises JSON bodies, so a request whose bytes change under its Content-MD5
// is answered 400 InvalidDigest: each such answer must be explained by that (docs/openapi.md).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultIdentities, startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { OPENAPI_FILE } from '../../pact/openapi.ts';
import { startPrism, type Exchange, type PrismServer } from './prism.ts';

/** OVC_PRISM_DOCUMENT: another document to hold the run against (to show the test fails on it). */
const DOCUMENT = process.env.OVC_PRISM_DOCUMENT ?? OPENAPI_FILE;
/** OVC_PRISM_ROUTER=prism: Prism's own router (path and method only), what the `prism` CLI runs. */
const QUERY_ROUTING = process.env.OVC_PRISM_ROUTER !== 'prism';
const work = mkdtempSync(join(tmpdir(), 'ovc-prism-'));
let em: RunningEmulator;
let prism: PrismServer;
let run: { code: number | null; out: string };

const code = (x: Exchange): string | null => ((x.responseBody as { Error?: { Code?: string } } | null)?.Error?.Code) ?? null;
const header = (x: Exchange, name: string): string | undefined => { const v = x.headers[name.toLowerCase()]; return Array.isArray(v) ? v[0] : v; };

beforeAll(async () => {
  const ids = defaultIdentities({});
  em = await startEmulator({ identities: ids, buckets: ['ovc-conformance', 'ovc-conformance-2'] });
  prism = await startPrism(DOCUMENT, em.url, { queryRouting: QUERY_ROUTING });
  run = await new Promise((resolve) => {
    // Prism's server never answers a request whose body is not JSON under Content-Type application/json
    // (its body parser fails and it waits for an 'end' already past): a short client timeout bounds those.
    const child = spawn(process.execPath, ['dist/cli/bin.js', 'run', '--endpoint', prism.url, '--state-hook', em.stateHookUrl!,
      '--other-bucket', 'ovc-conformance-2', '--runs', '5', '--seed', '2026', '--timeout-ms', '2000', '--quiet', '--out', join(work, 'out')],
    { env: { ...process.env, OSS_ACCESS_KEY_ID: ids[0]!.accessKeyId, OSS_ACCESS_KEY_SECRET: ids[0]!.accessKeySecret } });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    child.on('close', (c) => resolve({ code: c, out }));
  });
}, 300_000);
afterAll(async () => {
  await prism?.close();
  await em?.close();
  rmSync(work, { recursive: true, force: true });
});

describe(`ovc run through Prism's validating proxy (${DOCUMENT})`, () => {
  it('carried the run: every request reached the emulator and was selected by its own path item', () => {
    const answered = prism.exchanges.filter((x) => x.status !== null);
    expect(answered.length, run.out.slice(-2000)).toBeGreaterThan(200);
    const wrong = prism.exchanges.filter((x) => x.method === 'POST' && !x.query.some((k) => x.pathItem?.endsWith(`?${k}`)));
    expect(wrong.map((x) => `${x.method} ${x.path}?${x.query.join('&')} -> ${x.pathItem}`)).toEqual([]);
    expect(new Set(prism.exchanges.map((x) => x.operationId)).size).toBeGreaterThanOrEqual(5);
  });

  it('finds no response violation', () => {
    const violations = prism.exchanges.flatMap((x) => x.responseViolations.map((v) => `${x.operationId} ${x.status} ${code(x) ?? ''}: ${v}`));
    expect(violations.length, violations.slice(0, 20).join('\n')).toBe(0);
  });

  it('flags only requests the emulator rejects, and every DeleteVectorIndex it refuses as VectorIndexParameterInvalid', () => {
    const flagged = prism.exchanges.filter((x) => x.requestViolations.length > 0);
    expect(flagged.length).toBeGreaterThan(0);
    const accepted = flagged.filter((x) => x.status === null || x.status < 400 || x.status >= 500);
    expect(accepted.map((x) => `${x.operationId} ${x.status} ${JSON.stringify(x.body)}: ${x.requestViolations.join('; ')}`)).toEqual([]);
    const refused = prism.exchanges.filter((x) => x.operationId?.startsWith('DeleteVectorIndex') && x.status === 400 && code(x) === 'VectorIndexParameterInvalid');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.filter((x) => x.requestViolations.length === 0).map((x) => JSON.stringify(x.body))).toEqual([]);
  });

  it('explains every 400 InvalidDigest: Prism re-serialised the body under its Content-MD5', () => {
    const digest = prism.exchanges.filter((x) => x.status === 400 && code(x) === 'InvalidDigest');
    const unexplained = digest.filter((x) => {
      const md5 = header(x, 'content-md5');
      const forwarded = x.body === null ? '' : typeof x.body === 'string' ? x.body : JSON.stringify(x.body);
      return md5 !== undefined && createHash('md5').update(forwarded).digest('base64') === md5;
    });
    expect(unexplained.map((x) => `${x.operationId} ${header(x, 'content-md5')} ${JSON.stringify(x.body)}`)).toEqual([]);
    process.stdout.write(`prism proxy: ${prism.exchanges.length} exchanges, ${digest.length} answered 400 InvalidDigest after re-serialisation, ${prism.exchanges.filter((x) => x.requestViolations.length).length} request violations, ovc run exit ${run.code}\n`);
  });
});
