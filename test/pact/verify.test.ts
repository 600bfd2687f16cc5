// The verification step: replays contracts/pacts/… (as written by the consumer step) against the
// embedded emulator, a separately started one, and faulty ones.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PACT_FILE, pactVerify, type VerifyFlags } from '../../cli/pact.ts';
import { UsageError } from '../../cli/errors.ts';
import { defaultIdentities } from '../../emulator/index.ts';
import { separateEmulator } from './emulator-fixture.ts';
import { INTERACTIONS } from '../../pact/interactions.ts';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';

const clientConfig = targetSpec({ endpoint: '', bucket: '', addressing: 'path', name: 't', timeoutMs: 5000 });

const base: VerifyFlags = { pact: DEFAULT_PACT_FILE, bucket: 'ovc-conformance', region: 'cn-hangzhou', accountId: '1234567890', timeoutMs: 10_000 };

async function verify(flags: Partial<VerifyFlags>): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await pactVerify({ ...base, ...flags }, (s) => { out += s; });
  return { code, out };
}

describe('ovc pact verify against the embedded emulator', () => {
  it('passes every interaction (path-style)', async () => {
    const { code, out } = await verify({});
    expect(code, out).toBe(0);
    expect(out).toContain(`${INTERACTIONS.length} passed, 0 failed, 0 skipped, 0 errors`);
  });

  it('passes with virtual-hosted addressing', async () => {
    const { code, out } = await verify({ addressing: 'virtual' });
    expect(code, out).toBe(0);
  });

  it.each([
    ['status-200-on-delete', ['a delete of an enable index is answered 204', 'a delete of an index holding vectors is answered 204'], 'expected 204 but was 200'],
    ['json-charset', ['a delete of an index that does not exist is answered 404 NoSuchVectorIndex', 'an unsigned delete is answered 403 AccessDenied'], "Mismatch with header 'Content-Type'"],
    ['wrong-error-code', ['a delete of an index that does not exist is answered 404 NoSuchVectorIndex', 'a get of an index after its delete is answered 404 NoSuchVectorIndex'], "Expected 'NoSuchIndex'"],
    ['delete-creating-succeeds', ['a delete of an index still creating is answered 409 VectorIndexOperationConflict', 'a delete of an index already deleting is answered 409 VectorIndexOperationConflict'], 'expected 409 but was 204'],
    ['accept-unsigned', ['an unsigned delete is answered 403 AccessDenied'], 'expected 403 but was 204'],
    ['malformed-json-wrong-code', ['a delete without a body is answered 400 MalformedJson'], "Expected 'VectorIndexParameterInvalid'"],
  ])('fails (exit 1) against fault %s, naming the interaction', async (fault, failing, mismatch) => {
    const { code, out } = await verify({ fault });
    expect(code, out).toBe(1);
    const failedLine = out.split('\n').find((l) => l.startsWith('FAILED: '))!;
    for (const d of failing) {
      expect(out).toContain(`✗ ${d}`);
      expect(failedLine).toContain(`"${d}"`);
    }
    expect(out).toContain(mismatch);
  });

  it('rejects --fault with --endpoint and an unknown fault (exit 2 via UsageError)', async () => {
    await expect(verify({ fault: 'no-such-fault' })).rejects.toBeInstanceOf(UsageError);
    await expect(verify({ fault: 'json-charset', endpoint: 'http://127.0.0.1:9' })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('ovc pact verify against a separately started emulator', () => {
  const em = separateEmulator({ buckets: ['pact-bucket'], stateHook: true });

  it('passes with its state hook', async () => {
    const { code, out } = await verify({ endpoint: em().url, stateHook: em().stateHookUrl!, bucket: 'pact-bucket' });
    expect(code, out).toBe(0);
    expect(out).toContain(`${INTERACTIONS.length} passed`);
  });

  it('without a hook: states through the public API, creating/deleting reported as skipped, never passed', async () => {
    const { code, out } = await verify({ endpoint: em().url, bucket: 'pact-bucket' });
    expect(code, out).toBe(0);
    expect(out).toContain(`${INTERACTIONS.length - 2} passed, 0 failed, 2 skipped, 0 errors`);
    expect(out).toContain('- a delete of an index still creating is answered 409 VectorIndexOperationConflict (skip: needs a provider-state hook (--state-hook))');
    expect(out).toContain('- a delete of an index already deleting is answered 409 VectorIndexOperationConflict (skip: needs a provider-state hook (--state-hook))');
    // Only run-prefixed indexes were created, and cleanup removed them all.
    const client = new TargetClient({ ...clientConfig, endpoint: em().url, bucket: 'pact-bucket' }, { main: defaultIdentities({})[0]!, denied: null });
    const list = await client.op('ListVectorIndexes', {});
    await closeTransport();
    expect(list.status).toBe(200);
    expect((list.json as { indexes: unknown[] }).indexes).toEqual([]);
  });

  it('a bucket that does not exist on the target is an error, not a pass', async () => {
    // The state handlers' lines go to stderr.
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
    const { code, out } = await verify({ endpoint: em().url, bucket: 'not-there' }).finally(() => { spy.mockRestore(); });
    expect(code, out).toBe(2);
    // The state handler threw, its state-change call was answered 422: the verifier reports the
    // interactions as errors and replays none of their requests (no mismatch, no FAILED line).
    expect(out).toContain('(error: provider state setup failed (One or more of the setup state change handlers has failed))');
    expect(out).toMatch(/\b0 failed\b/);
    expect(out).not.toContain('FAILED:');
    // Each failed set-up was tried once: a 5xx answer made the verifier call it twice more, with
    // back-off, and send the set-up's requests to the target three times.
    const errored = out.split('\n').filter((l) => l.includes('(error: provider state setup failed')).length;
    const setUps = stderr.split('\n').filter((l) => /^ovc pact: setup of '/.test(l)).length;
    expect(errored).toBeGreaterThan(0);
    expect(setUps).toBe(errored);
  });

  it('an unreachable endpoint is exit 2 (UsageError)', async () => {
    await expect(verify({ endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(/cannot reach/);
  });
});

describe('ovc pact verify against an emulator whose deletes take time (no hook)', () => {
  // A deleted index stays `deleting` for 400 ms; a new index is `creating` for 100–300 ms.
  const em = separateEmulator({ buckets: ['pact-bucket'], deletingMs: 400, creatingMs: [100, 300] });

  it('every interaction names its indexes afresh: none meets an index an earlier one deleted', async () => {
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
    const { code, out } = await verify({ endpoint: em().url, bucket: 'pact-bucket' }).finally(() => { spy.mockRestore(); });
    // One set pact name (exampleIndex) for every interaction was one run name: the second
    // interaction that needed the index created it while the first's delete was still under way
    // (PutVectorIndex 409), an error.
    expect(out, stderr).toContain(`${INTERACTIONS.length - 2} passed, 0 failed, 2 skipped, 0 errors`);
    expect(code).toBe(0);
  });
});
