// Faults in the target, as the suite sees them: a loopback endpoint that resets, never answers,
// answers too slowly, sends truncated or non-HTTP bytes. Through the suite's own client and
// runCase, such a case is an `error` (never a pass or a fail); transport errors are retried a
// bounded number of times (counted at the faulty server), answers never are; and `ovc run`
// against an unusable endpoint exits 2 from its preflight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpec, targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { runOvc } from '../selftest/run-cli.ts';
import type { SuiteContext } from '../../suites/harness.ts';
import { startFaultyServer, type FaultMode, type FaultyServer } from './faulty-server.ts';

const TIMEOUT_MS = 250;
/** send() tries once and retries transport errors at most twice. */
const MAX_ATTEMPTS = 3;

let faulty: FaultyServer;
let workDir: string;
let harness: typeof import('../../suites/harness.ts');
let ctx: SuiteContext;

beforeAll(async () => {
  // Far beyond the timeout: undici checks timeouts on a coarse (about 1 s) clock, so an answer a few
  // hundred ms late may still be accepted.
  faulty = await startFaultyServer('reset', 2500);
  workDir = mkdtempSync(join(tmpdir(), 'ovc-faults-'));
  const target = targetSpec({ endpoint: faulty.url, bucket: 'ovc-conformance', addressing: 'path', name: 'faulty server', timeoutMs: TIMEOUT_MS });
  const run = runSpec(target, { runId: 'faults1', seed: 1, runs: 1, outDir: workDir, workDir: join(workDir, '.work') });
  // The harness gets its target as an `ovc run` worker does: one run channel.
  harness = await import('../../suites/harness.ts');
  ctx = harness.initContext({ target, run, identities: { main: { accessKeyId: 'faults-key', accessKeySecret: 'faults-secret' }, denied: null } });
});
afterAll(async () => {
  await closeTransport();
  await faulty.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** One case as a suite writes it: delete an index, expect the documented 404 (or `status`). */
async function deleteCase(mode: FaultMode, status = 404, code: string | null = 'NoSuchVectorIndex') {
  await closeTransport(); // no kept-alive socket from an earlier mode
  faulty.reset(mode);
  return harness.runCase(ctx, { id: `faults/${mode}`, response: `${status}`, labels: [mode], expected: { status, code } }, async (check) => {
    const res = await ctx.client.op('DeleteVectorIndex', { indexName: 'gone' });
    if (status === 204) check.noContent(res);
    else check.error(res, status, [code!]);
  });
}

describe('a faulty target seen through runCase', () => {
  for (const mode of ['reset', 'close'] as const) {
    it(`${mode}: the case is an error, retried ${MAX_ATTEMPTS} times at most`, async () => {
      const r = await deleteCase(mode);
      expect([r.outcome, r.reason]).toEqual(['error', expect.stringMatching(/transport error/)]);
      expect(faulty.requests).toBeGreaterThanOrEqual(1);
      expect(faulty.requests).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(faulty.connections).toBeLessThanOrEqual(MAX_ATTEMPTS);
    });
  }

  it('non-HTTP bytes: an error, not retried (the peer is not an HTTP server)', async () => {
    const r = await deleteCase('garbage');
    expect(r.outcome).toBe('error');
    expect(faulty.requests).toBe(1);
  });

  it('an answer cut off after its headers: an error, not retried (the target acted on the request)', async () => {
    const r = await deleteCase('truncated');
    expect(r.outcome).toBe('error');
    expect(faulty.requests).toBe(1);
  });

  for (const mode of ['hang', 'slow'] as const) {
    it(`${mode}: the case is an error after the timeout, and the request is sent once (it reached the target)`, async () => {
      const started = performance.now();
      const r = await deleteCase(mode);
      expect(r.outcome).toBe('error');
      expect(r.reason).toMatch(/timeout/i);
      expect(faulty.requests).toBe(1);
      expect(performance.now() - started).toBeLessThan(2400);
    });
  }

  it('a delete that timed out is not re-sent: a later answer about a changed state never decides the case', async () => {
    // The first delete is answered 204, but after the timeout; a re-sent delete would be answered
    // 404 and the case would wrongly fail (or, for a 404 case, wrongly pass).
    const r = await deleteCase('slow-then-fast', 204, null);
    expect(r.outcome).toBe('error');
    expect(faulty.requests).toBe(1);
  });

  it('a well-formed wrong answer is a fail, and it is never retried', async () => {
    const r = await deleteCase('wrong');
    expect(r.outcome).toBe('fail');
    expect(r.actual).toMatchObject({ status: 500, code: 'InternalError' });
    expect(faulty.requests).toBe(1);
  });
});

describe('ovc run against an unusable endpoint', () => {
  for (const mode of ['reset', 'hang', 'garbage'] as const) {
    it(`${mode}: exit 2 from the preflight, with a bounded number of attempts`, async () => {
      faulty.reset(mode);
      const out = mkdtempSync(join(tmpdir(), 'ovc-faults-cli-'));
      try {
        const run = await runOvc(['run', '--endpoint', faulty.url, '--timeout-ms', String(TIMEOUT_MS), '--quiet', '--runs', '1', '--out', out],
          { OSS_ACCESS_KEY_ID: 'faults-key', OSS_ACCESS_KEY_SECRET: 'faults-secret' }, 60_000);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(mode === 'hang' ? /cannot run: the endpoint .* gave no complete answer \(.*no complete answer within \d+ ms/ : /cannot run: the endpoint .* accepted the connection but gave no usable HTTP answer/);
        expect(run.results).toEqual([]);
        expect(faulty.requests).toBeGreaterThanOrEqual(1);
        expect(faulty.requests).toBeLessThanOrEqual(MAX_ATTEMPTS);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
