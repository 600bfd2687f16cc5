// 403 AccessDenied: no authentication information, or an identity without oss:DeleteVectorIndex
// (D-DelIdx error table).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { context, deleteIndex, freshName, runCase, Skip, verdict } from './harness.ts';
import { caseSpec, mustCreate } from './common.ts';

const R = responseByKey('403-access-denied');

describe(R.label, () => {
  it('an unsigned request is refused and the index survives', { tags: [R.key] }, async (t) => {
    const name = freshName('u');
    const r = await runCase(caseSpec(R.key, 'unsigned', ['unsigned']), async (check) => {
      await mustCreate(name);
      const { client } = context();
      check.error(await client.op('DeleteVectorIndex', { indexName: name }, { identity: 'none' }), 403, ['AccessDenied']);
      const get = await client.op('GetVectorIndex', { indexName: name });
      check.that(get.status === 200, `the index must survive a refused delete, GetVectorIndex gave ${get.status}`);
      await deleteIndex(name);
    });
    verdict([r], t.skip);
  });

  it('an unsigned request for an absent index is refused before the lookup', { tags: [R.key] }, async (t) => {
    const r = await runCase(caseSpec(R.key, 'unsigned-absent-index', ['unsigned', 'index-absent'], { expected: { status: 403, code: 'AccessDenied' } }), async (check) => {
      check.error(await context().client.op('DeleteVectorIndex', { indexName: freshName('n') }, { identity: 'none' }), 403, ['AccessDenied']);
    });
    verdict([r], t.skip);
  });

  it('an identity without oss:DeleteVectorIndex is refused', { tags: [R.key] }, async (t) => {
    const name = freshName('d');
    const r = await runCase(caseSpec(R.key, 'no-permission', ['no-permission']), async (check) => {
      const c = context();
      if (!c.hasDenied) throw new Skip('no denied identity configured (OVC_DENIED_ACCESS_KEY_ID / OVC_DENIED_ACCESS_KEY_SECRET)');
      await mustCreate(name);
      check.error(await c.client.op('DeleteVectorIndex', { indexName: name }, { identity: 'denied' }), 403, ['AccessDenied']);
      const get = await c.client.op('GetVectorIndex', { indexName: name });
      check.that(get.status === 200, `the index must survive a refused delete, GetVectorIndex gave ${get.status}`);
      await deleteIndex(name);
    });
    verdict([r], t.skip);
  });
});
