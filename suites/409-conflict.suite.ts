// 409 VectorIndexOperationConflict: DeleteVectorIndex while the index is not `enable` (D-DelIdx).
// States `creating`/`deleting` come from the provider-state hook; without one those cases skip.
// Without a hook, an index made through PutVectorIndex and observed `creating` must refuse a
// delete with the documented 409 — if it is still `creating` when the delete arrives; when the
// target is already `enable` (or turns so first), the case records that observation and counts as
// nothing.
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { codeOf, indexStatusOf } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { caseSpec, mustCreate } from './common.ts';
import { deleteIfPresent } from '../scenario/states.ts';
import { freshName, runCase, SetupError, suiteContext, verdict } from './harness.ts';

const ctx = suiteContext();

const R = responseByKey('409-vector-index-operation-conflict');

describe(R.label, () => {
  for (const status of ['creating', 'deleting'] as const) {
    it(`an index in '${status}' cannot be deleted, and stays`, { tags: [R.key, 'state-hook'] }, async (t) => {
      const name = freshName(ctx, status === 'creating' ? 'c' : 'k');
      const r = await runCase(ctx, caseSpec(R.key, `index-${status}`, [`index-${status}`]), (check, s) => s
        .given({ state: 'index', indexName: name, status })
        .when(request.op('DeleteVectorIndex', { indexName: name }))
        .expect(async (res, then) => {
          check.error(res, 409, ['VectorIndexOperationConflict']);
          const get = await then.client.op('GetVectorIndex', { indexName: name });
          check.schema('GetVectorIndex', get);
          const seen = indexStatusOf(get);
          check.that(get.status === 200 && seen === status, `after the refused delete the index must still be '${status}', GetVectorIndex gave ${get.status} status=${seen ?? 'none'}`);
        })
        .run());
      verdict([r], t.skip);
    });
  }

  it('an index observed creating right after PutVectorIndex refuses a delete (409), else recorded', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'r');
    const r = await runCase(ctx, caseSpec(R.key, 'observed-creating', ['index-creating']), async (check, s) => {
      const client = s.client('given');
      await mustCreate(ctx, name, 4, client);
      const get = await client.op('GetVectorIndex', { indexName: name });
      const status = indexStatusOf(get);
      const when = s.client('when');
      const del = await when.op('DeleteVectorIndex', { indexName: name });
      const then = s.client('then');
      if (status === 'enable') {
        // Already `enable`: the delete must succeed, and nothing about the 409 was seen.
        check.recordOnly(`the index read 'enable' at once; delete answered ${del.status} ${codeOf(del) ?? ''}`.trim());
        check.noContent(del);
      } else if (status !== 'creating') {
        check.that(false, `right after PutVectorIndex answered 200, GetVectorIndex must read 'creating' or 'enable', got ${get.status} ${codeOf(get) ?? status ?? ''}`.trim());
      } else if (del.status === 409) {
        check.error(del, 409, ['VectorIndexOperationConflict']);
      } else {
        // It may have become `enable` between the look and the delete: then 204 is right too.
        check.recordOnly(`observed 'creating', then the delete answered ${del.status} ${codeOf(del) ?? ''}`.trim());
        if (del.status === 204) check.noContent(del);
        else check.that(false, `a delete of an index that was 'creating' must answer 409 VectorIndexOperationConflict (or 204 once enable), got ${del.status} ${codeOf(del) ?? ''}`.trim());
      }
      // Leave nothing behind: wait for `enable` if it is still creating, then delete.
      const problem = await deleteIfPresent({ ...ctx.env, client: then }, ctx.target.bucket, name);
      if (problem) throw new SetupError(`cleanup: ${problem}`);
    });
    verdict([r], t.skip);
  });
});
