// The bucket lifecycle around DeleteVectorIndex, as the official SDKs' integration tests run it:
// a bucket the run created answers DeleteVectorBucket with 409 VectorBucketNotEmpty while it holds
// an index, and 204 once every index is deleted — once the deleted index is gone (time-aware,
// rule 5: a `deleting` index may still count until then; --strict: at once).
import { describe, it } from 'vitest';
import { codeOf } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { runCase, Skip, suiteContext, verdict } from './harness.ts';
import { settledGone } from './common.ts';

const ctx = suiteContext();

const ROW = 'bucket lifecycle';

describe(ROW, () => {
  it('DeleteVectorBucket: 409 VectorBucketNotEmpty while an index exists, 204 once it is deleted', { tags: ['buckets'] }, async (t) => {
    const { run } = ctx;
    // Bucket names allow lower-case letters, digits and '-': the run prefix is all of those.
    const bucket = `${run.prefix}-bl`;
    const name = `${run.prefix}bl`;
    const r = await runCase(ctx, {
      id: 'delete-vector-index/buckets/delete-bucket-after-index', response: ROW, labels: [], expected: { status: 204, code: null }, tags: 'buckets',
      cites: 'D-DelBkt: a bucket that still holds indexes cannot be deleted (409 VectorBucketNotEmpty); D-DelIdx removes the index.',
    }, async (check, s) => {
      const given = s.client('given');
      const made = await given.op('PutVectorBucket', undefined, { bucket });
      if (made.status === 403) throw new Skip(`the identity may not create buckets (PutVectorBucket answered 403 ${codeOf(made) ?? ''})`.trim());
      if (made.status !== 200) throw new Error(`PutVectorBucket ${bucket} answered ${made.status} ${codeOf(made) ?? ''}`);
      await s.given({ state: 'index', indexName: name, bucket, vectorCount: 2 })
        .when(request.op('DeleteVectorBucket', undefined, { bucket }))
        .expect(async (notEmpty, then) => {
          check.error(notEmpty, 409, ['VectorBucketNotEmpty']);
          const when = then.client.as('when');
          const del = await when.op('DeleteVectorIndex', { indexName: name }, { bucket });
          check.noContent(del);
          if (del.status !== 204) return;
          if (!run.strict && !(await settledGone(ctx, check, then, name, bucket))) return;
          const gone = await when.op('DeleteVectorBucket', undefined, { bucket });
          check.that(gone.status === 204, `DeleteVectorBucket after its only index was deleted${run.strict ? '' : ' and gone'} must answer 204, got ${gone.status} ${codeOf(gone) ?? ''}`.trim());
          if (gone.status === 204) check.noContent(gone);
        })
        .run();
    });
    verdict([r], t.skip);
  });
});
