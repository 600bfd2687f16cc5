// Races: concurrent deletes of one index are linearizable (exactly one 204), and a delete racing
// PutVectors leaves no vectors behind (D-DelIdx: the index and all vectors in it are deleted).
import { describe, it } from 'vitest';
import { codeOf, type WireResponse } from '../target/client.ts';
import { context, createIndex, deleteIndex, freshName, runCase, SetupError, verdict, vectorsFor } from './harness.ts';
import { mustCreate } from './common.ts';

const ROW = 'races';
const spec = (behaviour: string, labels: string[], expected: { status: number; code: string | null; codes?: string[] }) => ({
  id: `delete-vector-index/${ROW}/${behaviour}`, response: ROW, labels, expected, tags: ROW,
  cites: 'D-DelIdx: deleting an index is irreversible; a deleted index answers 404 NoSuchVectorIndex.',
});

describe(ROW, () => {
  for (const n of [16, 64]) {
    it(`${n} concurrent deletes of one index: exactly one 204, the others 404 (or 409)`, { tags: [ROW] }, async (t) => {
      const name = freshName('z');
      const r = await runCase(spec(`concurrent-deletes-${n}`, ['index-enable'], { status: 204, code: null, codes: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] }), async (check) => {
        await mustCreate(name);
        const { client, ledger, config } = context();
        const answers: WireResponse[] = await Promise.all(Array.from({ length: n }, () => client.op('DeleteVectorIndex', { indexName: name })));
        const ok = answers.filter((a) => a.status === 204);
        const others = answers.filter((a) => a.status !== 204);
        if (ok.length > 0) { ledger.deleted(config.bucket, name); check.observe(ok[0]!); }
        check.that(ok.length === 1, `exactly one delete must answer 204, ${ok.length} did`);
        const wrong = others.filter((a) => !['NoSuchVectorIndex', 'VectorIndexOperationConflict'].includes(codeOf(a) ?? ''));
        check.that(wrong.length === 0, `the losing deletes must answer 404 NoSuchVectorIndex or 409 VectorIndexOperationConflict, got ${[...new Set(wrong.map((a) => `${a.status} ${codeOf(a) ?? ''}`))].join(', ')}`);
        const seen = [...new Set(others.map((a) => codeOf(a)))].join('+');
        if (seen) check.precedence = seen;
      });
      verdict([r], t.skip);
    });
  }

  it('a delete racing PutVectors on the same index leaves no vectors behind', { tags: [ROW] }, async (t) => {
    const name = freshName('w');
    const r = await runCase(spec('delete-vs-put-vectors', ['index-with-vectors'], { status: 204, code: null }), async (check) => {
      await mustCreate(name);
      const { client } = context();
      const seed = await client.op('PutVectors', { indexName: name, vectors: vectorsFor(['s0', 's1']) });
      if (seed.status !== 200) throw new SetupError(`could not put vectors: ${seed.status} ${codeOf(seed) ?? ''}`);
      const puts = Array.from({ length: 8 }, (_, i) => client.op('PutVectors', { indexName: name, vectors: vectorsFor([`p${i}a`, `p${i}b`]) }));
      const [del] = await Promise.all([deleteIndex(name), ...puts]);
      check.that(del.status === 204, `the delete must succeed, got ${del.status} ${codeOf(del) ?? ''}`);
      const again = await createIndex(name);
      check.that(again.status === 200, `re-creating the name must succeed, got ${again.status} ${codeOf(again) ?? ''}`);
      const list = await client.op('ListVectors', { indexName: name, maxResults: 1000 });
      const keys = ((list.json as { vectors?: Array<{ key: string }> } | undefined)?.vectors ?? []).map((v) => v.key);
      check.that(list.status === 200 && keys.length === 0, `no vector may survive the delete, found ${JSON.stringify(keys)}`);
      await deleteIndex(name);
    });
    verdict([r], t.skip);
  });
});
