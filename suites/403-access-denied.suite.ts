// 403 AccessDenied: no authentication information, or an identity without oss:DeleteVectorIndex
// (D-DelIdx error table). The index must survive the refused delete.
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { request } from '../scenario/scenario.ts';
import { freshName, runCase, Skip, suiteContext, verdict } from './harness.ts';
import { caseSpec } from './common.ts';

const ctx = suiteContext();

const R = responseByKey('403-access-denied');

describe(R.label, () => {
  it('an unsigned request is refused and the index survives', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'u');
    const r = await runCase(ctx, caseSpec(R.key, 'unsigned', ['unsigned']), (check, s) => s
      .given({ state: 'index', indexName: name })
      .when(request.op('DeleteVectorIndex', { indexName: name }, { identity: 'none' }))
      .expect(async (res, then) => {
        check.error(res, 403, ['AccessDenied']);
        const get = await then.client.op('GetVectorIndex', { indexName: name });
        check.that(get.status === 200, `the index must survive a refused delete, GetVectorIndex gave ${get.status}`);
      })
      .run());
    verdict([r], t.skip);
  });

  it('an unsigned request for an absent index is refused before the lookup', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'n');
    const r = await runCase(ctx, caseSpec(R.key, 'unsigned-absent-index', ['unsigned', 'index-absent'], { expected: { status: 403, code: 'AccessDenied' } }), (check, s) => s
      .given({ state: 'no-index', indexName: name })
      .when(request.op('DeleteVectorIndex', { indexName: name }, { identity: 'none' }))
      .expect((res) => check.error(res, 403, ['AccessDenied']))
      .run());
    verdict([r], t.skip);
  });

  it('an identity without oss:DeleteVectorIndex is refused', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 'd');
    const r = await runCase(ctx, caseSpec(R.key, 'no-permission', ['no-permission']), async (check, s) => {
      if (!ctx.hasDenied) throw new Skip('no denied identity configured (OVC_DENIED_ACCESS_KEY_ID / OVC_DENIED_ACCESS_KEY_SECRET)');
      await s.given({ state: 'index', indexName: name })
        .when(request.op('DeleteVectorIndex', { indexName: name }, { identity: 'denied' }))
        .expect(async (res, then) => {
          check.error(res, 403, ['AccessDenied']);
          const get = await then.client.op('GetVectorIndex', { indexName: name });
          check.that(get.status === 200, `the index must survive a refused delete, GetVectorIndex gave ${get.status}`);
        })
        .run();
    });
    verdict([r], t.skip);
  });
});
