// Races: concurrent deletes of one index are linearizable (exactly one 204, the others 404 — or
// 409 while the target shows it `deleting`, spec §12 U5), and a delete racing PutVectors leaves
// no vectors behind (D-DelIdx: the index and all vectors in it are deleted). Time-aware: the
// index is waited for until gone before its name is used again.
import { describe, it } from 'vitest';
import { codeOf, type WireResponse } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { createIndex, deleteIndex, freshName, runCase, suiteContext, vectorsFor, verdict } from './harness.ts';
import { settledEnable, settledGone } from './common.ts';

const ctx = suiteContext();

const ROW = 'races';
const spec = (behaviour: string, labels: string[], expected: { status: number; code: string | null; codes?: string[] }) => ({
  id: `delete-vector-index/${ROW}/${behaviour}`, response: ROW, labels, expected, tags: ROW,
  cites: 'D-DelIdx: deleting an index is irreversible; a deleted index answers 404 NoSuchVectorIndex.',
});

describe(ROW, () => {
  for (const n of [16, 64]) {
    it(`${n} concurrent deletes of one index: exactly one 204, the others 404 (or 409)`, { tags: [ROW] }, async (t) => {
      const name = freshName(ctx, 'z');
      let rest: Promise<WireResponse[]> = Promise.resolve([]);
      const r = await runCase(ctx, spec(`concurrent-deletes-${n}`, ['index-enable'], { status: 204, code: null, codes: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] }), (check, s) => s
        .given({ state: 'index', indexName: name })
        .when(request.raw((c) => {
          // The other n-1 deletes leave together with this one.
          rest = Promise.all(Array.from({ length: n - 1 }, () => c.op('DeleteVectorIndex', { indexName: name })));
          rest.catch(() => undefined); // awaited in the expectation, which a failed first delete never reaches
          return c.sign(c.build('DeleteVectorIndex', { indexName: name }));
        }))
        .expect(async (first, then) => {
          const answers: WireResponse[] = [first, ...await rest];
          const ok = answers.filter((a) => a.status === 204);
          const others = answers.filter((a) => a.status !== 204);
          if (ok.length > 0) check.observe(ok[0]!);
          check.that(ok.length === 1, `exactly one delete must answer 204, ${ok.length} did`);
          const allowed = ctx.run.strict ? ['NoSuchVectorIndex'] : ['NoSuchVectorIndex', 'VectorIndexOperationConflict'];
          const wrong = others.filter((a) => !allowed.includes(codeOf(a) ?? ''));
          check.that(wrong.length === 0, `the losing deletes must answer ${allowed.join(' or ')}, got ${[...new Set(wrong.map((a) => `${a.status} ${codeOf(a) ?? ''}`))].join(', ')}`);
          const seen = [...new Set(others.map((a) => codeOf(a)))].join('+');
          if (seen) check.precedence = seen;
          if (ok.length === 1) await settledGone(ctx, check, then, name);
        })
        .run());
      verdict([r], t.skip);
    });
  }

  it('a delete racing PutVectors on the same index leaves no vectors behind', { tags: [ROW] }, async (t) => {
    const name = freshName(ctx, 'w');
    let racing: Promise<unknown> = Promise.resolve();
    const r = await runCase(ctx, spec('delete-vs-put-vectors', ['index-with-vectors'], { status: 204, code: null }), (check, s) => s
      .given({ state: 'index', indexName: name, vectorCount: 2 })
      .when(request.raw((c) => {
        // Eight PutVectors leave together with the delete (started as the delete is sent).
        racing = Promise.all(Array.from({ length: 8 }, (_, i) => c.as('then').op('PutVectors', { indexName: name, vectors: vectorsFor([`p${i}a`, `p${i}b`]) })));
        // Awaited in the expectation; if the delete itself fails there is no expectation to await it.
        racing.catch(() => undefined);
        return c.sign(c.build('DeleteVectorIndex', { indexName: name }));
      }))
      .expect(async (del, then) => {
        const client = then.client;
        await racing;
        check.that(del.status === 204, `the delete must succeed, got ${del.status} ${codeOf(del) ?? ''}`);
        if (del.status !== 204) return;
        if (!(await settledGone(ctx, check, then, name))) return;
        const again = await createIndex(ctx, name, 4, undefined, client);
        check.that(again.status === 200, `re-creating the name must succeed, got ${again.status} ${codeOf(again) ?? ''}`);
        if (again.status !== 200) return;
        if (!(await settledEnable(ctx, check, then, name))) return;
        const list = await client.op('ListVectors', { indexName: name, maxResults: 1000 });
        const keys = ((list.json as { vectors?: Array<{ key: string }> } | undefined)?.vectors ?? []).map((v) => v.key);
        check.that(list.status === 200 && keys.length === 0, `no vector may survive the delete, found ${JSON.stringify(keys)}`);
        await deleteIndex(name, undefined, client);
      })
      .run());
    verdict([r], t.skip);
  });
});
