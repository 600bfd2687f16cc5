// 204: an `enable` index is deleted with all its vectors (D-DelIdx: "deletes a vector index and all
// vectors in it; irreversible"; sample response HTTP/1.1 204 No Content).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { codeOf } from '../target/client.ts';
import { context, createIndex, deleteIndex, freshName, runCase, SetupError, verdict, vectorsFor, type Checks } from './harness.ts';

const R = responseByKey('204-deleted');
const id = (behaviour: string): string => `delete-vector-index/${R.key}/${behaviour}`;
const spec = (behaviour: string, labels: string[] = []) => ({ id: id(behaviour), response: R.label, labels, expected: { status: 204, code: null }, cites: R.doc.says, tags: R.key });

async function mustCreate(name: string, dimension = 4): Promise<void> {
  const res = await createIndex(name, dimension);
  if (res.status !== 200) throw new SetupError(`could not create index ${name}: ${res.status} ${codeOf(res) ?? ''}`);
}

/** After a delete: GetVectorIndex → 404 NoSuchVectorIndex and ListVectorIndexes no longer lists it. */
async function checkGone(check: Checks, name: string): Promise<void> {
  const { client } = context();
  const get = await client.op('GetVectorIndex', { indexName: name });
  check.that(get.status === 404 && codeOf(get) === 'NoSuchVectorIndex', `GetVectorIndex after delete must be 404 NoSuchVectorIndex, got ${get.status} ${codeOf(get) ?? ''}`);
  const list = await client.op('ListVectorIndexes', { prefix: name });
  check.schema('ListVectorIndexes', list);
  const names = ((list.json as { indexes?: Array<{ indexName?: string }> } | undefined)?.indexes ?? []).map((i) => i.indexName);
  check.that(list.status === 200, `ListVectorIndexes must answer 200, got ${list.status}`);
  check.that(!names.includes(name), `ListVectorIndexes still lists the deleted index ${name}`);
}

async function vectorKeys(check: Checks, name: string): Promise<string[] | null> {
  const res = await context().client.op('ListVectors', { indexName: name, maxResults: 1000 });
  check.schema('ListVectors', res);
  if (res.status !== 200) return null;
  return ((res.json as { vectors?: Array<{ key: string }> }).vectors ?? []).map((v) => v.key).sort();
}

describe(R.label, () => {
  it('an enable index without vectors: 204, then gone, and the name is reusable', { tags: [R.key] }, async (t) => {
    const name = freshName('e');
    const r = await runCase(spec('empty-index', ['index-enable']), async (check) => {
      await mustCreate(name);
      check.noContent(await deleteIndex(name));
      await checkGone(check, name);
      const again = await createIndex(name);
      check.that(again.status === 200, `re-creating a deleted name must succeed (200), got ${again.status} ${codeOf(again) ?? ''}`);
      if (again.status === 200) await deleteIndex(name);
    });
    verdict([r], t.skip);
  });

  it('an index holding vectors: 204, its vectors gone, a sibling index untouched', { tags: [R.key] }, async (t) => {
    const name = freshName('v');
    const sibling = freshName('s');
    const r = await runCase(spec('index-with-vectors', ['index-with-vectors']), async (check) => {
      const { client } = context();
      await mustCreate(name);
      await mustCreate(sibling);
      for (const [idx, keys] of [[name, ['a', 'b', 'c']], [sibling, ['x', 'y']]] as const) {
        const put = await client.op('PutVectors', { indexName: idx, vectors: vectorsFor([...keys]) });
        if (put.status !== 200) throw new SetupError(`could not put vectors into ${idx}: ${put.status} ${codeOf(put) ?? ''}`);
      }
      check.noContent(await deleteIndex(name));
      await checkGone(check, name);
      const again = await createIndex(name);
      check.that(again.status === 200, `re-creating ${name} must succeed, got ${again.status}`);
      const keys = await vectorKeys(check, name);
      check.that(keys !== null && keys.length === 0, `a re-created index must hold no vectors, ListVectors gave ${JSON.stringify(keys)}`);
      const got = await client.op('GetVectors', { indexName: name, keys: ['a', 'b', 'c'] });
      check.schema('GetVectors', got);
      const gotKeys = (got.json as { vectors?: unknown[] } | undefined)?.vectors ?? null;
      check.that(got.status === 200 && Array.isArray(gotKeys) && gotKeys.length === 0, `GetVectors on the re-created index must return no vectors, got ${got.status} ${JSON.stringify(gotKeys)}`);
      const siblingKeys = await vectorKeys(check, sibling);
      check.that(JSON.stringify(siblingKeys) === JSON.stringify(['x', 'y']), `the sibling index must keep its vectors [x,y], got ${JSON.stringify(siblingKeys)}`);
      const sib = await client.op('GetVectorIndex', { indexName: sibling });
      check.schema('GetVectorIndex', sib);
      check.that(sib.status === 200, `the sibling index must still exist, GetVectorIndex gave ${sib.status} ${codeOf(sib) ?? ''}`);
      await deleteIndex(name);
      await deleteIndex(sibling);
    });
    verdict([r], t.skip);
  });

  it('the official SDKs\' wire forms: Go `?deleteVectorIndex` compact JSON, Python `?deleteVectorIndex=` spaced JSON', { tags: [R.key, 'wire-forms'] }, async (t) => {
    const results = [];
    for (const form of ['go', 'python'] as const) {
      const name = freshName(form === 'go' ? 'g' : 'p');
      results.push(await runCase(spec(`wire-form-${form}`, ['index-enable']), async (check) => {
        await mustCreate(name);
        const { client } = context();
        const body = form === 'go' ? Buffer.from(JSON.stringify({ indexName: name })) : Buffer.from(`{"indexName": "${name}"}`);
        const req = client.build('DeleteVectorIndex', body, { queryForm: form === 'go' ? 'bare' : 'eq' });
        const res = await client.send(client.sign(req));
        if (res.status === 204) context().ledger.deleted(context().config.bucket, name);
        check.noContent(res);
      }));
    }
    verdict(results, t.skip);
  });
});
