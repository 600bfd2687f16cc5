// scenario/hookClient.ts: the provider-state hook client posts `{action, state, params}` as JSON to
// the hook's URL (docs/provider-states.md) and takes anything but a 200 for a refusal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeTransport } from '../../client/http.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { StateHook, StateHookError } from '../../scenario/hookClient.ts';
import { startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

let fake: FakeTarget;
beforeAll(async () => { fake = await startFakeTarget(); });
beforeEach(() => { fake.arrivals.length = 0; });
afterAll(async () => { await fake.close(); await closeTransport(); });

describe('StateHook', () => {
  it('posts the action, state and params as JSON to the hook\'s path and query', async () => {
    fake.answer = () => ({ status: 200, body: { ok: true } });
    const hook = new StateHook(`${fake.url}/_ovc/provider-states?token=t`);
    const out = await hook.setup(STATES.indexExists, { bucket: 'b', indexName: 'ovcx', status: 'creating' });
    expect(out).toEqual({ ok: true });
    const [a] = fake.arrivals;
    expect(a!.method).toBe('POST');
    expect(a!.op).toBe('token');
    expect(a!.headers['content-type']).toBe('application/json');
    expect(a!.body).toEqual({ action: 'setup', state: 'a vector index exists', params: { bucket: 'b', indexName: 'ovcx', status: 'creating' } });
    await hook.teardown(STATES.indexExists, { bucket: 'b', indexName: 'ovcx' });
    expect(fake.arrivals[1]!.body).toMatchObject({ action: 'teardown' });
  });

  it('refuses any answer but 200, naming the action, the state, the status and the start of the body', async () => {
    fake.answer = () => ({ status: 404, body: `no hook here ${'x'.repeat(500)}`, headers: { 'content-type': 'text/plain' } });
    const err = await new StateHook(`${fake.url}/hook`).setup(STATES.noIndex, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateHookError);
    expect((err as Error).message).toBe(`state hook setup 'no vector index exists' answered 404: no hook here ${'x'.repeat(200 - 'no hook here '.length)}`);
  });

  it('is bounded by the run\'s --timeout-ms and --max-response-bytes, like the target', async () => {
    fake.answer = () => new Promise(() => undefined); // never answers
    const started = Date.now();
    const hung = await new StateHook(`${fake.url}/hook`, { timeoutMs: 300 }).setup(STATES.noIndex, {}).catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(3_000);
    fake.answer = () => ({ status: 200, body: { pad: 'x'.repeat(10_000) } });
    const big = await new StateHook(`${fake.url}/hook`, { maxBytes: 1_000 }).setup(STATES.noIndex, {}).catch((e: unknown) => e);
    expect(String(big)).toMatch(/too large|1000/);
  });

  it('reads an empty or non-JSON 200 as an empty answer', async () => {
    fake.answer = () => ({ status: 200 });
    expect(await new StateHook(`${fake.url}/hook`).setup(STATES.noIndex, {})).toEqual({});
    fake.answer = () => ({ status: 200, body: 'done', headers: { 'content-type': 'text/plain' } });
    expect(await new StateHook(`${fake.url}/hook`).setup(STATES.noIndex, {})).toEqual({});
  });
});
