// 204: an `enable` index is deleted with all its vectors (D-DelIdx: "deletes a vector index and all
// vectors in it; irreversible"; sample response HTTP/1.1 204 No Content). Time-aware (DESIGN rule
// 5): after the 204 the index may read `deleting` until the settle bound, never `enable` or
// `creating`; then it is gone, unlisted, its name reusable and the new index empty. --strict
// asserts instant disappearance (the emulator's decision, docs/emulator.md U5/U6).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { codeOf, type TargetClient } from '../client/client.ts';
import { request, type Then } from '../scenario/scenario.ts';
import { createIndex, deleteIndex, freshName, runCase, suiteContext, verdict, type CaseSpec, type Checks } from './harness.ts';
import { caseSpec, settledEnable, settledGone } from './common.ts';

const ctx = suiteContext();

const R = responseByKey('204-deleted');
const spec = (behaviour: string, labels: string[] = []): CaseSpec => caseSpec(R.key, behaviour, labels);

/**
 * After a 204: the index is gone — at once under --strict, else within the settle bound with only
 * `deleting` on the way — and ListVectorIndexes no longer lists it. Returns whether it is gone.
 */
export async function checkGone(check: Checks, then: Then, name: string, inBucket?: string): Promise<boolean> {
  const { run } = ctx;
  const bucket = inBucket ?? then.client.target.bucket;
  if (run.strict) {
    const get = await then.client.op('GetVectorIndex', { indexName: name }, { bucket });
    check.that(get.status === 404 && codeOf(get) === 'NoSuchVectorIndex', `--strict: GetVectorIndex right after the delete must be 404 NoSuchVectorIndex, got ${get.status} ${codeOf(get) ?? (get.json as { index?: { status?: string } })?.index?.status ?? ''}`.trim());
    if (get.status !== 404) return false;
  } else if (!(await settledGone(ctx, check, then, name, bucket))) {
    return false;
  }
  const list = await then.client.op('ListVectorIndexes', { prefix: name }, { bucket });
  check.schema('ListVectorIndexes', list);
  const names = ((list.json as { indexes?: Array<{ indexName?: string }> } | undefined)?.indexes ?? []).map((i) => i.indexName);
  check.that(list.status === 200, `ListVectorIndexes must answer 200, got ${list.status}`);
  check.that(!names.includes(name), `ListVectorIndexes still lists the deleted index ${name} after GetVectorIndex answered 404`);
  return true;
}

/** Re-creates a deleted name: 200, then (after `enable`) an empty index. */
async function checkReusable(check: Checks, then: Then, name: string): Promise<boolean> {
  const again = await createIndex(ctx, name, 4, undefined, then.client);
  check.that(again.status === 200, `re-creating a deleted name must succeed (200), got ${again.status} ${codeOf(again) ?? ''}`.trim());
  if (again.status !== 200) return false;
  return settledEnable(ctx, check, then, name, 'the re-created index: ');
}

async function vectorKeys(check: Checks, client: TargetClient, name: string): Promise<string[] | null> {
  const res = await client.op('ListVectors', { indexName: name, maxResults: 1000 });
  check.schema('ListVectors', res);
  if (res.status !== 200) return null;
  return ((res.json as { vectors?: Array<{ key: string }> }).vectors ?? []).map((v) => v.key).sort();
}

describe(R.label, () => {
  it('an enable index without vectors: 204, then gone, and the name is reusable', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'e');
    const r = await runCase(ctx, spec('empty-index', ['index-enable']), (check, s) => s
      .given({ state: 'index', indexName: name })
      .when(request.op('DeleteVectorIndex', { indexName: name }))
      .expect(async (res, then) => {
        check.noContent(res);
        if (res.status !== 204) return;
        if (await checkGone(check, then, name) && await checkReusable(check, then, name)) await deleteIndex(name, undefined, then.client);
      })
      .run());
    verdict([r], t.skip);
  });

  it('an index holding vectors: 204, its vectors gone, a sibling index untouched', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'v');
    const sibling = freshName(ctx, 's');
    const r = await runCase(ctx, spec('index-with-vectors', ['index-with-vectors']), (check, s) => s
      .given({ state: 'index', indexName: name, vectorCount: 3 }, { state: 'index', indexName: sibling, vectorCount: 2 })
      .when(request.op('DeleteVectorIndex', { indexName: name }))
      .expect(async (del, then) => {
        check.noContent(del);
        if (del.status !== 204) return;
        const client = then.client;
        if (!(await checkGone(check, then, name)) || !(await checkReusable(check, then, name))) return;
        const keys = await vectorKeys(check, client, name);
        check.that(keys !== null && keys.length === 0, `a re-created index must hold no vectors, ListVectors gave ${JSON.stringify(keys)}`);
        const got = await client.op('GetVectors', { indexName: name, keys: ['k0', 'k1', 'k2'] });
        check.schema('GetVectors', got);
        const gotKeys = (got.json as { vectors?: unknown[] } | undefined)?.vectors ?? null;
        check.that(got.status === 200 && Array.isArray(gotKeys) && gotKeys.length === 0, `GetVectors on the re-created index must return no vectors, got ${got.status} ${JSON.stringify(gotKeys)}`);
        const siblingKeys = await vectorKeys(check, client, sibling);
        check.that(JSON.stringify(siblingKeys) === JSON.stringify(['k0', 'k1']), `the sibling index must keep its vectors [k0,k1], got ${JSON.stringify(siblingKeys)}`);
        const sib = await client.op('GetVectorIndex', { indexName: sibling });
        check.schema('GetVectorIndex', sib);
        check.that(sib.status === 200, `the sibling index must still exist, GetVectorIndex gave ${sib.status} ${codeOf(sib) ?? ''}`);
        await deleteIndex(name, undefined, client);
      })
      .run());
    verdict([r], t.skip);
  });

  it('the official SDKs\' wire forms: Go `?deleteVectorIndex` compact JSON, Python `?deleteVectorIndex=` spaced JSON', { tags: [R.key, 'wire-forms'] }, async (t) => {
    const results = [];
    for (const form of ['go', 'python'] as const) {
      const name = freshName(ctx, form === 'go' ? 'g' : 'p');
      const body = form === 'go' ? Buffer.from(JSON.stringify({ indexName: name })) : Buffer.from(`{"indexName": "${name}"}`);
      results.push(await runCase(ctx, spec(`wire-form-${form}`, ['index-enable']), (check, s) => s
        .given({ state: 'index', indexName: name })
        .when(request.raw((c) => c.sign(c.build('DeleteVectorIndex', body, { queryForm: form === 'go' ? 'bare' : 'eq' }))))
        .expect((res) => check.noContent(res))
        .run()));
    }
    verdict(results, t.skip);
  });
});
