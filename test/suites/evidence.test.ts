// Each case carries its own evidence: 200 property cases in flight at once against a fault profile,
// each waiting a random while after its send before it checks (the "extra await" that used to let
// another case's request become "the last exchange"); every failing case's recorded exchange must
// be the request that case sent.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { runSpec, targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { request } from '../../scenario/scenario.ts';
import type { SuiteContext } from '../../suites/harness.ts';

const KEY = { accessKeyId: 'evidence-key', accessKeySecret: 'evidence-secret-value' };
let emu: RunningEmulator;
let work: string;
let harness: typeof import('../../suites/harness.ts');
let property: typeof import('../../suites/property.ts');
let ctx: SuiteContext;

beforeAll(async () => {
  emu = await startEmulator({ fault: 'wrong-error-code', identities: [KEY], stateHook: true });
  work = mkdtempSync(join(tmpdir(), 'ovc-evidence-'));
  const target = targetSpec({ endpoint: emu.url, bucket: 'ovc-conformance', stateHook: emu.stateHookUrl, name: 'fault wrong-error-code' });
  const run = runSpec(target, { runId: 'evid1', seed: 3, runs: 200, outDir: work, workers: 1, pacing: { concurrency: 200, putIndexRps: 0 } });
  harness = await import('../../suites/harness.ts');
  property = await import('../../suites/property.ts');
  ctx = harness.initContext({ target, run, identities: { main: KEY, denied: null } });
});
afterAll(async () => {
  await closeTransport();
  await emu.close();
  rmSync(work, { recursive: true, force: true });
});

describe('evidence of concurrent cases', () => {
  it('200 concurrent failing cases, an extra await after each send: each carries its own exchange', async () => {
    const names = fc.integer({ min: 0, max: 1_000_000 }).map((n) => `ovcevid1n${n.toString(36)}`);
    const sentBy = new Map<string, string>();
    const results = await property.propertyCases(ctx, {
      salt: 'evidence', runs: 200, concurrency: 200,
      arbitrary: fc.tuple(names, fc.integer({ min: 0, max: 15 })),
      spec: ([name], i) => ({ id: `evidence#${i}`, response: '404 NoSuchVectorIndex', labels: ['index-absent'], expected: { status: 404, code: 'NoSuchVectorIndex' }, cites: name }),
      run: async ([name, delay], check, s) => {
        await s.when(request.op('DeleteVectorIndex', { indexName: name }))
          .expect(async (res) => {
            await new Promise((r) => setTimeout(r, delay)); // other cases send meanwhile
            check.error(res, 404, ['NoSuchVectorIndex']);
          })
          .run();
      },
    });
    harness.flushCaseRecords();
    const generated = results.filter((r) => !r.id.endsWith('#shrunk'));
    for (const r of generated) sentBy.set(r.id, r.cites!);
    expect(generated).toHaveLength(200);
    // The profile answers NoSuchIndex: every case fails, and says so with its own request.
    expect(generated.every((r) => r.outcome === 'fail')).toBe(true);
    const wrong = generated.filter((r) => JSON.parse(r.exchange!.request.body).indexName !== sentBy.get(r.id));
    expect(wrong.map((r) => r.id)).toEqual([]);
    expect(generated.every((r) => r.exchange!.response!.body.includes('NoSuchIndex'))).toBe(true);
  });
});
