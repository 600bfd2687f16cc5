// 404 NoSuchBucket: "The specified bucket does not exist." for every bucket-scoped operation
// (observed on the real service, GO-IT TestIndex).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { request } from '../scenario/scenario.ts';
import { freshName, runCase, suiteContext, verdict } from './harness.ts';
import { caseSpec } from './common.ts';

const ctx = suiteContext();

const R = responseByKey('404-no-such-bucket');

describe(R.label, () => {
  it('DeleteVectorIndex in a bucket that does not exist', { tags: [R.key] }, async (t) => {
    const results = [];
    for (const form of ['bare', 'eq'] as const) {
      const bucket = ctx.run.absentBucket;
      const name = freshName(ctx, 'b');
      results.push(await runCase(ctx, caseSpec(R.key, `absent-bucket-query-${form}`, ['bucket-absent']), (check, s) => s
        .given({ state: 'no-bucket', bucket })
        .when(request.op('DeleteVectorIndex', { indexName: name }, { bucket, queryForm: form }))
        .expect((res) => check.error(res, 404, ['NoSuchBucket']))
        .run()));
    }
    verdict(results, t.skip);
  });
});
