// 404 NoSuchBucket: "The specified bucket does not exist." for every bucket-scoped operation
// (observed on the real service, GO-IT TestIndex).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { context, freshName, runCase, verdict } from './harness.ts';
import { caseSpec } from './common.ts';

const R = responseByKey('404-no-such-bucket');

describe(R.label, () => {
  it('DeleteVectorIndex in a bucket that does not exist', { tags: [R.key] }, async (t) => {
    const results = [];
    for (const form of ['bare', 'eq'] as const) {
      results.push(await runCase(caseSpec(R.key, `absent-bucket-query-${form}`, ['bucket-absent']), async (check) => {
        const c = context();
        check.error(await c.client.op('DeleteVectorIndex', { indexName: freshName('b') }, { bucket: c.config.absentBucket, queryForm: form }), 404, ['NoSuchBucket']);
      }));
    }
    verdict(results, t.skip);
  });
});
